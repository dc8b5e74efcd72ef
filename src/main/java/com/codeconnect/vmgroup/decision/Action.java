package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;

/** One vCenter change the plan asks for. Each starts exactly one task. */
public sealed interface Action {
  /** Name of the VM (or folder) the action is about; also the key its task is tracked under. */
  String target();

  /** What the action does, for events and status, e.g. "cloning VM 'vg-1-0'". */
  String describe();

  /**
   * The existing VM the action works on, or null: a clone makes one, a folder's destroy has none.
   * The actions on a VM implement it with their record component.
   */
  default VmInfo vm() {
    return null;
  }

  /**
   * Whether an observation shows this action's effect. After the task succeeded, the change feed
   * may still deliver the old state for a moment; until it shows the effect the VM is left alone,
   * so the plan doesn't repeat an action that already happened.
   *
   * @param observed the VM as now observed among the group's own VMs, or null if absent
   */
  boolean settledBy(VmInfo observed);

  record Clone(int index, String target) implements Action {
    @Override
    public boolean settledBy(VmInfo observed) {
      return observed != null;
    }

    @Override
    public String describe() {
      return "cloning VM '" + target + "'";
    }
  }

  /**
   * Sets a VM's size; while it runs, only with hot-add.
   *
   * @param specHash recorded on the VM in the same task, or null to leave the marker as it is
   */
  record Reconfigure(VmInfo vm, int cpu, long memoryMiB, String specHash) implements Action {
    public Reconfigure(VmInfo vm, int cpu, long memoryMiB) {
      this(vm, cpu, memoryMiB, null);
    }

    @Override
    public boolean settledBy(VmInfo observed) {
      return observed == null || (observed.cpu() == cpu && observed.memoryMiB() == memoryMiB);
    }

    @Override
    public String describe() {
      return "reconfiguring VM '"
          + vm.name()
          + "' to "
          + cpu
          + " CPU and "
          + memoryMiB
          + " MiB"
          + (vm.powerState() == PowerState.POWERED_ON ? " while it runs (hot-add)" : "");
    }

    @Override
    public String target() {
      return vm.name();
    }
  }

  /**
   * Grows a VM's boot disk to {@code sizeGiB} while it runs, and records the size on it ({@link
   * Ownership#BOOT_DISK_GIB}) in the same task. The guest grows its partition and file system.
   */
  record GrowDisk(VmInfo vm, int sizeGiB) implements Action {
    public GrowDisk {
      int now = Ownership.bootDiskGiB(vm).orElse(0);
      if (sizeGiB <= now) {
        throw new IllegalArgumentException(
            "a disk only grows: VM '" + vm.name() + "' has " + now + " GiB, asked " + sizeGiB);
      }
    }

    @Override
    public boolean settledBy(VmInfo observed) {
      return observed == null || Ownership.bootDiskGiB(observed).orElse(0) >= sizeGiB;
    }

    @Override
    public String describe() {
      return "growing the boot disk of VM '" + vm.name() + "' to " + sizeGiB + " GiB";
    }

    @Override
    public String target() {
      return vm.name();
    }
  }

  /**
   * Writes a fresh clone's cloud-init metadata, whose network config names the NICs by the MACs
   * vCenter gave them in the clone, before its first power-on; records that it did in the same task
   * ({@link Ownership#METADATA_WRITTEN}).
   */
  record WriteMetadata(VmInfo vm) implements Action {
    @Override
    public boolean settledBy(VmInfo observed) {
      return observed == null || Ownership.metadataWritten(observed);
    }

    @Override
    public String describe() {
      return "writing the cloud-init metadata of VM '" + vm.name() + "'";
    }

    @Override
    public String target() {
      return vm.name();
    }
  }

  /**
   * Makes a VM deployed from a content library the group's: one reconfigure, before its first
   * power-on, writes what a clone carries in its own call (size, ownership markers, NICs, disks,
   * cloud-init, Notes). Settled once the VM shows the markers (or is gone).
   */
  record FinishDeploy(VmInfo vm) implements Action {
    @Override
    public boolean settledBy(VmInfo observed) {
      return observed == null || observed.extraConfig().containsKey(Ownership.OWNER_UID);
    }

    @Override
    public String describe() {
      return "configuring VM '" + vm.name() + "' deployed from the content library";
    }

    @Override
    public String target() {
      return vm.name();
    }
  }

  /**
   * Gives a deployed VM its guest customization (CustomizeVM), before its first power-on: see
   * {@link Ownership#CUSTOMIZATION}. Settled at once: what follows is decided from the task's end.
   */
  record Customize(VmInfo vm) implements Action {
    @Override
    public boolean settledBy(VmInfo observed) {
      return true;
    }

    @Override
    public String describe() {
      return "customizing the guest of VM '" + vm.name() + "'";
    }

    @Override
    public String target() {
      return vm.name();
    }
  }

  /** Removes {@link Ownership#CUSTOMIZATION} once vCenter holds the VM's customization. */
  record MarkCustomized(VmInfo vm) implements Action {
    @Override
    public boolean settledBy(VmInfo observed) {
      return observed == null || !Ownership.customizationPending(observed);
    }

    @Override
    public String describe() {
      return "recording that VM '" + vm.name() + "' has its guest customization";
    }

    @Override
    public String target() {
      return vm.name();
    }
  }

  record PowerOn(VmInfo vm) implements Action {
    @Override
    public boolean settledBy(VmInfo observed) {
      return observed == null || observed.powerState() == PowerState.POWERED_ON;
    }

    @Override
    public String describe() {
      return "powering on VM '" + vm.name() + "'";
    }

    @Override
    public String target() {
      return vm.name();
    }
  }

  /** Powers off before a destroy, or before a resize that a running VM can't take. */
  record PowerOff(VmInfo vm, Purpose purpose) implements Action {
    @Override
    public boolean settledBy(VmInfo observed) {
      return observed == null || observed.powerState() == PowerState.POWERED_OFF;
    }

    @Override
    public String describe() {
      return "powering off VM '"
          + vm.name()
          + (purpose == Purpose.RESIZE ? "' to resize it" : "' to delete it");
    }

    public enum Purpose {
      DELETE,
      RESIZE
    }

    @Override
    public String target() {
      return vm.name();
    }
  }

  /** Removes the operator's markers from a VM, handing it over (deletion policy Retain). */
  record Release(VmInfo vm) implements Action {
    @Override
    public boolean settledBy(VmInfo observed) {
      return observed == null;
    }

    @Override
    public String target() {
      return vm.name();
    }

    @Override
    public String describe() {
      return "removing the ownership markers of VM '" + vm.name() + "'";
    }
  }

  /** Removes the group's folder once it holds nothing. */
  record DestroyFolder(MoRef folder, String target) implements Action {
    @Override
    public boolean settledBy(VmInfo observed) {
      return true;
    }

    @Override
    public String describe() {
      return "destroying empty folder '" + target + "'";
    }
  }

  /**
   * Replaces an unhealthy VM ({@link Healing}): the VM goes, and the plan clones its index again,
   * under the same name and with the same static addresses and failure domain. Like a scale-in's
   * removal, it is one task at a time: {@link #step} powers the VM off, or, once it is off,
   * destroys it; healing asks again for a VM still there, and the clone follows from {@link
   * ReplicaPlan} once the index is free.
   *
   * @param reason why, for Events and status, e.g. "not ready for 5m (HeartbeatRed)"
   */
  record Replace(VmInfo vm, String reason) implements Action {
    /** The task this action starts: the same as a removal's. */
    public Action step() {
      return vm.powerState() == PowerState.POWERED_OFF
          ? new Destroy(vm)
          : new PowerOff(vm, PowerOff.Purpose.DELETE);
    }

    @Override
    public boolean settledBy(VmInfo observed) {
      return step().settledBy(observed);
    }

    @Override
    public String describe() {
      return "replacing VM '" + vm.name() + "': " + reason;
    }

    @Override
    public String target() {
      return vm.name();
    }
  }

  record Destroy(VmInfo vm) implements Action {
    @Override
    public boolean settledBy(VmInfo observed) {
      return observed == null;
    }

    @Override
    public String describe() {
      return "destroying VM '" + vm.name() + "'";
    }

    @Override
    public String target() {
      return vm.name();
    }
  }
}
