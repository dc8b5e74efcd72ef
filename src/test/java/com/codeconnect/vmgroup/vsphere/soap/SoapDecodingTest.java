package com.codeconnect.vmgroup.vsphere.soap;

import static com.codeconnect.vmgroup.vsphere.soap.SoapResponseParserTest.bytes;
import static com.codeconnect.vmgroup.vsphere.soap.SoapResponseParserTest.envelope;
import static com.codeconnect.vmgroup.vsphere.soap.SoapSessionTest.prop;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.ComputeResourceInfo;
import com.codeconnect.vmgroup.vsphere.GuestState;
import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.ToolsStatus;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VmRule;
import com.codeconnect.vmgroup.vsphere.soap.SoapDecoding.ObjectContent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A list and the change feed decode each property the same way, for VMs, tasks and clusters. */
class SoapDecodingTest {
  private static final String PREFIX = "vmgroup.";
  private static final MoRef VM = new MoRef("VirtualMachine", "vm-42");
  private static final MoRef TASK = new MoRef("Task", "task-9");

  private static ObjectContent object(MoRef obj, String propSets) {
    XmlElement response =
        ResponseParser.bodyContent(
            new ResponseParser()
                .parse(
                    bytes(
                        envelope(
                            "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval>"
                                + "<objects><obj type=\""
                                + obj.type()
                                + "\">"
                                + obj.value()
                                + "</obj>"
                                + propSets
                                + "</objects></returnval></RetrievePropertiesExResponse>"))));
    return SoapDecoding.objectContent(response.child("returnval").child("objects"));
  }

  private static String refProp(String name, MoRef ref) {
    return "<propSet><name>"
        + name
        + "</name><val type=\""
        + ref.type()
        + "\" xsi:type=\"ManagedObjectReference\">"
        + ref.value()
        + "</val></propSet>";
  }

  /** What the feed makes of each property, under its neutral key. */
  private static Map<String, Object> asChanges(ObjectContent o) {
    Map<String, Object> values = new HashMap<>();
    o.props()
        .forEach(
            (path, val) -> {
              // what only a whole read asks for (a cluster's hosts and pool) is no change
              if (Stream.of(SoapDecoding.VM_KEYS, SoapDecoding.TASK_KEYS, SoapDecoding.CLUSTER_KEYS)
                  .anyMatch(keys -> keys.containsKey(path))) {
                values.putAll(SoapDecoding.values(o.obj(), path, val, PREFIX));
              }
            });
    return values;
  }

  @Test
  void aVmReadWholeCarriesWhatItsPropertiesReadOneByOneCarry() {
    MoRef folder = new MoRef("Folder", "group-v7");
    MoRef snapshot = new MoRef("VirtualMachineSnapshot", "snapshot-1");
    ObjectContent o =
        object(
            VM,
            prop("name", "xsd:string", "web%2f1 50%25")
                + refProp("parent", folder)
                + prop("runtime.powerState", "VirtualMachinePowerState", "suspended")
                + prop("config.hardware.numCPU", "xsd:int", " 4 ")
                + prop("config.hardware.memoryMB", "xsd:int", "")
                + prop("config.template", "xsd:boolean", "TRUE")
                + prop("config.instanceUuid", "xsd:string", "uuid-1")
                + prop("guest.ipAddress", "xsd:string", "10.0.0.5")
                + "<propSet><name>config.extraConfig</name><val xsi:type=\"ArrayOfOptionValue\">"
                + "<OptionValue><key>vmgroup.owner</key><value>ns/g</value></OptionValue>"
                + "<OptionValue><key>other</key><value>x</value></OptionValue>"
                + "<OptionValue><key>guestinfo.userdata</key><value>I2Nsb3Vk</value></OptionValue>"
                + "<OptionValue><key>guestinfo.vmgroup.ready</key><value>true</value>"
                + "</OptionValue></val></propSet>"
                + prop("config.cpuHotAddEnabled", "xsd:boolean", "true")
                + prop("config.memoryHotAddEnabled", "xsd:boolean", "false")
                + refProp("snapshot.currentSnapshot", snapshot)
                + prop("guest.toolsRunningStatus", "xsd:string", "guestToolsExecutingScripts")
                + prop("guestHeartbeatStatus", "ManagedEntityStatus", "yellow")
                + "<propSet><name>guest.net</name><val xsi:type=\"ArrayOfGuestNicInfo\">"
                + "<GuestNicInfo><network>VM Network</network><ipAddress>10.0.0.5</ipAddress>"
                + "<ipAddress>fe80::1</ipAddress><connected>true</connected></GuestNicInfo>"
                + "<GuestNicInfo><ipAddress>192.168.1.7</ipAddress><ipAddress>10.0.0.5</ipAddress>"
                + "</GuestNicInfo><GuestNicInfo><connected>false</connected></GuestNicInfo>"
                + "</val></propSet>");

    VmInfo vm = SoapDecoding.vm(o, PREFIX);
    Map<String, Object> v = asChanges(o);

    assertThat(vm)
        .isEqualTo(
            new VmInfo(
                VM,
                "web/1 50%",
                folder,
                PowerState.SUSPENDED,
                4,
                0,
                true,
                "uuid-1",
                "10.0.0.5",
                Map.of("vmgroup.owner", "ns/g"),
                true,
                false,
                snapshot,
                new GuestState(
                    ToolsStatus.EXECUTING_SCRIPTS,
                    Heartbeat.YELLOW,
                    List.of("10.0.0.5", "fe80::1", "192.168.1.7"),
                    Map.of("guestinfo.vmgroup.ready", "true"))));
    assertThat(
            new VmInfo(
                VM,
                (String) v.get("name"),
                (MoRef) v.get("parent"),
                (PowerState) v.get("powerState"),
                (Integer) v.get("cpu"),
                (Long) v.get("memoryMiB"),
                (Boolean) v.get("template"),
                (String) v.get("instanceUuid"),
                (String) v.get("ipAddress"),
                castMap(v.get("extraConfig")),
                (Boolean) v.get("cpuHotAdd"),
                (Boolean) v.get("memoryHotAdd"),
                (MoRef) v.get("currentSnapshot"),
                new GuestState(
                    (ToolsStatus) v.get("toolsStatus"),
                    (Heartbeat) v.get("heartbeat"),
                    castList(v.get("ipAddresses")),
                    castMap(v.get("guestInfo")))))
        .isEqualTo(vm);
  }

  @Test
  void aFailedTaskReadWholeCarriesWhatItsPropertiesReadOneByOneCarry() {
    ObjectContent o =
        object(
            TASK,
            prop("info.state", "TaskInfoState", "error")
                + "<propSet><name>info.error</name><val xsi:type=\"LocalizedMethodFault\">"
                + "<fault xsi:type=\"DuplicateName\"><name>web-1</name></fault>"
                + "<localizedMessage>The name 'web-1' already exists.</localizedMessage>"
                + "</val></propSet>");

    TaskInfo info = SoapDecoding.taskInfo(new TaskRef(TASK), o, null);
    Map<String, Object> v = asChanges(o);

    assertThat(info.state()).isEqualTo(TaskInfo.State.ERROR).isEqualTo(v.get("state"));
    assertThat(info.result()).isNull();
    assertThat(info.error()).isNotNull();
    assertThat(v.get("error")).isInstanceOf(info.error().getClass());
    assertThat(((Exception) v.get("error")).getMessage()).isEqualTo(info.error().getMessage());
  }

  @Test
  void aCloneResultIsTheNewVmEitherWay() {
    ObjectContent o =
        object(TASK, prop("info.state", "TaskInfoState", "success") + refProp("info.result", VM));

    assertThat(SoapDecoding.taskInfo(new TaskRef(TASK), o, null).result()).isEqualTo(VM);
    assertThat(asChanges(o)).containsEntry("result", VM);
  }

  @Test
  void anUnsetOrUnknownGuestReadsAsNoGuest() {
    ObjectContent o =
        object(
            VM,
            prop("guest.toolsRunningStatus", "xsd:string", "guestToolsSomethingNew")
                + prop("guestHeartbeatStatus", "ManagedEntityStatus", ""));
    GuestState g = SoapDecoding.vm(o, PREFIX).guest();
    assertThat(g.tools()).isEqualTo(ToolsStatus.UNKNOWN);
    assertThat(g.heartbeat()).isEqualTo(Heartbeat.GRAY);
    assertThat(g.ipAddresses()).isEmpty();
    assertThat(SoapDecoding.vm(object(VM, ""), PREFIX).guest()).isEqualTo(GuestState.NONE);
    assertThat(asChanges(o))
        .containsEntry("toolsStatus", ToolsStatus.UNKNOWN)
        .containsEntry("heartbeat", Heartbeat.GRAY);
  }

  @Test
  void aClusterReadWholeCarriesWhatItsConfigurationChangeCarries() {
    MoRef cluster = new MoRef("ClusterComputeResource", "domain-c7");
    MoRef vm2 = new MoRef("VirtualMachine", "vm-43");
    String config =
        "<propSet><name>configurationEx</name><val xsi:type=\"ClusterConfigInfoEx\">"
            + "<vmSwapPlacement>vmDirectory</vmSwapPlacement><dasConfig/>"
            + "<drsConfig><enabled>true</enabled></drsConfig>"
            + "<rule xsi:type=\"ClusterAntiAffinityRuleSpec\"><key>3</key><enabled>true</enabled>"
            + "<name>vmgroup-ns-web</name><mandatory>true</mandatory>"
            + "<vm type=\"VirtualMachine\">vm-42</vm><vm type=\"VirtualMachine\">vm-43</vm></rule>"
            + "<rule xsi:type=\"ClusterAffinityRuleSpec\"><key>4</key><enabled>false</enabled>"
            + "<name>pair</name><vm type=\"VirtualMachine\">vm-43</vm></rule>"
            + "<rule xsi:type=\"ClusterVmHostRuleInfo\"><key>5</key><name>pin</name>"
            + "<vmGroupName>g</vmGroupName></rule></val></propSet>";
    ObjectContent o =
        object(
            cluster,
            prop("name", "xsd:string", "DC0_C0")
                + refProp("resourcePool", new MoRef("ResourcePool", "resgroup-8"))
                + "<propSet><name>host</name><val xsi:type=\"ArrayOfManagedObjectReference\">"
                + "<ManagedObjectReference type=\"HostSystem\">host-1</ManagedObjectReference>"
                + "<ManagedObjectReference type=\"HostSystem\">host-2</ManagedObjectReference>"
                + "</val></propSet>"
                + config);

    ComputeResourceInfo info = ClusterDecoding.computeResource(o);
    List<VmRule> rules =
        List.of(
            new VmRule(
                3, "vmgroup-ns-web", true, true, VmRule.Kind.ANTI_AFFINITY, List.of(VM, vm2)),
            new VmRule(4, "pair", false, false, VmRule.Kind.AFFINITY, List.of(vm2)),
            new VmRule(5, "pin", false, false, VmRule.Kind.OTHER, List.of()));
    assertThat(info)
        .isEqualTo(
            new ComputeResourceInfo(
                cluster,
                "DC0_C0",
                ComputeResourceInfo.Kind.CLUSTER,
                true,
                2,
                new MoRef("ResourcePool", "resgroup-8"),
                rules));
    assertThat(info.antiAffinityApplies()).isTrue();
    assertThat(asChanges(o))
        .containsEntry("name", "DC0_C0")
        .containsEntry("drsEnabled", true)
        .containsEntry("rules", rules);
  }

  @Test
  void aStandaloneHostHasNoDrsAndNoRules() {
    MoRef host = new MoRef("ComputeResource", "domain-s9");
    ObjectContent o =
        object(
            host,
            prop("name", "xsd:string", "DC0_H0")
                + "<propSet><name>configurationEx</name>"
                + "<val xsi:type=\"ComputeResourceConfigInfo\">"
                + "<vmSwapPlacement>vmDirectory</vmSwapPlacement></val></propSet>");
    ComputeResourceInfo info = ClusterDecoding.computeResource(o);
    assertThat(info.kind()).isEqualTo(ComputeResourceInfo.Kind.STANDALONE_HOST);
    assertThat(info.drsEnabled()).isFalse();
    assertThat(info.rules()).isEmpty();
    assertThat(info.antiAffinityApplies()).isFalse();
  }

  @SuppressWarnings("unchecked")
  private static List<String> castList(Object o) {
    return (List<String>) o;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> castMap(Object o) {
    return (Map<String, String>) o;
  }
}
