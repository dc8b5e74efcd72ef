package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.GuestCustomization;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NicBacking;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A VM's virtual hardware, Notes and guest state in the in-memory vCenter; immutable. Shaped like
 * the simulator's model VM: two IDE controllers (a CD-ROM on the first), a paravirtual SCSI
 * controller with the boot disk, and one E1000 NIC.
 *
 * @param slots units taken by devices other than disks (the CD-ROM), as {controller key, unit}
 * @param pending the customization the guest applies at its next boot, or null
 * @param guestHostName what the guest reports once customized, or null
 * @param guestIps what the guest reports per NIC key once customized
 */
record VmHardware(
    int coresPerSocket,
    String annotation,
    List<Ctl> controllers,
    List<VmDetails.Nic> nics,
    List<VmDetails.Disk> disks,
    List<List<Integer>> slots,
    GuestCustomization pending,
    String guestHostName,
    Map<Integer, List<String>> guestIps) {

  /** A controller disks can go on. */
  record Ctl(int key, String type, int bus) {}

  static final int SCSI_KEY = 1000;
  static final int IDE_KEY = 200;
  static final int FIRST_DISK_KEY = 2000;
  static final int FIRST_NIC_KEY = 4000;

  VmHardware {
    controllers = List.copyOf(controllers);
    nics = List.copyOf(nics);
    disks = List.copyOf(disks);
    slots = List.copyOf(slots);
    annotation = annotation == null ? "" : annotation;
    guestIps = Map.copyOf(guestIps);
  }

  /**
   * The model's hardware: a thin 1 MiB boot disk and a NIC on {@code backing}.
   *
   * @param child whether the disk has a parent (the VM has a snapshot)
   */
  static VmHardware model(
      String vmName, String datastore, NicBacking backing, String mac, boolean child) {
    return new VmHardware(
        1,
        "",
        List.of(
            new Ctl(IDE_KEY, "VirtualIDEController", 0),
            new Ctl(IDE_KEY + 1, "VirtualIDEController", 1),
            new Ctl(SCSI_KEY, "ParaVirtualSCSIController", 0)),
        List.of(
            new VmDetails.Nic(FIRST_NIC_KEY, "VirtualE1000", "Network adapter 1", backing, mac)),
        List.of(
            new VmDetails.Disk(
                FIRST_DISK_KEY,
                SCSI_KEY,
                0,
                1024,
                true,
                "Hard disk 1",
                fileName(datastore, vmName, 0),
                "persistent",
                VmDetails.Disk.FLAT,
                child)),
        List.of(List.of(IDE_KEY, 0)),
        null,
        null,
        Map.of());
  }

  /** Where vCenter puts a VM's n-th disk: {@code [ds] vm/vm.vmdk}, then {@code vm_1.vmdk}... */
  static String fileName(String datastore, String vmName, int index) {
    return "["
        + datastore
        + "] "
        + vmName
        + "/"
        + vmName
        + (index == 0 ? "" : "_" + index)
        + ".vmdk";
  }

  VmHardware with(
      int cores, String notes, List<VmDetails.Nic> newNics, List<VmDetails.Disk> newDisks) {
    return new VmHardware(
        cores, notes, controllers, newNics, newDisks, slots, pending, guestHostName, guestIps);
  }

  VmHardware withPending(GuestCustomization c) {
    return new VmHardware(
        coresPerSocket, annotation, controllers, nics, disks, slots, c, guestHostName, guestIps);
  }

  VmHardware withGuest(String hostName, Map<Integer, List<String>> ips) {
    return new VmHardware(
        coresPerSocket, annotation, controllers, nics, disks, slots, null, hostName, ips);
  }

  Ctl controller(int key) {
    return controllers.stream().filter(c -> c.key() == key).findFirst().orElse(null);
  }

  Set<Integer> unitsInUse(int controllerKey) {
    Set<Integer> units = new HashSet<>();
    for (VmDetails.Disk d : disks) {
      if (d.controllerKey() == controllerKey) {
        units.add(d.unitNumber());
      }
    }
    for (List<Integer> s : slots) {
      if (s.get(0) == controllerKey) {
        units.add(s.get(1));
      }
    }
    return units;
  }

  /**
   * As {@link com.codeconnect.vmgroup.vsphere.VsphereClient#details} reads it. The guest reports
   * only while the VM runs, as VMware Tools does.
   */
  VmDetails details(
      MoRef ref,
      Map<String, String> extraConfig,
      boolean running,
      Function<NicBacking, String> networkName) {
    List<VmDetails.Controller> ctls = new ArrayList<>();
    for (Ctl c : controllers) {
      ctls.add(new VmDetails.Controller(c.key(), c.type(), c.bus(), unitsInUse(c.key())));
    }
    VmDetails.Guest guest = VmDetails.Guest.NONE;
    if (running) {
      List<VmDetails.GuestNic> guestNics = new ArrayList<>();
      for (VmDetails.Nic n : nics) {
        guestNics.add(
            new VmDetails.GuestNic(
                networkName.apply(n.backing()),
                n.macAddress(),
                guestIps.getOrDefault(n.key(), List.of()),
                n.key()));
      }
      guest = new VmDetails.Guest(guestHostName, guestNics);
    }
    return new VmDetails(ref, nics, disks, ctls, coresPerSocket, annotation, extraConfig, guest);
  }
}
