package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.DeviceChange;
import com.codeconnect.vmgroup.vsphere.NicBacking;
import com.codeconnect.vmgroup.vsphere.VmChange;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@code VirtualMachineConfigSpec}: what a clone changes on its copy and what a
 * reconfigure changes in place. Fields go in the WSDL sequence: annotation, numCPUs,
 * numCoresPerSocket, memoryMB, deviceChange, extraConfig.
 */
final class ConfigSpecWriter {
  /** vCenter generates a MAC for a NIC with this address type and none given. */
  private static final String GENERATED = "generated";

  private ConfigSpecWriter() {}

  /** A clone's config: nothing when it changes nothing. */
  static void cloneConfig(RequestWriter w, VmChange c) {
    if (!c.isEmpty()) {
      w.start("config");
      fields(w, c, true);
      w.end();
    }
  }

  /** A reconfigure's spec. */
  static void reconfigure(RequestWriter w, VmChange c) {
    w.start("spec");
    fields(w, c, false);
    w.end();
  }

  /** Zero and null are left out, which in vim25 means "leave as is". */
  private static void fields(RequestWriter w, VmChange c, boolean clone) {
    if (c.annotation() != null) {
      w.text("annotation", c.annotation());
    }
    if (c.cpu() > 0) {
      w.text("numCPUs", c.cpu());
    }
    if (c.coresPerSocket() > 0) {
      w.text("numCoresPerSocket", c.coresPerSocket());
    }
    if (c.memoryMiB() > 0) {
      w.text("memoryMB", c.memoryMiB());
    }
    deviceChanges(w, c.deviceChanges(), clone);
    // sorted so the request is deterministic (golden tests, diffable captures)
    for (Map.Entry<String, String> e : new TreeMap<>(c.extraConfig()).entrySet()) {
      w.start("extraConfig", "OptionValue")
          .text("key", e.getKey())
          .typedText("value", "xsd:string", e.getValue())
          .end();
    }
  }

  /**
   * VirtualDeviceConfigSpec: operation, fileOperation, device. New devices get negative keys, which
   * vCenter replaces; they only have to differ within one spec. VirtualDevice: key, deviceInfo,
   * backing, connectable, controllerKey, unitNumber; then VirtualEthernetCard's addressType,
   * macAddress, or VirtualDisk's capacityInKB, capacityInBytes.
   */
  private static void deviceChanges(RequestWriter w, List<DeviceChange> changes, boolean clone) {
    int newKey = -1;
    for (DeviceChange d : changes) {
      w.start("deviceChange", "VirtualDeviceConfigSpec");
      if (d instanceof DeviceChange.RebindNic r) {
        w.text("operation", "edit").start("device", r.nic().deviceType());
        w.text("key", r.nic().key());
        description(w, r.nic().label());
        nicBacking(w, r.backing());
        connected(w);
        // in place the NIC keeps its address; a clone's NICs get new ones from vCenter
        if (!clone && r.nic().macAddress() != null) {
          w.text("macAddress", r.nic().macAddress());
        }
        w.end();
      } else if (d instanceof DeviceChange.AddNic a) {
        w.text("operation", "add").start("device", "VirtualVmxnet3");
        w.text("key", newKey--);
        nicBacking(w, a.backing());
        connected(w);
        w.text("addressType", GENERATED).end();
      } else if (d instanceof DeviceChange.GrowDisk g) {
        VmDetails.Disk disk = g.disk();
        w.text("operation", "edit").start("device", "VirtualDisk");
        w.text("key", disk.key());
        description(w, disk.label());
        diskBacking(w, disk.fileName(), disk.diskMode(), disk.thin());
        w.text("controllerKey", disk.controllerKey()).text("unitNumber", disk.unitNumber());
        capacity(w, g.capacityKiB());
        w.end();
      } else {
        DeviceChange.AddDisk a = (DeviceChange.AddDisk) d;
        w.text("operation", "add").text("fileOperation", "create").start("device", "VirtualDisk");
        w.text("key", newKey--);
        // an empty file name asks vCenter for a new VMDK in the VM's folder
        diskBacking(w, "", "persistent", a.thin());
        w.text("controllerKey", a.controllerKey()).text("unitNumber", a.unitNumber());
        capacity(w, a.capacityKiB());
        w.end();
      }
      w.end();
    }
  }

  /**
   * Description: label, summary. An edit repeats the device's label; vCenter keeps its own, but a
   * device without one is refused by the simulator.
   */
  private static void description(RequestWriter w, String label) {
    w.start("deviceInfo", "Description").text("label", label).text("summary", label).end();
  }

  /** VirtualDeviceConnectInfo: startConnected, allowGuestControl, connected. */
  private static void connected(RequestWriter w) {
    w.start("connectable")
        .text("startConnected", true)
        .text("allowGuestControl", true)
        .text("connected", true)
        .end();
  }

  /**
   * VirtualEthernetCardNetworkBackingInfo: deviceName (of VirtualDeviceDeviceBackingInfo), network;
   * VirtualEthernetCardDistributedVirtualPortBackingInfo: port {switchUuid, portgroupKey}.
   */
  private static void nicBacking(RequestWriter w, NicBacking backing) {
    if (backing instanceof NicBacking.Standard s) {
      w.start("backing", "VirtualEthernetCardNetworkBackingInfo")
          .text("deviceName", s.networkName())
          .moRef("network", s.network())
          .end();
    } else if (backing instanceof NicBacking.Distributed d) {
      w.start("backing", "VirtualEthernetCardDistributedVirtualPortBackingInfo")
          .start("port")
          .text("switchUuid", d.switchUuid())
          .text("portgroupKey", d.portgroupKey())
          .end()
          .end();
    } else {
      // DeviceChange refuses other backings when it is made; this keeps a new kind from slipping
      throw new IllegalArgumentException("a NIC can't be attached to " + backing);
    }
  }

  /**
   * VirtualDiskFlatVer2BackingInfo: fileName (of VirtualDeviceFileBackingInfo), diskMode,
   * thinProvisioned. A thick disk is lazily zeroed (eagerlyScrub left unset).
   */
  private static void diskBacking(RequestWriter w, String fileName, String diskMode, boolean thin) {
    w.start("backing", VmDetails.Disk.FLAT)
        .text("fileName", fileName)
        .text("diskMode", diskMode == null ? "persistent" : diskMode)
        .text("thinProvisioned", thin)
        .end();
  }

  /** Both capacities, and equal: vCenter refuses a disk whose two capacities disagree. */
  private static void capacity(RequestWriter w, long kib) {
    w.text("capacityInKB", kib).text("capacityInBytes", Math.multiplyExact(kib, 1024L));
  }
}
