package com.codeconnect.vmgroup.vsphere.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Kind;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Op;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryTest {
  static final MoRef ROOT = new MoRef("Folder", "root");
  static final MoRef GROUP = new MoRef("Folder", "g1");
  static final MoRef OTHER = new MoRef("Folder", "g2");
  static final MoRef VM = new MoRef("VirtualMachine", "vm-1");

  static ObjectChange folder(MoRef ref, String name, MoRef parent) {
    return new ObjectChange(ref, Kind.FOLDER, Op.ENTER, Map.of("name", name, "parent", parent));
  }

  static ObjectChange vm(Op op, Map<String, Object> values) {
    return new ObjectChange(VM, Kind.VM, op, values);
  }

  static Inventory synced() {
    Inventory inv = new Inventory();
    inv.apply(
        new ChangeBatch(
            true,
            false,
            List.of(
                folder(GROUP, "ns-g1", ROOT),
                folder(OTHER, "ns-g2", ROOT),
                vm(
                    Op.ENTER,
                    Map.of(
                        "name",
                        "g1-0",
                        "parent",
                        GROUP,
                        "powerState",
                        PowerState.POWERED_ON,
                        "cpu",
                        2,
                        "memoryMiB",
                        2048L,
                        "extraConfig",
                        Map.of("vmgroup.owner.uid", "u1"))))));
    return inv;
  }

  @Test
  void aResyncMakesItUsable() {
    Inventory inv = new Inventory();
    assertThat(inv.synced()).isFalse();
    inv = synced();
    assertThat(inv.synced()).isTrue();
    assertThat(inv.childFolder(ROOT, "ns-g1")).contains(GROUP);
    assertThat(inv.childFolder(ROOT, "nope")).isEmpty();
    assertThat(inv.childFolders(ROOT)).containsExactlyInAnyOrder(GROUP, OTHER);
    VmInfo vm = inv.vmsIn(GROUP).get(0);
    assertThat(vm.name()).isEqualTo("g1-0");
    assertThat(vm.cpu()).isEqualTo(2);
    assertThat(vm.memoryMiB()).isEqualTo(2048);
    assertThat(vm.extraConfig()).containsEntry("vmgroup.owner.uid", "u1");
  }

  @Test
  void aFinishedTaskStaysFinishedWhenALateRunningArrives() {
    Inventory inv = synced();
    TaskRef task = new TaskRef(new MoRef("Task", "task-9"));
    inv.apply(
        new ChangeBatch(
            false,
            false,
            List.of(
                new ObjectChange(
                    task.ref(), Kind.TASK, Op.ENTER, Map.of("state", TaskInfo.State.SUCCESS)),
                new ObjectChange(
                    task.ref(), Kind.TASK, Op.MODIFY, Map.of("state", TaskInfo.State.RUNNING)))));
    assertThat(inv.task(task)).hasValueSatisfying(t -> assertThat(t.done()).isTrue());
  }

  @Test
  void aTruncatedResyncIsCompleteOnlyWithItsLastBatch() {
    Inventory inv = new Inventory();
    inv.apply(new ChangeBatch(true, true, List.of(folder(GROUP, "ns-g1", ROOT))));
    assertThat(inv.synced()).isFalse();
    assertThat(inv.takeResyncCompleted()).isFalse();
    inv.apply(new ChangeBatch(false, false, List.of(folder(OTHER, "ns-g2", ROOT))));
    assertThat(inv.synced()).isTrue();
    assertThat(inv.takeResyncCompleted()).isTrue();
    assertThat(inv.takeResyncCompleted()).isFalse();
    assertThat(inv.childFolders(ROOT)).containsExactlyInAnyOrder(GROUP, OTHER);
  }

  @Test
  void modificationsMergeAndReportWhatWasBefore() {
    Inventory inv = synced();
    List<Inventory.Delta> deltas =
        inv.apply(
            new ChangeBatch(
                false,
                false,
                List.of(vm(Op.MODIFY, Map.of("powerState", PowerState.POWERED_OFF)))));
    assertThat(deltas.get(0).beforeValue("powerState")).isEqualTo(PowerState.POWERED_ON);
    VmInfo vm = inv.vmsIn(GROUP).get(0);
    assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_OFF);
    assertThat(vm.cpu()).isEqualTo(2);
  }

  @Test
  void aVmMovedToAnotherFolderIsFoundThereOnly() {
    Inventory inv = synced();
    List<Inventory.Delta> deltas =
        inv.apply(new ChangeBatch(false, false, List.of(vm(Op.MODIFY, Map.of("parent", OTHER)))));
    assertThat(deltas.get(0).beforeValue("parent")).isEqualTo(GROUP);
    assertThat(inv.vmsIn(GROUP)).isEmpty();
    assertThat(inv.vmsIn(OTHER)).extracting(VmInfo::name).containsExactly("g1-0");
  }

  @Test
  void leavingRemovesAndUnsetValuesDisappear() {
    Inventory inv = synced();
    Map<String, Object> unset = new HashMap<>();
    unset.put("ipAddress", null);
    inv.apply(new ChangeBatch(false, false, List.of(vm(Op.MODIFY, unset))));
    assertThat(inv.vmsIn(GROUP).get(0).ipAddress()).isNull();
    inv.apply(new ChangeBatch(false, false, List.of(vm(Op.LEAVE, Map.of()))));
    assertThat(inv.vmsIn(GROUP)).isEmpty();
    assertThat(inv.vmCount()).isZero();
  }

  @Test
  void aResyncReplacesEverythingButKeepsTaskStates() {
    Inventory inv = synced();
    TaskRef task = new TaskRef(new MoRef("Task", "task-1"));
    inv.apply(
        new ChangeBatch(
            false,
            false,
            List.of(
                new ObjectChange(
                    task.ref(), Kind.TASK, Op.ENTER, Map.of("state", TaskInfo.State.SUCCESS)))));
    inv.markUnsynced();
    assertThat(inv.synced()).isFalse();
    inv.apply(new ChangeBatch(true, false, List.of(folder(GROUP, "ns-g1", ROOT))));
    assertThat(inv.synced()).isTrue();
    assertThat(inv.vmsIn(GROUP)).isEmpty();
    assertThat(inv.childFolder(ROOT, "ns-g2")).isEmpty();
    assertThat(inv.task(task)).hasValueSatisfying(t -> assertThat(t.done()).isTrue());
    inv.forgetTasks(List.of(task));
    assertThat(inv.task(task)).isEmpty();
  }
}
