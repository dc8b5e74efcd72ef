package com.codeconnect.vmgroup.vsphere.soap;

import static com.codeconnect.vmgroup.vsphere.soap.SoapResponseParserTest.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Kind;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Op;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.ToolsStatus;
import com.codeconnect.vmgroup.vsphere.VmRule;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.soap.UpdateSetReader.Updates;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WaitForUpdatesEx responses (canned UpdateSets) to exact changes. */
class SoapUpdateSetReaderTest {
  private static final MoRef VM = new MoRef("VirtualMachine", "vm-42");
  private static final MoRef FOLDER = new MoRef("Folder", "group-v7");
  private static final MoRef TASK = new MoRef("Task", "task-9");

  private final UpdateSetReader reader = new UpdateSetReader("vmgroup.");

  private Updates read(String updateSet) {
    XmlElement response =
        ResponseParser.bodyContent(
            new ResponseParser()
                .parse(
                    envelope(
                            "<WaitForUpdatesExResponse xmlns=\"urn:vim25\">"
                                + updateSet
                                + "</WaitForUpdatesExResponse>")
                        .getBytes(StandardCharsets.UTF_8)));
    return reader.read(response);
  }

  private static String set(String version, String truncated, String objectUpdates) {
    return "<returnval><version>"
        + version
        + "</version><filterSet><filter type=\"PropertyFilter\">session[1]f-1</filter>"
        + objectUpdates
        + "</filterSet>"
        + (truncated == null ? "" : "<truncated>" + truncated + "</truncated>")
        + "</returnval>";
  }

  private static String update(String kind, MoRef obj, String... changes) {
    return "<objectSet><kind>"
        + kind
        + "</kind><obj type=\""
        + obj.type()
        + "\">"
        + obj.value()
        + "</obj>"
        + String.join("", changes)
        + "</objectSet>";
  }

  private static String change(String name, String op, String typedVal) {
    return "<changeSet><name>" + name + "</name><op>" + op + "</op>" + typedVal + "</changeSet>";
  }

  private static String val(String xsiType, String text) {
    return "<val xsi:type=\"" + xsiType + "\">" + text + "</val>";
  }

  private static String ref(MoRef r) {
    return "<val type=\""
        + r.type()
        + "\" xsi:type=\"ManagedObjectReference\">"
        + r.value()
        + "</val>";
  }

  private static Map<String, Object> values(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static final String EXTRA =
      "<val xsi:type=\"ArrayOfOptionValue\">"
          + "<OptionValue xsi:type=\"OptionValue\"><key>vmgroup.owner</key>"
          + "<value xsi:type=\"xsd:string\">ns/group &amp; co</value></OptionValue>"
          + "<OptionValue xsi:type=\"OptionValue\"><key>other.key</key>"
          + "<value xsi:type=\"xsd:string\">x</value></OptionValue>"
          + "<OptionValue xsi:type=\"OptionValue\"><key>vmgroup.index</key>"
          + "<value xsi:type=\"xsd:string\">3</value></OptionValue></val>";

  @Test
  void enterOfVmAndFolderCarriesEveryPropertyWithDomainValues() {
    Updates u =
        read(
            set(
                "1",
                null,
                update(
                        "enter",
                        VM,
                        change("name", "assign", val("xsd:string", "web%2f1 50%25")),
                        change("parent", "assign", ref(FOLDER)),
                        change(
                            "runtime.powerState",
                            "assign",
                            val("VirtualMachinePowerState", "poweredOn")),
                        change("config.hardware.numCPU", "assign", val("xsd:int", "4")),
                        change("config.hardware.memoryMB", "assign", val("xsd:int", "8192")),
                        change("config.template", "assign", val("xsd:boolean", "false")),
                        change("config.instanceUuid", "assign", val("xsd:string", "uuid-1")),
                        change("config.extraConfig", "assign", EXTRA),
                        change("config.cpuHotAddEnabled", "assign", val("xsd:boolean", "true")),
                        change(
                            "snapshot.currentSnapshot",
                            "assign",
                            ref(new MoRef("VirtualMachineSnapshot", "snapshot-7"))))
                    + update(
                        "enter",
                        FOLDER,
                        change("name", "assign", val("xsd:string", "team-a")),
                        change("parent", "assign", ref(new MoRef("Folder", "group-v3"))))));
    assertThat(u.version()).isEqualTo("1");
    assertThat(u.truncated()).isFalse();
    assertThat(u.changes())
        .containsExactly(
            new ObjectChange(
                VM,
                Kind.VM,
                Op.ENTER,
                values(
                    "name",
                    "web/1 50%",
                    "parent",
                    FOLDER,
                    "powerState",
                    PowerState.POWERED_ON,
                    "cpu",
                    4,
                    "memoryMiB",
                    8192L,
                    "template",
                    false,
                    "instanceUuid",
                    "uuid-1",
                    // guest.ipAddress was not sent: unset
                    "ipAddress",
                    null,
                    "extraConfig",
                    Map.of("vmgroup.owner", "ns/group & co", "vmgroup.index", "3"),
                    // the same property, read for the guest's readiness keys
                    "guestInfo",
                    Map.of(),
                    "cpuHotAdd",
                    true,
                    // config.memoryHotAddEnabled was not sent: unset
                    "memoryHotAdd",
                    null,
                    "currentSnapshot",
                    new MoRef("VirtualMachineSnapshot", "snapshot-7"),
                    // the guest's properties were not sent: unset
                    "toolsStatus",
                    null,
                    "heartbeat",
                    null,
                    "ipAddresses",
                    null,
                    // customValue was not sent: unset
                    "customValues",
                    null)),
            new ObjectChange(
                FOLDER,
                Kind.FOLDER,
                Op.ENTER,
                values("name", "team-a", "parent", new MoRef("Folder", "group-v3"))));
  }

  @Test
  void modifyCarriesOnlyChangedPropertiesAndRemoveUnsets() {
    Updates u =
        read(
            set(
                "2",
                null,
                update(
                    "modify",
                    VM,
                    change(
                        "runtime.powerState",
                        "assign",
                        val("VirtualMachinePowerState", "poweredOff")),
                    change("guest.ipAddress", "remove", ""),
                    change("config.hardware.memoryMB", "assign", val("xsd:int", "96")),
                    change("config.instanceUuid", "indirectRemove", ""),
                    // assign without val: unset too
                    change("config.template", "assign", ""),
                    change("summary.quickStats", "assign", val("xsd:string", "ignored")))));
    assertThat(u.changes())
        .containsExactly(
            new ObjectChange(
                VM,
                Kind.VM,
                Op.MODIFY,
                values(
                    "powerState",
                    PowerState.POWERED_OFF,
                    "ipAddress",
                    null,
                    "memoryMiB",
                    96L,
                    "instanceUuid",
                    null,
                    "template",
                    null)));
  }

  @Test
  void leaveHasNoValues() {
    Updates u = read(set("3", null, update("leave", VM)));
    assertThat(u.changes()).containsExactly(new ObjectChange(VM, Kind.VM, Op.LEAVE, Map.of()));
  }

  @Test
  void truncatedIsReported() {
    Updates u =
        read(
            set(
                "4",
                "true",
                update("modify", FOLDER, change("name", "assign", val("xsd:string", "b")))));
    assertThat(u.truncated()).isTrue();
    assertThat(u.version()).isEqualTo("4");
    assertThat(u.changes())
        .containsExactly(new ObjectChange(FOLDER, Kind.FOLDER, Op.MODIFY, values("name", "b")));
  }

  @Test
  void noUpdateSetMeansNothingChanged() {
    assertThat(read("")).isNull();
  }

  @Test
  void taskWithErrorAndTaskWithResult() {
    MoRef other = new MoRef("Task", "task-10");
    Updates u =
        read(
            set(
                "5",
                null,
                update(
                        "enter",
                        TASK,
                        change("info.state", "assign", val("TaskInfoState", "error")),
                        change(
                            "info.error",
                            "assign",
                            "<val xsi:type=\"LocalizedMethodFault\"><fault xsi:type=\"InvalidPowerState\">"
                                + "<requestedState>poweredOn</requestedState></fault>"
                                + "<localizedMessage>already on</localizedMessage></val>"))
                    + update(
                        "modify",
                        other,
                        change("info.state", "assign", val("TaskInfoState", "success")),
                        change("info.result", "assign", ref(VM)))
                    + update(
                        "modify",
                        new MoRef("Task", "task-11"),
                        change("info.state", "assign", val("TaskInfoState", "success")),
                        // a result that is not a reference is dropped
                        change("info.result", "assign", val("xsd:string", "done")))));
    List<ObjectChange> changes = u.changes();
    assertThat(changes).hasSize(3);
    ObjectChange failed = changes.get(0);
    assertThat(failed.ref()).isEqualTo(TASK);
    assertThat(failed.kind()).isEqualTo(Kind.TASK);
    assertThat(failed.op()).isEqualTo(Op.ENTER);
    assertThat(failed.values()).containsOnlyKeys("state", "result", "error");
    assertThat(failed.values().get("state")).isEqualTo(TaskInfo.State.ERROR);
    assertThat(failed.values().get("result")).isNull();
    assertThat((Throwable) failed.values().get("error"))
        .isInstanceOf(VsphereException.InvalidPowerState.class)
        .hasMessageContaining("already on")
        .hasMessageContaining("task-9");
    assertThat(changes.get(1))
        .isEqualTo(
            new ObjectChange(
                other,
                Kind.TASK,
                Op.MODIFY,
                values("state", TaskInfo.State.SUCCESS, "result", VM)));
    assertThat(changes.get(2).values())
        .isEqualTo(values("state", TaskInfo.State.SUCCESS, "result", null));
  }

  @Test
  void extraConfigWithoutMarkerKeysIsAnEmptyMap() {
    Updates u =
        read(
            set(
                "6",
                null,
                update(
                    "modify",
                    VM,
                    change(
                        "config.extraConfig",
                        "assign",
                        "<val xsi:type=\"ArrayOfOptionValue\"><OptionValue xsi:type=\"OptionValue\">"
                            + "<key>guestinfo.x</key><value xsi:type=\"xsd:string\">1</value>"
                            + "</OptionValue></val>"))));
    assertThat(u.changes())
        .containsExactly(
            new ObjectChange(
                VM, Kind.VM, Op.MODIFY, values("extraConfig", Map.of(), "guestInfo", Map.of())));
  }

  @Test
  void aGuestTurningUnhealthyIsAModification() {
    Updates u =
        read(
            set(
                "7",
                null,
                update(
                    "modify",
                    VM,
                    change("guestHeartbeatStatus", "assign", val("ManagedEntityStatus", "red")),
                    change(
                        "guest.toolsRunningStatus",
                        "assign",
                        val("xsd:string", "guestToolsNotRunning")),
                    change(
                        "guest.net",
                        "assign",
                        "<val xsi:type=\"ArrayOfGuestNicInfo\"><GuestNicInfo>"
                            + "<ipAddress>10.0.0.9</ipAddress></GuestNicInfo></val>"))));
    assertThat(u.changes())
        .containsExactly(
            new ObjectChange(
                VM,
                Kind.VM,
                Op.MODIFY,
                values(
                    "heartbeat",
                    Heartbeat.RED,
                    "toolsStatus",
                    ToolsStatus.NOT_RUNNING,
                    "ipAddresses",
                    List.of("10.0.0.9"))));
  }

  @Test
  void aWatchedClusterEntersWithItsRulesAndReportsThemWhenTheyChange() {
    MoRef cluster = new MoRef("ClusterComputeResource", "domain-c7");
    String config =
        "<val xsi:type=\"ClusterConfigInfoEx\"><drsConfig><enabled>false</enabled></drsConfig>"
            + "<rule xsi:type=\"ClusterAntiAffinityRuleSpec\"><key>1</key><enabled>true</enabled>"
            + "<name>spread</name><mandatory>false</mandatory>"
            + "<vm type=\"VirtualMachine\">vm-42</vm></rule></val>";
    Updates u =
        read(
            set(
                "8",
                null,
                update(
                        "enter",
                        cluster,
                        change("name", "assign", val("xsd:string", "DC0_C0")),
                        change("configurationEx", "assign", config))
                    + update("modify", cluster, change("configurationEx", "assign", config))
                    + update("leave", cluster)));
    List<VmRule> rules =
        List.of(new VmRule(1, "spread", true, false, VmRule.Kind.ANTI_AFFINITY, List.of(VM)));
    assertThat(u.changes())
        .containsExactly(
            new ObjectChange(
                cluster,
                Kind.CLUSTER,
                Op.ENTER,
                values("name", "DC0_C0", "drsEnabled", false, "rules", rules)),
            new ObjectChange(
                cluster, Kind.CLUSTER, Op.MODIFY, values("drsEnabled", false, "rules", rules)),
            new ObjectChange(cluster, Kind.CLUSTER, Op.LEAVE, Map.of()));
  }

  @Test
  void viewsAndUnknownTypesAreSkipped() {
    Updates u =
        read(
            set(
                "7",
                null,
                update("modify", new MoRef("ListView", "session[1]view-2"))
                    + update("enter", new MoRef("Datacenter", "datacenter-2"))));
    assertThat(u.changes()).isEmpty();
  }
}
