package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.List;
import java.util.Map;

/**
 * One vCenter change the plan asks for. Each starts exactly one task, but for {@link SyncTags} and
 * {@link SetAttributes}, whose calls vCenter answers at once.
 */
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
   * Deploys the content library item as a new VM named {@code target} into the group's folder,
   * powered off. The call can't carry the ownership markers: the controller records the deploy
   * first ({@link Deploys.Record}, kept in status.deploys), and the VM gets its markers by {@link
   * MarkDeployed} before anything else happens to it.
   */
  record Deploy(int index, String target) implements Action {
    @Override
    public boolean settledBy(VmInfo observed) {
      return observed != null;
    }

    @Override
    public String describe() {
      return "deploying VM '" + target + "' from the content library";
    }
  }

  /**
   * Writes the markers a deploy couldn't carry ({@link Deploys#markers}) on a deployed VM that the
   * operator's own record identifies ({@link Deploys#recognise}); before it, the VM is not the
   * group's, so nothing powers it on or resizes it.
   */
  record MarkDeployed(VmInfo vm, Map<String, String> markers) implements Action {
    public MarkDeployed {
      markers = Map.copyOf(markers);
    }

    /** Settled once the VM shows among the group's own, i.e. with its owner marker. */
    @Override
    public boolean settledBy(VmInfo observed) {
      return observed != null;
    }

    @Override
    public String describe() {
      return "marking deployed VM '" + vm.name() + "' as the group's";
    }

    @Override
    public String target() {
      return vm.name();
    }
  }

  /**
   * Records in the VM's extraConfig which tags and custom attributes the operator manages ({@link
   * Ownership#TAGS}, {@link Ownership#ATTRIBUTES}); an empty value removes the marker. One task.
   * Written before the operator attaches or sets something new, and after it detached or cleared,
   * so a crash between the two steps leaves nothing it set unlisted ({@link InPlaceSync}).
   */
  record WriteMarkers(VmInfo vm, Map<String, String> markers) implements Action {
    public WriteMarkers {
      markers = Map.copyOf(markers);
    }

    @Override
    public boolean settledBy(VmInfo observed) {
      return observed == null
          || markers.entrySet().stream()
              .allMatch(
                  e -> e.getValue().equals(observed.extraConfig().getOrDefault(e.getKey(), "")));
    }

    @Override
    public String describe() {
      return "recording the tags and attributes the operator manages on VM '" + vm.name() + "'";
    }

    @Override
    public String target() {
      return vm.name();
    }
  }

  /**
   * Attaches and detaches tags (by id) on a VM through the tagging service: one call for each
   * non-empty list, no vCenter task. Tags are not in the VM's observed state, so this settles at
   * once; the controller takes the VM's tags as changed when the calls succeed.
   */
  record SyncTags(VmInfo vm, List<String> attach, List<String> detach) implements Action {
    public SyncTags {
      attach = List.copyOf(attach);
      detach = List.copyOf(detach);
    }

    @Override
    public boolean settledBy(VmInfo observed) {
      return true;
    }

    @Override
    public String describe() {
      return "updating the tags of VM '"
          + vm.name()
          + "' ("
          + (attach.isEmpty() ? "" : "attaching " + attach.size())
          + (attach.isEmpty() || detach.isEmpty() ? "" : ", ")
          + (detach.isEmpty() ? "" : "detaching " + detach.size())
          + ")";
    }

    @Override
    public String target() {
      return vm.name();
    }
  }

  /**
   * Sets custom attributes on a VM by name (SOAP CustomFieldsManager.SetField, one call each, no
   * task); an empty value clears one, vSphere having no way to unset a value. The values are not in
   * the VM's observed state, so this settles at once, as {@link SyncTags} does.
   */
  record SetAttributes(VmInfo vm, Map<String, String> values) implements Action {
    public SetAttributes {
      values = Map.copyOf(values);
    }

    @Override
    public boolean settledBy(VmInfo observed) {
      return true;
    }

    @Override
    public String describe() {
      return "setting " + values.size() + " custom attributes of VM '" + vm.name() + "'";
    }

    @Override
    public String target() {
      return vm.name();
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
