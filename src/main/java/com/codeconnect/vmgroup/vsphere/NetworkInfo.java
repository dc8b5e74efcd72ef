package com.codeconnect.vmgroup.vsphere;

import java.util.Objects;
import java.util.Optional;

/**
 * A network of a datacenter that a VM's NIC can be attached to.
 *
 * @param path the inventory path, e.g. {@code /DC0/network/VM Network}; port groups of a
 *     distributed switch sit in the network folder (or a subfolder of it), not below the switch
 * @param switchUuid for a distributed port group, its switch's UUID; null otherwise
 * @param switchName for a distributed port group, its switch's name; null otherwise
 * @param portgroupKey for a distributed port group, its key; null otherwise
 */
public record NetworkInfo(
    MoRef ref,
    String name,
    String path,
    Kind kind,
    String switchUuid,
    String switchName,
    String portgroupKey) {

  public enum Kind {
    /** A standard port group of the hosts' standard switches ({@code Network}). */
    STANDARD,
    /** A port group of a distributed switch ({@code DistributedVirtualPortgroup}). */
    DISTRIBUTED_PORTGROUP,
    /**
     * A network managed outside vCenter (NSX's {@code OpaqueNetwork}). Listed so that a name that
     * refers to one can be reported as unsupported rather than as missing.
     */
    OPAQUE
  }

  public NetworkInfo {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.DISTRIBUTED_PORTGROUP && (switchUuid == null || portgroupKey == null)) {
      throw new IllegalArgumentException(
          "a distributed port group needs its switch's UUID and its key: " + name);
    }
  }

  /** A standard network. */
  public static NetworkInfo standard(MoRef ref, String name, String path) {
    return new NetworkInfo(ref, name, path, Kind.STANDARD, null, null, null);
  }

  /** The backing that attaches a NIC to this network; empty for an opaque network. */
  public Optional<NicBacking> backing() {
    return switch (kind) {
      case STANDARD -> Optional.of(new NicBacking.Standard(name, ref));
      case DISTRIBUTED_PORTGROUP ->
          Optional.of(new NicBacking.Distributed(switchUuid, portgroupKey));
      case OPAQUE -> Optional.empty();
    };
  }

  /** Whether a NIC with this backing is attached to this network. */
  public boolean carries(NicBacking backing) {
    return backing().map(b -> sameNetwork(b, backing)).orElse(false);
  }

  /** A standard backing is compared by reference alone: the name is only what vCenter shows. */
  private static boolean sameNetwork(NicBacking mine, NicBacking other) {
    if (mine instanceof NicBacking.Standard s && other instanceof NicBacking.Standard o) {
      return s.network().equals(o.network());
    }
    return mine.equals(other);
  }
}
