package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.AddressPoolSpec;
import com.codeconnect.vmgroup.api.v1alpha1.NetworkSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A group's static addresses: which VM gets which address on which adapter, and whether the pools
 * suffice. An address depends on the VM's index only, so a replaced VM keeps its address, and with
 * maxSurge the extra VMs (higher indices) get addresses of their own: no two VMs of a group ever
 * hold the same one while the pools stay as they are. When a pool changes, the plan holds back a
 * new VM whose address an old one still holds ({@link ReplicaPlan}).
 */
public final class StaticAddresses {
  private static final StaticAddresses NONE = new StaticAddresses(List.of(), List.of());

  private final List<NetworkSpec> networks;

  /** One per network, null for a DHCP one. */
  private final List<AddressPool> pools;

  private StaticAddresses(List<NetworkSpec> networks, List<AddressPool> pools) {
    this.networks = networks;
    this.pools = pools;
  }

  /**
   * What one adapter of one VM is given.
   *
   * @param nic the adapter's position in spec.networks, from 0
   * @param address null for DHCP, or when the pool has no address for the VM
   * @param prefix the subnet's prefix length, null for DHCP
   * @param gateway null for none
   */
  public record Nic(
      int nic,
      String network,
      boolean dhcp,
      Ipv4.Address address,
      Integer prefix,
      Ipv4.Address gateway,
      List<String> dnsServers,
      List<String> searchDomains) {
    public Nic {
      dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
      searchDomains = searchDomains == null ? List.of() : List.copyOf(searchDomains);
    }

    /** {@code 10.0.0.10/24}, as cloud-init's network config wants it; null without an address. */
    public String cidr() {
      return address == null ? null : address + "/" + prefix;
    }

    /** The netmask, as vSphere's guest customization wants it; null without an address. */
    public String subnetMask() {
      return address == null ? null : Ipv4.subnetMask(prefix);
    }
  }

  /** Who uses a pool on a network, as the controller knows from its cache of all groups. */
  public record PoolUse(String group, String network, AddressPoolSpec addresses) {}

  /** Two groups whose pools share addresses on one network. */
  public record Overlap(PoolUse a, PoolUse b, Ipv4.Address firstShared) {
    /** Names both groups, the network and the first shared address. */
    public String describe() {
      return "groups "
          + a.group()
          + " and "
          + b.group()
          + " both hand out addresses on network '"
          + a.network()
          + "', from "
          + firstShared
          + " on";
    }
  }

  /** The assignment of a spec's networks (none: no adapter has static addresses). */
  public static StaticAddresses of(List<NetworkSpec> networks) {
    if (networks == null
        || networks.stream().allMatch(n -> n == null || n.getAddresses() == null)) {
      return NONE;
    }
    List<AddressPool> pools = new ArrayList<>();
    for (NetworkSpec n : networks) {
      pools.add(n.getAddresses() == null ? null : AddressPool.of(n.getName(), n.getAddresses()));
    }
    return new StaticAddresses(
        List.copyOf(networks), java.util.Collections.unmodifiableList(pools));
  }

  /** True when some adapter has static addresses. */
  public boolean any() {
    return !networks.isEmpty();
  }

  /** The pools of the adapters with static addresses, in spec order. */
  public List<AddressPool> pools() {
    return pools.stream().filter(p -> p != null).toList();
  }

  /** Every adapter of the VM at {@code index}, in spec order (empty: no static addresses). */
  public List<Nic> forIndex(int index) {
    List<Nic> nics = new ArrayList<>();
    for (int i = 0; i < networks.size(); i++) {
      NetworkSpec n = networks.get(i);
      AddressPool pool = pools.get(i);
      if (pool == null) {
        nics.add(new Nic(i, n.getName(), true, null, null, null, null, null));
      } else {
        AddressPoolSpec a = n.getAddresses();
        nics.add(
            new Nic(
                i,
                n.getName(),
                false,
                pool.addressOf(index).orElse(null),
                pool.prefix(),
                pool.gateway(),
                a.getDnsServers(),
                a.getSearchDomains()));
      }
    }
    return nics;
  }

  /**
   * The addresses the VM at {@code index} gets, one per adapter with static addresses, in spec
   * order: what is recorded on the VM ({@link Ownership#ADDRESSES}) and shown in its status. Short
   * when a pool has none left for it ({@link #complete}).
   */
  public List<String> addressesOf(int index) {
    List<String> out = new ArrayList<>();
    for (AddressPool p : pools()) {
      p.addressOf(index).ifPresent(a -> out.add(a.toString()));
    }
    return out;
  }

  /** Whether every pool has an address for the VM at {@code index}: else it can't be made. */
  public boolean complete(int index) {
    return pools().stream().allMatch(p -> p.addressOf(index).isPresent());
  }

  /**
   * AddressPoolExhausted naming the first pool with fewer than {@code needed} addresses, or null.
   * The VMs whose index the pools cover are still made.
   *
   * @param needed replicas + maxSurge: the most VMs a group has at once
   */
  public Problem exhausted(int needed) {
    for (AddressPool p : pools()) {
      if (p.size() < needed) {
        return new Problem(
            Problem.Reason.AddressPoolExhausted,
            "the address pool of "
                + p.describe()
                + " has "
                + p.size()
                + " addresses, and the group needs "
                + needed
                + " (replicas + maxSurge): VMs from index "
                + p.size()
                + " on are not made until the pool grows or replicas shrink");
      }
    }
    return null;
  }

  /**
   * Pairs of groups whose pools share addresses on one network, in the order of {@code uses}. A
   * network is the same when its key is: the caller passes what identifies it (the vCenter and the
   * resolved inventory path), since a name and a path of one network look different.
   */
  public static List<Overlap> overlaps(List<PoolUse> uses) {
    List<Overlap> out = new ArrayList<>();
    List<AddressPool> pools =
        uses.stream().map(u -> AddressPool.of(u.network(), u.addresses())).toList();
    for (int i = 0; i < uses.size(); i++) {
      for (int j = i + 1; j < uses.size(); j++) {
        PoolUse a = uses.get(i);
        PoolUse b = uses.get(j);
        if (a.group().equals(b.group()) || !a.network().equals(b.network())) {
          continue;
        }
        Optional<Ipv4.Address> shared = pools.get(i).firstShared(pools.get(j));
        if (shared.isPresent()) {
          out.add(new Overlap(a, b, shared.get()));
        }
      }
    }
    return out;
  }

  /**
   * AddressPoolOverlap for {@code group} when its pools share addresses with another group's on one
   * network, naming the other groups; null when they don't.
   */
  public static Problem overlapProblem(String group, List<PoolUse> uses) {
    Set<String> messages = new LinkedHashSet<>();
    for (Overlap o : overlaps(uses)) {
      if (o.a().group().equals(group) || o.b().group().equals(group)) {
        messages.add(o.describe());
      }
    }
    return messages.isEmpty()
        ? null
        : new Problem(
            Problem.Reason.AddressPoolOverlap,
            String.join("; ", messages)
                + ": two VMs would get one address; give each group its own part of the subnet");
  }
}
