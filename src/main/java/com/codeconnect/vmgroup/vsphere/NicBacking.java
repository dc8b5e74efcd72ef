package com.codeconnect.vmgroup.vsphere;

import java.util.Objects;

/**
 * What a virtual NIC is attached to. {@link NetworkInfo#backing()} gives the backing for a network
 * of the datacenter; {@link VmDetails.Nic#backing()} says what a NIC is attached to now.
 */
public sealed interface NicBacking {

  /**
   * A standard port group (a {@code Network}), named as vCenter shows it; vCenter attaches by the
   * reference and shows the name.
   */
  record Standard(String networkName, MoRef network) implements NicBacking {
    public Standard {
      Objects.requireNonNull(networkName, "networkName");
      Objects.requireNonNull(network, "network");
    }
  }

  /** A port group of a distributed switch, named by the switch's UUID and the group's key. */
  record Distributed(String switchUuid, String portgroupKey) implements NicBacking {
    public Distributed {
      Objects.requireNonNull(switchUuid, "switchUuid");
      Objects.requireNonNull(portgroupKey, "portgroupKey");
    }
  }

  /**
   * A backing this client reads but can't attach a NIC to (e.g. an NSX opaque network), by its
   * vim25 type; device changes refuse it.
   */
  record Other(String backingType) implements NicBacking {}
}
