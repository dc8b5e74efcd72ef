package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.List;
import java.util.OptionalInt;

/**
 * The boot disk's size: set at clone, grown in place later, never shrunk (vSphere can't). What a
 * VM's disk has is its {@link Ownership#BOOT_DISK_GIB} marker, else (a VM cloned at the template's
 * size) the template's.
 */
public final class BootDisk {
  private BootDisk() {}

  /**
   * DiskShrinkRefused when the spec asks for less than the template's boot disk, or null.
   *
   * @param templateGiB the template's boot disk in GiB, rounded up
   */
  public static Problem belowTemplate(Integer specGiB, int templateGiB, String template) {
    if (specGiB == null || specGiB >= templateGiB) {
      return null;
    }
    return new Problem(
        Problem.Reason.DiskShrinkRefused,
        "spec.disk.sizeGiB "
            + specGiB
            + " is smaller than the boot disk of template '"
            + template
            + "' ("
            + templateGiB
            + " GiB): vSphere can't shrink a disk; ask for "
            + templateGiB
            + " or more, or leave it out");
  }

  /**
   * The size to clone with: the spec's when it is larger than the template's, else null (keep the
   * template's). Recorded on the VM when not null ({@link Ownership#markers}).
   */
  public static Integer atClone(Integer specGiB, Integer templateGiB) {
    if (specGiB == null || (templateGiB != null && specGiB <= templateGiB)) {
      return null;
    }
    return specGiB;
  }

  /** The VM's boot disk in GiB: its marker, else the template's; empty when neither is known. */
  public static OptionalInt current(VmInfo vm, Integer templateGiB) {
    OptionalInt marked = Ownership.bootDiskGiB(vm);
    if (marked.isPresent() || templateGiB == null) {
      return marked;
    }
    return OptionalInt.of(templateGiB);
  }

  /** Whether the VM's boot disk is known to be smaller than the spec asks: grow it in place. */
  public static boolean needsGrowth(VmInfo vm, ReplicaPlan.Desired desired) {
    if (desired.bootDiskGiB() == null) {
      return false;
    }
    OptionalInt now = current(vm, desired.templateDiskGiB());
    return now.isPresent() && now.getAsInt() < desired.bootDiskGiB();
  }

  /**
   * DiskShrinkRefused naming the VMs whose boot disk is larger than the spec asks, or null. They
   * keep their disks (nothing is planned for them); new VMs get the spec's size, or the template's
   * when that is larger.
   */
  public static Problem shrinkRefused(ReplicaPlan.Desired desired, List<VmInfo> owned) {
    if (desired.bootDiskGiB() == null) {
      return null;
    }
    List<String> larger =
        owned.stream()
            .filter(
                vm ->
                    Ownership.bootDiskGiB(vm).isPresent()
                        && Ownership.bootDiskGiB(vm).getAsInt() > desired.bootDiskGiB())
            .map(VmInfo::name)
            .sorted()
            .toList();
    if (larger.isEmpty()) {
      return null;
    }
    int largest =
        owned.stream()
            .mapToInt(vm -> Ownership.bootDiskGiB(vm).orElse(0))
            .max()
            .orElse(desired.bootDiskGiB());
    return new Problem(
        Problem.Reason.DiskShrinkRefused,
        "spec.disk.sizeGiB "
            + desired.bootDiskGiB()
            + " is smaller than the boot disk of "
            + (larger.size() == 1 ? "VM " : "VMs ")
            + String.join(", ", larger.subList(0, Math.min(5, larger.size())))
            + (larger.size() > 5 ? " and " + (larger.size() - 5) + " more" : "")
            + " (up to "
            + largest
            + " GiB): vSphere can't shrink a disk, so they keep theirs; set it back to "
            + largest
            + " or more");
  }
}
