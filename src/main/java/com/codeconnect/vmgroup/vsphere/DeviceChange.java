package com.codeconnect.vmgroup.vsphere;

import java.util.Objects;

/**
 * One edit of a VM's virtual hardware, in a clone ({@link CloneRequest#deviceChanges()}, applied to
 * the clone's copies of the source's devices) or in place ({@link VmChange#deviceChanges()}).
 *
 * <p>Edits of an existing device take the device as {@link VsphereClient#details(MoRef)} read it
 * (the source's, for a clone), not only its key: vCenter wants the whole device in an edit, of its
 * own type, with its backing file for a disk.
 */
public sealed interface DeviceChange {

  /**
   * Attaches an existing NIC to another network. In place it keeps its MAC address; in a clone
   * vCenter gives it a new one, as to every NIC of a clone.
   */
  record RebindNic(VmDetails.Nic nic, NicBacking backing) implements DeviceChange {
    public RebindNic {
      Objects.requireNonNull(nic, "nic");
      requireAttachable(backing);
    }
  }

  /** Adds a vmxnet3 NIC, connected at power-on, with a MAC address vCenter generates. */
  record AddNic(NicBacking backing) implements DeviceChange {
    public AddNic {
      requireAttachable(backing);
    }
  }

  /**
   * Grows a disk. vCenter refuses to shrink one (InvalidDeviceOperation) and to grow one with a
   * parent (a linked clone's, or one with snapshots); a running VM's SCSI disk grows online.
   */
  record GrowDisk(VmDetails.Disk disk, long capacityKiB) implements DeviceChange {
    public GrowDisk {
      Objects.requireNonNull(disk, "disk");
      if (!VmDetails.Disk.FLAT.equals(disk.backingType())) {
        throw new IllegalArgumentException(
            "only a VMDK disk can be grown here, not one backed by " + disk.backingType());
      }
      requirePositive(capacityKiB);
    }
  }

  /**
   * Adds an empty disk on a controller's unit (see {@link VmDetails.Controller#firstFreeUnit()}),
   * in the VM's folder on its datastore.
   *
   * @param thin thin provisioned; false for thick (lazily zeroed)
   */
  record AddDisk(int controllerKey, int unitNumber, long capacityKiB, boolean thin)
      implements DeviceChange {
    public AddDisk {
      if (unitNumber < 0) {
        throw new IllegalArgumentException("unit number must not be negative");
      }
      requirePositive(capacityKiB);
    }
  }

  private static void requireAttachable(NicBacking backing) {
    Objects.requireNonNull(backing, "backing");
    if (backing instanceof NicBacking.Other o) {
      throw new IllegalArgumentException("a NIC can't be attached to a " + o.backingType());
    }
  }

  private static void requirePositive(long capacityKiB) {
    if (capacityKiB <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacityKiB + " KiB");
    }
  }
}
