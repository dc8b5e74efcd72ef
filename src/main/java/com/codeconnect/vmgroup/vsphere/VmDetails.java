package com.codeconnect.vmgroup.vsphere;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one VM holds beyond {@link VmInfo}: too big for the change feed, read on demand by {@link
 * VsphereClient#details(MoRef)}.
 *
 * <p>{@link #toString()} shows the values of {@code guestinfo.*} keys only by their length: that is
 * where cloud-init's user data lives, and it may hold passwords.
 *
 * @param nics the virtual NICs in the order vCenter lists them: a template's first, then those
 *     added to the VM, which is the order a customization's per-NIC settings apply in and the order
 *     the guest names them (keys are not: a simulator gives added devices lower ones)
 * @param disks the virtual disks in the order vCenter lists them
 * @param controllers the controllers disks can be attached to (SCSI, SATA, NVMe, IDE)
 * @param numCoresPerSocket cores per virtual socket; 0 when vCenter doesn't say
 * @param annotation the VM's Notes; empty when there are none
 * @param extraConfig every extraConfig entry, in vCenter's order
 * @param guest what VMware Tools in the guest reports; empty when it reports nothing (e.g. the VM
 *     is off)
 */
public record VmDetails(
    MoRef ref,
    List<Nic> nics,
    List<Disk> disks,
    List<Controller> controllers,
    int numCoresPerSocket,
    String annotation,
    Map<String, String> extraConfig,
    Guest guest) {

  public VmDetails {
    Objects.requireNonNull(ref, "ref");
    nics = List.copyOf(nics);
    disks = List.copyOf(disks);
    controllers = List.copyOf(controllers);
    annotation = annotation == null ? "" : annotation;
    extraConfig = SecretValues.orderedCopy(extraConfig);
    guest = guest == null ? Guest.NONE : guest;
  }

  /**
   * A virtual NIC.
   *
   * @param deviceType the vim25 device type, e.g. {@code VirtualVmxnet3} or {@code VirtualE1000}
   * @param label as vCenter shows it, e.g. "Network adapter 1"
   * @param macAddress the MAC address; null until vCenter has assigned one
   */
  public record Nic(
      int key, String deviceType, String label, NicBacking backing, String macAddress) {
    public Nic {
      Objects.requireNonNull(deviceType, "deviceType");
      Objects.requireNonNull(backing, "backing");
      label = label == null ? "" : label;
    }
  }

  /**
   * A virtual disk.
   *
   * @param fileName the backing file's datastore path, e.g. {@code [LocalDS_0] web-0/web-0.vmdk}
   * @param thin thin provisioned; false for thick and for backings other than a flat VMDK
   * @param diskMode e.g. {@code persistent}; null for backings without one
   * @param backingType the vim25 backing type; {@link #FLAT} for an ordinary VMDK, the only kind
   *     {@link DeviceChange.GrowDisk} grows
   * @param child the backing has a parent (a linked clone's delta disk, or a disk with snapshots):
   *     vCenter can't grow such a disk
   */
  public record Disk(
      int key,
      int controllerKey,
      int unitNumber,
      long capacityKiB,
      boolean thin,
      String label,
      String fileName,
      String diskMode,
      String backingType,
      boolean child) {
    /** The backing of an ordinary VMDK, thin or thick. */
    public static final String FLAT = "VirtualDiskFlatVer2BackingInfo";

    public Disk {
      label = label == null ? "" : label;
      fileName = fileName == null ? "" : fileName;
    }
  }

  /**
   * A controller disks can be attached to.
   *
   * @param type the vim25 type, e.g. {@code ParaVirtualSCSIController} or {@code
   *     VirtualAHCIController}
   * @param unitsInUse unit numbers taken by devices on it (disks, CD-ROMs); a SCSI controller's own
   *     unit 7 is not listed, {@link #firstFreeUnit()} skips it
   */
  public record Controller(int key, String type, int busNumber, Set<Integer> unitsInUse) {
    public Controller {
      if (Bus.of(type) == null) {
        throw new IllegalArgumentException(type + " is not a disk controller");
      }
      unitsInUse = Set.copyOf(new TreeSet<>(unitsInUse));
    }

    public Bus bus() {
      return Bus.of(type);
    }

    /** The lowest unit number a new disk can take, or empty when the controller is full. */
    public OptionalInt firstFreeUnit() {
      for (int unit = 0; unit < bus().units; unit++) {
        if (isFree(unit)) {
          return OptionalInt.of(unit);
        }
      }
      return OptionalInt.empty();
    }

    /** Whether a new disk can take this unit: one the bus has, not the controller's, not taken. */
    public boolean isFree(int unit) {
      Bus b = bus();
      return unit >= 0 && unit < b.units && unit != b.reservedUnit && !unitsInUse.contains(unit);
    }
  }

  /** The kinds of disk controller, with vSphere's unit numbers per controller. */
  public enum Bus {
    /** 16 units, of which 7 is the controller's own. */
    SCSI(16, 7),
    /** SATA (AHCI): 30 units. */
    SATA(30, -1),
    /** NVMe: 15 units. */
    NVME(15, -1),
    /** IDE: master and slave. */
    IDE(2, -1);

    private final int units;
    private final int reservedUnit;

    Bus(int units, int reservedUnit) {
      this.units = units;
      this.reservedUnit = reservedUnit;
    }

    /** The bus of a controller type, or null when the type is not a disk controller. */
    public static Bus of(String controllerType) {
      return switch (controllerType) {
        case "ParaVirtualSCSIController",
            "VirtualLsiLogicController",
            "VirtualLsiLogicSASController",
            "VirtualBusLogicController" ->
            SCSI;
        case "VirtualAHCIController", "VirtualSATAController" -> SATA;
        case "VirtualNVMEController" -> NVME;
        case "VirtualIDEController" -> IDE;
        default -> null;
      };
    }
  }

  /**
   * What VMware Tools reports from inside the guest.
   *
   * @param hostName the guest's host name, or null
   * @param nics one entry per NIC the guest sees, in the order Tools lists them
   */
  public record Guest(String hostName, List<GuestNic> nics) {
    public static final Guest NONE = new Guest(null, List.of());

    public Guest {
      nics = List.copyOf(nics);
    }
  }

  /**
   * A NIC as the guest sees it.
   *
   * @param network the name of the network it is attached to (a distributed port group's name for a
   *     distributed backing), or null
   * @param deviceKey the key of the virtual NIC it is, or -1 when Tools doesn't say
   */
  public record GuestNic(
      String network, String macAddress, List<String> ipAddresses, int deviceKey) {
    public GuestNic {
      ipAddresses = List.copyOf(ipAddresses);
    }
  }

  /**
   * The disk a template made the usual way boots from: the one on the lowest bus and unit number
   * (SCSI 0:0), the first in the list among equals. A guest may boot from another (its boot order
   * says); this is the one the operator grows.
   */
  public java.util.Optional<Disk> bootDisk() {
    return disks.stream()
        .min(
            java.util.Comparator.comparingInt(
                    (Disk d) -> controller(d.controllerKey()).map(Controller::busNumber).orElse(0))
                .thenComparingInt(Disk::unitNumber));
  }

  /** The NIC with this key, if any. */
  public java.util.Optional<Nic> nic(int key) {
    return nics.stream().filter(n -> n.key() == key).findFirst();
  }

  /** The disk with this key, if any. */
  public java.util.Optional<Disk> disk(int key) {
    return disks.stream().filter(d -> d.key() == key).findFirst();
  }

  /** The controller with this key, if any. */
  public java.util.Optional<Controller> controller(int key) {
    return controllers.stream().filter(c -> c.key() == key).findFirst();
  }

  @Override
  public String toString() {
    return "VmDetails[ref="
        + ref
        + ", nics="
        + nics
        + ", disks="
        + disks
        + ", controllers="
        + controllers
        + ", numCoresPerSocket="
        + numCoresPerSocket
        + ", annotation="
        + annotation
        + ", extraConfig="
        + SecretValues.describe(extraConfig)
        + ", guest="
        + guest
        + "]";
  }
}
