package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NetworkInfo;
import com.codeconnect.vmgroup.vsphere.NicBacking;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The networks of the in-memory vCenter, as the simulator's VPX model has them in {@code
 * /DC0/network}: the standard {@code VM Network}, the distributed switch {@code DVS0} with its
 * uplink port group and the port group {@code DC0_DVPG0}, to which the model's VMs and templates
 * are attached. Also hands out the MAC addresses of new NICs. Not thread-safe: the vCenter's lock
 * guards it.
 */
final class FakeNetworks {
  static final String VM_NETWORK = "VM Network";
  static final String PORTGROUP = "DC0_DVPG0";

  private final FakeInventory inventory;
  private final List<MoRef> networks = new ArrayList<>();
  private final MoRef dvs;
  private final String dvsUuid;
  private long lastMac;

  FakeNetworks(FakeInventory inventory, MoRef networkFolder) {
    this.inventory = inventory;
    networks.add(
        inventory.put(inventory.newRef("Network", "network"), VM_NETWORK, networkFolder).ref);
    dvs =
        inventory.put(
                inventory.newRef("VmwareDistributedVirtualSwitch", "dvs"), "DVS0", networkFolder)
            .ref;
    dvsUuid = UUID.nameUUIDFromBytes("DVS0".getBytes(StandardCharsets.UTF_8)).toString();
    networks.add(
        inventory.put(
                inventory.newRef("DistributedVirtualPortgroup", "dvportgroup"),
                "DVS0-DVUplinks-" + dvs.value().substring("dvs-".length()),
                networkFolder)
            .ref);
    networks.add(
        inventory.put(
                inventory.newRef("DistributedVirtualPortgroup", "dvportgroup"),
                PORTGROUP,
                networkFolder)
            .ref);
  }

  List<NetworkInfo> all() {
    List<NetworkInfo> out = new ArrayList<>();
    for (MoRef ref : networks) {
      Entity e = inventory.get(ref);
      if (ref.type().equals("Network")) {
        out.add(NetworkInfo.standard(ref, e.name, inventory.path(ref)));
      } else {
        out.add(
            new NetworkInfo(
                ref,
                e.name,
                inventory.path(ref),
                NetworkInfo.Kind.DISTRIBUTED_PORTGROUP,
                dvsUuid,
                inventory.get(dvs).name,
                ref.value()));
      }
    }
    return out;
  }

  /** The backing of the model's NICs. */
  NicBacking modelBacking() {
    return named(PORTGROUP).backing().orElseThrow();
  }

  NetworkInfo named(String name) {
    return all().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * The network a backing attaches to, or the fault vCenter gives: ManagedObjectNotFound for a
   * standard network that doesn't exist, NotFound for a switch or port group it doesn't know.
   */
  NetworkInfo require(NicBacking backing) {
    if (backing instanceof NicBacking.Standard s) {
      Entity e = inventory.get(s.network());
      if (e == null || !networks.contains(s.network())) {
        throw FakeInventory.notFound(s.network());
      }
      NetworkInfo n = named(e.name);
      if (n.kind() != NetworkInfo.Kind.STANDARD) {
        throw new VsphereException(
            "InvalidArgument",
            "InvalidArgument: A specified parameter was not correct: backing.network",
            false);
      }
      return n;
    }
    NicBacking.Distributed d = (NicBacking.Distributed) backing;
    for (NetworkInfo n : all()) {
      if (n.carries(d)) {
        return n;
      }
    }
    throw new VsphereException(
        "NotFound",
        "NotFound: The object or item referred to could not be found. (switch "
            + d.switchUuid()
            + ", port group "
            + d.portgroupKey()
            + ")",
        false);
  }

  /** The network's name a guest reports for a NIC on this backing, or null. */
  String nameOf(NicBacking backing) {
    for (NetworkInfo n : all()) {
      if (n.carries(backing)) {
        return n.name();
      }
    }
    return null;
  }

  /** A MAC address from VMware's range for generated addresses (00:50:56). */
  String newMac() {
    long n = ++lastMac;
    return String.format("00:50:56:%02x:%02x:%02x", (n >> 16) & 0x3f, (n >> 8) & 0xff, n & 0xff);
  }
}
