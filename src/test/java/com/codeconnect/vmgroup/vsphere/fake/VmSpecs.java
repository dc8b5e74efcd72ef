package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.DeviceChange;
import com.codeconnect.vmgroup.vsphere.GuestCustomization;
import com.codeconnect.vmgroup.vsphere.VmChange;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * What a clone spec and a reconfigure do to a VM's hardware in the in-memory vCenter, with
 * vCenter's refusals: a device index in a fault is the change's position in the spec, as vCenter
 * reports it.
 */
final class VmSpecs {
  private final FakeNetworks networks;

  VmSpecs(FakeNetworks networks) {
    this.networks = networks;
  }

  /**
   * The clone's hardware: the source's, with new MAC addresses (vCenter generates them for every
   * clone), disks of its own (consolidated for a full clone, children of the snapshot's for a
   * linked one), and the spec's changes. With {@code honour} false, as govmomi's simulator clones,
   * the spec's Notes, cores per socket and customization are ignored.
   */
  VmHardware cloned(VmHardware source, CloneRequest r, boolean honour, String datastore) {
    List<VmDetails.Nic> nics = new ArrayList<>();
    for (VmDetails.Nic n : source.nics()) {
      nics.add(
          new VmDetails.Nic(n.key(), n.deviceType(), n.label(), n.backing(), networks.newMac()));
    }
    List<VmDetails.Disk> disks = new ArrayList<>();
    for (VmDetails.Disk d : source.disks()) {
      disks.add(
          copy(
              d,
              d.capacityKiB(),
              VmHardware.fileName(datastore, r.name(), disks.size()),
              r.linkedSnapshot() != null));
    }
    VmHardware hw =
        new VmHardware(
            honour && r.coresPerSocket() > 0 ? r.coresPerSocket() : source.coresPerSocket(),
            honour && r.annotation() != null ? r.annotation() : source.annotation(),
            source.controllers(),
            nics,
            disks,
            source.slots(),
            null,
            null,
            Map.of());
    hw = applied(hw, r.deviceChanges(), r.name(), datastore);
    GuestCustomization c = r.customization();
    return honour && c != null ? customized(hw, c) : hw;
  }

  /** The VM with a customization pending; vCenter's fault when it doesn't fit the VM's NICs. */
  VmHardware customized(VmHardware hw, GuestCustomization c) {
    if (c.perNic().size() != hw.nics().size()) {
      throw new VsphereException(
          "NicSettingMismatch",
          "NicSettingMismatch: The number of network adapter settings in the customization"
              + " specification: "
              + c.perNic().size()
              + " does not match the number of network adapters present in the virtual"
              + " machine: "
              + hw.nics().size()
              + ".",
          false);
    }
    return hw.withPending(c);
  }

  /** The VM's hardware after a reconfigure; zero and null leave a value as it is. */
  VmHardware changed(VmHardware hw, VmChange c, String vmName, String datastore) {
    VmHardware sized =
        hw.with(
            c.coresPerSocket() > 0 ? c.coresPerSocket() : hw.coresPerSocket(),
            c.annotation() != null ? c.annotation() : hw.annotation(),
            hw.nics(),
            hw.disks());
    return applied(sized, c.deviceChanges(), vmName, datastore);
  }

  /** What the guest reports after its first boot with a pending customization. */
  record Boot(VmHardware hardware, String ipAddress) {
    /**
     * The VM as its guest reports it after this boot: the first fixed address, and every fixed
     * address in NIC order, as the simulator's customization sets {@code guest.net}.
     */
    VmState applied(VmState s) {
      if (ipAddress == null) {
        return s;
      }
      List<String> all = new ArrayList<>();
      for (VmDetails.Nic n : hardware.nics()) {
        all.addAll(hardware.guestIps().getOrDefault(n.key(), List.of()));
      }
      return s.withGuest(s.guest().withIpAddresses(all), ipAddress);
    }
  }

  /**
   * Applies a pending customization, as the guest does when it boots: a LinuxPrep host name, and
   * the fixed addresses per NIC in NIC order. The first fixed address becomes the VM's address.
   */
  Boot boot(VmHardware hw) {
    GuestCustomization c = hw.pending();
    if (c == null) {
      return new Boot(hw, null);
    }
    Map<Integer, List<String>> ips = new HashMap<>();
    String first = null;
    for (int i = 0; i < c.perNic().size() && i < hw.nics().size(); i++) {
      GuestCustomization.IpSettings s = c.perNic().get(i);
      if (!s.dhcp()) {
        ips.put(hw.nics().get(i).key(), List.of(s.ip()));
        first = first == null ? s.ip() : first;
      }
    }
    String hostName =
        c instanceof GuestCustomization.LinuxPrep l ? l.hostName() : hw.guestHostName();
    return new Boot(hw.withGuest(hostName, ips), first);
  }

  private VmHardware applied(
      VmHardware hw, List<DeviceChange> changes, String vmName, String datastore) {
    List<VmDetails.Nic> nics = new ArrayList<>(hw.nics());
    List<VmDetails.Disk> disks = new ArrayList<>(hw.disks());
    for (int i = 0; i < changes.size(); i++) {
      DeviceChange d = changes.get(i);
      VmHardware now = hw.with(hw.coresPerSocket(), hw.annotation(), nics, disks);
      if (d instanceof DeviceChange.RebindNic r) {
        int at = indexOf(nics, VmDetails.Nic::key, r.nic().key());
        if (at < 0) {
          throw invalidSpec(i);
        }
        networks.require(r.backing());
        VmDetails.Nic n = nics.get(at);
        nics.set(
            at, new VmDetails.Nic(n.key(), n.deviceType(), n.label(), r.backing(), n.macAddress()));
      } else if (d instanceof DeviceChange.AddNic a) {
        networks.require(a.backing());
        nics.add(
            new VmDetails.Nic(
                nextKey(nics, VmDetails.Nic::key, VmHardware.FIRST_NIC_KEY),
                "VirtualVmxnet3",
                "Network adapter " + (nics.size() + 1),
                a.backing(),
                networks.newMac()));
      } else if (d instanceof DeviceChange.GrowDisk g) {
        int at = indexOf(disks, VmDetails.Disk::key, g.disk().key());
        if (at < 0) {
          throw invalidSpec(i);
        }
        VmDetails.Disk disk = disks.get(at);
        if (g.capacityKiB() < disk.capacityKiB()
            || (g.capacityKiB() > disk.capacityKiB() && disk.child())) {
          // vCenter shrinks no disk and grows none with a parent
          throw new VsphereException(
              "InvalidDeviceOperation",
              "InvalidDeviceOperation: Invalid operation for device '" + i + "'.",
              false);
        }
        disks.set(at, copy(disk, g.capacityKiB(), disk.fileName(), disk.child()));
      } else {
        DeviceChange.AddDisk a = (DeviceChange.AddDisk) d;
        VmHardware.Ctl ctl = now.controller(a.controllerKey());
        boolean free =
            ctl != null
                && new VmDetails.Controller(
                        ctl.key(), ctl.type(), ctl.bus(), now.unitsInUse(ctl.key()))
                    .isFree(a.unitNumber());
        if (!free) {
          throw invalidSpec(i);
        }
        disks.add(
            new VmDetails.Disk(
                nextKey(disks, VmDetails.Disk::key, VmHardware.FIRST_DISK_KEY),
                a.controllerKey(),
                a.unitNumber(),
                a.capacityKiB(),
                a.thin(),
                "Hard disk " + (disks.size() + 1),
                VmHardware.fileName(datastore, vmName, disks.size()),
                "persistent",
                VmDetails.Disk.FLAT,
                false));
      }
    }
    return hw.with(hw.coresPerSocket(), hw.annotation(), nics, disks);
  }

  private static VmDetails.Disk copy(
      VmDetails.Disk d, long capacityKiB, String fileName, boolean child) {
    return new VmDetails.Disk(
        d.key(),
        d.controllerKey(),
        d.unitNumber(),
        capacityKiB,
        d.thin(),
        d.label(),
        fileName,
        d.diskMode(),
        d.backingType(),
        child);
  }

  /** vCenter numbers devices of a kind upwards from the kind's first key. */
  private static <T> int nextKey(List<T> devices, ToIntFunction<T> key, int first) {
    int last = first - 1;
    for (T d : devices) {
      last = Math.max(last, key.applyAsInt(d));
    }
    return last + 1;
  }

  private static <T> int indexOf(List<T> devices, ToIntFunction<T> key, int wanted) {
    for (int i = 0; i < devices.size(); i++) {
      if (key.applyAsInt(devices.get(i)) == wanted) {
        return i;
      }
    }
    return -1;
  }

  private static VsphereException invalidSpec(int index) {
    return new VsphereException(
        "InvalidDeviceSpec",
        "InvalidDeviceSpec: Invalid configuration for device '" + index + "'.",
        false);
  }

  /** vSphere's rule for a running VM: CPU and memory can only grow, and only with hot-add on. */
  static void hotPlugCheck(Entity e, int cpu, long memoryMiB) {
    VmState s = e.vm;
    if (cpu > 0 && cpu != s.cpu() && (cpu < s.cpu() || !s.cpuHotAdd())) {
      throw new VsphereException(
          "CpuHotPlugNotSupported",
          "CpuHotPlugNotSupported: CPU hot plug of "
              + e.name
              + " from "
              + s.cpu()
              + " to "
              + cpu
              + " not supported",
          false);
    }
    if (memoryMiB > 0
        && memoryMiB != s.memoryMiB()
        && (memoryMiB < s.memoryMiB() || !s.memoryHotAdd())) {
      throw new VsphereException(
          "MemoryHotPlugNotSupported",
          "MemoryHotPlugNotSupported: memory hot plug of "
              + e.name
              + " from "
              + s.memoryMiB()
              + " MB to "
              + memoryMiB
              + " MB not supported",
          false);
    }
  }
}
