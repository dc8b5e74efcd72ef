package com.codeconnect.vmgroup.faults;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario 7: VMs the operator didn't create, inside a group's folder (one running, one
 * off), VMs elsewhere named like replicas, the template and the simulator's own VMs, through a
 * whole life cycle of the group (create, scale in, scale out, delete). None of them is powered off,
 * changed or destroyed, and the group's owner learns about the strangers in its folder from an
 * Event.
 *
 * <p>RepairAndSafetySuite covers a foreign VM holding a replica's name (NameConflict) and foreign
 * VMs surviving scale-in and deletion; this adds the VMs outside the folder, running foreign VMs,
 * the Event, and a check of every VM in the inventory.
 */
class ForeignObjectsIT extends FaultFixture {

  @Test
  void foreignVmsAndTheTemplateAreNeverTouchedAndAForeignVmIsReported() {
    MoRef vmFolder = observer.datacenter(observer.datacenters().get(0).ref()).vmFolder();
    List<VmInfo> foreign = new ArrayList<>();
    // Named like replicas of the group, but not in its folder.
    foreign.add(foreignClone(vmFolder, "fo-0"));
    foreign.add(foreignClone(root(), "fo-1"));

    create("fo", 1, 1, 3);
    awaitConverged("fo");
    MoRef folder = folder("fo").orElseThrow();
    VmInfo off = foreignClone(folder, "intruder");
    VmInfo on = foreignClone(folder, "fo-web");
    assertThat(finish(observer.powerOnVm(on.ref())).state()).isEqualTo(TaskInfo.State.SUCCESS);
    on = byName(observer.vmsInFolder(folder)).get("fo-web");
    assertThat(on.powerState()).isEqualTo(PowerState.POWERED_ON);
    foreign.add(off);
    foreign.add(on);

    eventually(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(events("fo"))
                    .extracting(e -> e.getType() + " " + e.getReason() + ": " + e.getNote())
                    .as("an Event names the foreign VMs in the group's folder")
                    .anySatisfy(
                        e ->
                            assertThat(e)
                                .startsWith("Warning ForeignVms: ")
                                .contains("intruder")
                                .contains("fo-web")));

    edit("fo", s -> s.setReplicas(1));
    awaitConverged("fo");
    edit("fo", s -> s.setReplicas(4));
    awaitConverged("fo");
    assertThat(isTrue("fo", StatusBuilder.DEGRADED)).isFalse();
    assertUntouched(foreign);
    VcenterAudit.Result audit = audit(refs(foreign));
    assertThat(audit.problems()).isEmpty();

    delete("fo");
    eventually(PATIENCE).until(() -> get("fo") == null);
    assertThat(folder("fo")).as("a folder holding foreign VMs is kept").isPresent();
    assertThat(events("fo")).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("FolderKept"));
    VcenterAudit.Snapshot end = VcenterAudit.snapshot(observer);
    assertThat(end.ownedVms()).as("the group's own VMs are gone").isEmpty();
    int touched = assertUntouched(foreign);

    FaultReport.of("foreign-objects")
        .put("faults", "foreign_vms_in_folder_2+lookalikes_elsewhere_2")
        .put("foreign_vms_watched", before.size() + foreign.size())
        .put("vms_lost", audit.lost())
        .put("duplicates", audit.duplicates())
        .put("foreign_touched", touched)
        .write();
  }

  /** Every foreign VM, the template and the simulator's own VMs are exactly as they were. */
  private int assertUntouched(List<VmInfo> foreign) {
    Map<MoRef, VmInfo> now =
        VcenterAudit.snapshot(observer).vms().stream()
            .collect(Collectors.toMap(VmInfo::ref, Function.identity()));
    List<VmInfo> watched = new ArrayList<>(before);
    watched.addAll(foreign);
    assertThat(watched)
        .as("the template is among the watched VMs")
        .anySatisfy(vm -> assertThat(vm.template()).isTrue());
    int touched = 0;
    for (VmInfo vm : watched) {
      VmInfo after = now.get(vm.ref());
      String was = VcenterAudit.identity(vm);
      String is = after == null ? "gone" : VcenterAudit.identity(after);
      if (!was.equals(is)) {
        touched++;
      }
      assertThat(is).as("foreign VM %s", vm.name()).isEqualTo(was);
    }
    return touched;
  }

  private static Map<String, VmInfo> byName(List<VmInfo> vms) {
    return vms.stream().collect(Collectors.toMap(VmInfo::name, Function.identity()));
  }
}
