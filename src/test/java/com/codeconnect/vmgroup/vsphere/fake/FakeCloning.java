package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CloneVM_Task in the in-memory vCenter: vCenter's name rule, the clone's hardware and state, and
 * its guest's first boot when the spec powers it on. Not thread-safe: the vCenter's lock guards it.
 */
final class FakeCloning {
  private final VcenterCore core;
  // clone names in flight per folder: vCenter holds a name from the clone's start to its end
  private final Set<List<Object>> reservedNames = new HashSet<>();

  FakeCloning(VcenterCore core) {
    this.core = core;
  }

  TaskRef clone(CloneRequest r, boolean honour) {
    core.requireVm(r.source(), "CloneVM_Task");
    // vCenter powers the clone on inside the clone task
    Duration extra = honour && r.powerOn() ? core.duration(TaskKind.POWER_ON) : Duration.ZERO;
    return creating(TaskKind.CLONE, r.folder(), r.name(), extra, at -> finishClone(r, honour, at));
  }

  /**
   * Starts a task that makes a VM called {@code name} in {@code folder}. vCenter refuses a name the
   * folder holds and holds the name from the task's start to its end, whichever task (a clone, a
   * content library deploy) makes the VM.
   */
  TaskRef creating(
      TaskKind kind, MoRef folder, String name, Duration extra, FakeTasks.Effect make) {
    Entity taken = core.inventory.vmNamed(folder, name);
    if (taken != null) {
      return core.failedTask(kind, VcenterCore.duplicateName(name, taken.ref));
    }
    List<Object> key = List.of(folder, name);
    if (!reservedNames.add(key)) {
      // the VM does not exist yet; the folder is the closest object that does
      return core.failedTask(kind, VcenterCore.duplicateName(name, folder));
    }
    return core.startTask(kind, extra, make, () -> reservedNames.remove(key));
  }

  /**
   * What vCenter finds as a task that makes a VM ends: its folder, pool and datastore still there,
   * its name still free (someone may have taken it by other means meanwhile), and room on the
   * datastore unless a test filled it.
   */
  void requirePlacement(MoRef folder, String name, MoRef pool, MoRef datastore) {
    Entity f = core.inventory.get(folder);
    if (f == null || !f.isFolder()) {
      throw FakeInventory.notFound(folder);
    }
    core.inventory.require(pool);
    if (datastore != null) {
      core.inventory.require(datastore);
    }
    Entity taken = core.inventory.vmNamed(folder, name);
    if (taken != null) {
      throw VcenterCore.duplicateName(name, taken.ref);
    }
    if (core.faults.cloneFails(name)) {
      throw new VsphereException(
          "NoDiskSpace",
          "NoDiskSpace: There is not enough space on the file system for the selected operation"
              + " (datastore 'LocalDS_0' is full).",
          false);
    }
  }

  private MoRef finishClone(CloneRequest r, boolean honour, Instant at) {
    requirePlacement(r.folder(), r.name(), r.pool(), r.datastore());
    Entity source = core.inventory.require(r.source());
    VmState s = source.vm;
    if (r.linkedSnapshot() != null && !r.linkedSnapshot().equals(s.snapshot())) {
      throw new VsphereException(
          "InvalidArgument",
          "InvalidArgument: a linked clone needs a snapshot of " + source.name,
          false);
    }
    MoRef datastore = r.datastore() != null ? r.datastore() : s.datastore();
    VmHardware hw =
        core.specs.cloned(source.hardware, r, honour, core.inventory.get(datastore).name);
    boolean on = honour && r.powerOn();
    VmState clone =
        new VmState(
                on ? PowerState.POWERED_ON : PowerState.POWERED_OFF,
                honour && r.cpu() > 0 ? r.cpu() : s.cpu(),
                honour && r.memoryMiB() > 0 ? r.memoryMiB() : s.memoryMiB(),
                false,
                null,
                null,
                s.extraConfig(),
                s.cpuHotAdd(),
                s.memoryHotAdd(),
                null,
                r.pool(),
                datastore)
            .withExtraConfig(r.extraConfig());
    if (on) {
      // the guest boots inside the clone task and applies the customization
      VmSpecs.Boot boot = core.specs.boot(hw);
      hw = boot.hardware();
      clone = boot.applied(clone);
    }
    MoRef vm = core.inventory.addVm(r.folder(), r.name(), clone, hw, at).ref;
    if (on) {
      core.guests.booted(vm, at);
    }
    return vm;
  }
}
