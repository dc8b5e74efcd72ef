package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NicBacking;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.soap.SoapDecoding.ObjectContent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A VM's hardware, Notes, extraConfig and guest view (vim25 {@code VirtualDevice}s, {@code
 * OptionValue}s and {@code GuestNicInfo}s) as {@link VmDetails}.
 */
final class DetailsDecoding {
  static final List<String> PATHS =
      List.of(
          "config.hardware.device",
          "config.hardware.numCoresPerSocket",
          "config.annotation",
          "config.extraConfig",
          "guest.hostName",
          "guest.net");

  /**
   * Bounds of one VM's extraConfig, below the response's own: a VM whose guestinfo carries more is
   * refused with a message saying so, instead of filling the operator's memory.
   */
  static final int MAX_EXTRA_CONFIG_ENTRIES = 4096;

  static final long MAX_EXTRA_CONFIG_CHARS = 8L << 20;

  /** The device types of virtual NICs (every vim25 type that extends VirtualEthernetCard). */
  private static final Set<String> NIC_TYPES =
      Set.of(
          "VirtualEthernetCard",
          "VirtualE1000",
          "VirtualE1000e",
          "VirtualPCNet32",
          "VirtualVmxnet",
          "VirtualVmxnet2",
          "VirtualVmxnet3",
          "VirtualVmxnet3Vrdma",
          "VirtualSriovEthernetCard");

  private DetailsDecoding() {}

  static VmDetails details(ObjectContent o) {
    MoRef ref = o.obj();
    List<XmlElement> devices =
        o.prop("config.hardware.device") == null
            ? List.of()
            : o.prop("config.hardware.device").children();
    List<VmDetails.Nic> nics = new ArrayList<>();
    List<VmDetails.Disk> disks = new ArrayList<>();
    List<XmlElement> controllers = new ArrayList<>();
    for (XmlElement d : devices) {
      String type = d.xsiType() == null ? "" : d.xsiType();
      if (NIC_TYPES.contains(type)) {
        nics.add(nic(ref, type, d));
      } else if (type.equals("VirtualDisk")) {
        disks.add(disk(ref, d));
      } else if (VmDetails.Bus.of(type) != null) {
        controllers.add(d);
      }
    }
    List<VmDetails.Controller> diskControllers = new ArrayList<>();
    for (XmlElement c : controllers) {
      int key = integer(ref, "key", c.childText("key"), -1);
      Set<Integer> units = new HashSet<>();
      for (XmlElement d : devices) {
        if (integer(ref, "controllerKey", d.childText("controllerKey"), -1) == key
            && d.child("unitNumber") != null) {
          units.add(integer(ref, "unitNumber", d.childText("unitNumber"), -1));
        }
      }
      diskControllers.add(
          new VmDetails.Controller(
              key, c.xsiType(), integer(ref, "busNumber", c.childText("busNumber"), 0), units));
    }
    diskControllers.sort(Comparator.comparingInt(VmDetails.Controller::key));
    XmlElement cores = o.prop("config.hardware.numCoresPerSocket");
    XmlElement annotation = o.prop("config.annotation");
    XmlElement hostName = o.prop("guest.hostName");
    return new VmDetails(
        ref,
        nics,
        disks,
        diskControllers,
        cores == null ? 0 : integer(ref, "numCoresPerSocket", cores.text().trim(), 0),
        annotation == null ? "" : annotation.text(),
        extraConfig(ref, o.prop("config.extraConfig")),
        new VmDetails.Guest(
            hostName == null || hostName.text().isBlank() ? null : hostName.text().trim(),
            guestNics(ref, o.prop("guest.net"))));
  }

  private static VmDetails.Nic nic(MoRef vm, String type, XmlElement d) {
    return new VmDetails.Nic(
        integer(vm, "key", d.childText("key"), -1),
        type,
        label(d),
        nicBacking(d.child("backing")),
        blankToNull(d.childText("macAddress")));
  }

  private static NicBacking nicBacking(XmlElement b) {
    String type = b == null || b.xsiType() == null ? "none" : b.xsiType();
    switch (type) {
      case "VirtualEthernetCardNetworkBackingInfo" -> {
        MoRef network = b.childMoRef("network");
        String name = SoapDecoding.decodeName(b.childText("deviceName"));
        if (network != null && name != null) {
          return new NicBacking.Standard(name, network);
        }
      }
      case "VirtualEthernetCardDistributedVirtualPortBackingInfo" -> {
        XmlElement port = b.child("port");
        String uuid = port == null ? null : port.childText("switchUuid");
        String key = port == null ? null : port.childText("portgroupKey");
        if (uuid != null && key != null) {
          return new NicBacking.Distributed(uuid, key);
        }
      }
      default -> {
        // another kind of backing, told apart by its type below
      }
    }
    return new NicBacking.Other(type);
  }

  private static VmDetails.Disk disk(MoRef vm, XmlElement d) {
    long kib = number(vm, "capacityInKB", d.childText("capacityInKB"));
    long bytes = number(vm, "capacityInBytes", d.childText("capacityInBytes"));
    XmlElement b = d.child("backing");
    String backingType = b == null || b.xsiType() == null ? "none" : b.xsiType();
    return new VmDetails.Disk(
        integer(vm, "key", d.childText("key"), -1),
        integer(vm, "controllerKey", d.childText("controllerKey"), -1),
        integer(vm, "unitNumber", d.childText("unitNumber"), -1),
        // capacityInBytes is the exact one where the server sends both
        bytes > 0 ? bytes / 1024 : kib,
        b != null && Boolean.parseBoolean(b.childText("thinProvisioned")),
        label(d),
        b == null ? "" : b.childText("fileName"),
        b == null ? null : b.childText("diskMode"),
        backingType,
        b != null && b.child("parent") != null);
  }

  private static List<VmDetails.GuestNic> guestNics(MoRef vm, XmlElement array) {
    if (array == null) {
      return List.of();
    }
    List<VmDetails.GuestNic> out = new ArrayList<>();
    for (XmlElement n : array.children()) {
      List<String> ips = new ArrayList<>();
      for (XmlElement ip : n.children("ipAddress")) {
        ips.add(ip.text().trim());
      }
      String network = n.childText("network");
      out.add(
          new VmDetails.GuestNic(
              network == null || network.isEmpty() ? null : SoapDecoding.decodeName(network),
              blankToNull(n.childText("macAddress")),
              ips,
              integer(vm, "deviceConfigId", n.childText("deviceConfigId"), -1)));
    }
    return out;
  }

  /** Every entry, within the bounds; a value that is not a string is read as its text. */
  private static Map<String, String> extraConfig(MoRef vm, XmlElement array) {
    if (array == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    long chars = 0;
    for (XmlElement ov : array.children()) {
      String key = ov.childText("key");
      if (key == null) {
        continue;
      }
      XmlElement v = ov.child("value");
      String value = v == null ? "" : v.text();
      chars += key.length() + value.length();
      if (out.size() >= MAX_EXTRA_CONFIG_ENTRIES || chars > MAX_EXTRA_CONFIG_CHARS) {
        throw new VsphereException.Protocol(
            "extraConfig of "
                + vm
                + " exceeds "
                + MAX_EXTRA_CONFIG_ENTRIES
                + " entries or "
                + MAX_EXTRA_CONFIG_CHARS
                + " characters; refused",
            null);
      }
      out.put(key, value);
    }
    return out;
  }

  private static String label(XmlElement device) {
    XmlElement info = device.child("deviceInfo");
    return info == null ? "" : info.childText("label");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static long number(MoRef vm, String field, String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new VsphereException.Protocol(
          field + " of a device of " + vm + " is not a number", null);
    }
  }

  private static int integer(MoRef vm, String field, String text, int absent) {
    if (text == null || text.isEmpty()) {
      return absent;
    }
    long n = number(vm, field, text);
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw new VsphereException.Protocol(
          field + " of a device of " + vm + " is out of range", null);
    }
    return (int) n;
  }
}
