package com.codeconnect.vmgroup.faults;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario 8: administrators change vCenter behind the operator's back. A VM deleted, a VM
 * moved out of the group's folder and a VM resized, all at once; then the group's folder deleted
 * with everything in it; then the operator's root folder. Each time the group is rebuilt to its
 * spec, and the VM that was moved away is left alone where the administrator put it.
 *
 * <p>RepairAndSafetySuite covers a single VM deleted, resized or powered off; this adds the move,
 * the folders, and several changes landing together.
 */
class OutOfBandIT extends FaultFixture {

  @Test
  void deletedMovedResizedVmsAndDeletedFoldersAreRepaired() {
    create("oob", 1, 1, 3);
    awaitConverged("oob");
    MoRef vmFolder = observer.datacenter(observer.datacenters().get(0).ref()).vmFolder();
    Map<String, VmInfo> was = byName(vmsOf("oob"));

    // Three administrators at once: one deletes oob-0, one drags oob-1 to the datacenter's VM
    // folder, one gives oob-2 a second CPU (powering it off first: without hot-add, vCenter
    // refuses a CPU change of a running VM).
    long start = System.nanoTime();
    sim.destroyVm(was.get("oob-0").ref().value());
    sim.moveVm(was.get("oob-1").ref().value(), vmFolder.value());
    // The operator may power the VM back on between the two calls (it repairs drift); the
    // administrator tries again, as a person would.
    TaskInfo.State resized = TaskInfo.State.ERROR;
    for (int attempt = 0; attempt < 10 && resized != TaskInfo.State.SUCCESS; attempt++) {
      finish(observer.powerOffVm(was.get("oob-2").ref()));
      resized = finish(observer.reconfigureVm(was.get("oob-2").ref(), 2, 1024)).state();
    }
    assertThat(resized).isEqualTo(TaskInfo.State.SUCCESS);
    awaitConverged("oob");
    long vmsRepaired = millisSince(start);
    Map<String, VmInfo> now = byName(vmsOf("oob"));
    assertThat(now.get("oob-0").ref()).as("a new oob-0").isNotEqualTo(was.get("oob-0").ref());
    assertThat(now.get("oob-1").ref()).as("a new oob-1").isNotEqualTo(was.get("oob-1").ref());
    assertThat(now.get("oob-2").ref()).as("oob-2 resized back").isEqualTo(was.get("oob-2").ref());
    VmInfo moved =
        observer.vmsInFolder(vmFolder).stream()
            .filter(vm -> vm.ref().equals(was.get("oob-1").ref()))
            .findFirst()
            .orElseThrow();

    MoRef groupFolder = folder("oob").orElseThrow();
    start = System.nanoTime();
    assertThat(sim.destroyFolder(groupFolder.value())).isEqualTo(3);
    awaitConverged("oob");
    long folderRepaired = millisSince(start);
    assertThat(folder("oob")).get().isNotEqualTo(groupFolder);

    MoRef root = observer.findByInventoryPath(ROOT).orElseThrow();
    start = System.nanoTime();
    assertThat(sim.destroyFolder(root.value())).isEqualTo(3);
    awaitConverged("oob");
    long rootRepaired = millisSince(start);
    assertThat(observer.findByInventoryPath(ROOT)).get().isNotEqualTo(root);
    assertThat(isTrue("oob", StatusBuilder.DEGRADED)).isFalse();

    VcenterAudit.Result audit = audit(Set.of(moved.ref()));
    assertThat(audit.problems()).isEmpty();
    assertThat(observer.vmsInFolder(vmFolder))
        .as("the moved VM is where the administrator put it, as it was")
        .extracting(VcenterAudit::identity)
        .contains(VcenterAudit.identity(moved));

    delete("oob");
    eventually(PATIENCE).until(() -> get("oob") == null);
    assertThat(folder("oob")).isEmpty();
    assertThat(VcenterAudit.snapshot(observer).ownedVms())
        .extracting(VcenterAudit::identity)
        .as("only the moved VM still carries the group's markers")
        .containsExactly(VcenterAudit.identity(moved));

    FaultReport.of("out-of-band")
        .put("faults", "vm_deleted+vm_moved+vm_resized,group_folder_deleted,root_folder_deleted")
        .put("recovery_vms_ms", vmsRepaired)
        .put("recovery_group_folder_ms", folderRepaired)
        .put("recovery_root_folder_ms", rootRepaired)
        .audit(audit)
        .write();
  }

  private static Map<String, VmInfo> byName(List<VmInfo> vms) {
    return vms.stream().collect(Collectors.toMap(VmInfo::name, Function.identity()));
  }
}
