package com.codeconnect.vmgroup.vsphere.soap;

import static com.codeconnect.vmgroup.vsphere.soap.SoapResponseParserTest.bytes;
import static com.codeconnect.vmgroup.vsphere.soap.SoapResponseParserTest.envelope;
import static com.codeconnect.vmgroup.vsphere.soap.SoapSessionTest.prop;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.soap.SoapDecoding.ObjectContent;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A list and the change feed decode each property the same way. */
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
  private static Map<String, Object> asChanges(ObjectContent o, Map<String, String> keys) {
    Map<String, Object> values = new HashMap<>();
    o.props()
        .forEach(
            (path, val) ->
                values.put(keys.get(path), SoapDecoding.value(o.obj(), path, val, PREFIX)));
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
                + "<OptionValue><key>other</key><value>x</value></OptionValue></val></propSet>"
                + prop("config.cpuHotAddEnabled", "xsd:boolean", "true")
                + prop("config.memoryHotAddEnabled", "xsd:boolean", "false")
                + refProp("snapshot.currentSnapshot", snapshot));

    VmInfo vm = SoapDecoding.vm(o, PREFIX);
    Map<String, Object> v = asChanges(o, SoapDecoding.VM_KEYS);

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
                snapshot));
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
                (MoRef) v.get("currentSnapshot")))
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
    Map<String, Object> v = asChanges(o, SoapDecoding.TASK_KEYS);

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
    assertThat(asChanges(o, SoapDecoding.TASK_KEYS)).containsEntry("result", VM);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> castMap(Object o) {
    return (Map<String, String>) o;
  }
}
