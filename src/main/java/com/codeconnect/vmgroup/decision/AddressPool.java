package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.AddressPoolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The static addresses of one network adapter, in the order VMs get them: the ranges, then the
 * usable hosts of the cidrs, each address once and never the gateway. The VM with index {@code i}
 * gets the {@code i}-th, so the same index always gets the same address.
 *
 * <p>Kept as segments, not as a list of addresses: a /8 is 16 million of them.
 */
public final class AddressPool {
  private final String network;
  private final AddressPoolSpec spec;
  private final List<Ipv4.Range> segments;
  private final long size;
  private final Ipv4.Address gateway;
  private final Integer prefix;

  private AddressPool(String network, AddressPoolSpec spec) {
    this.network = network;
    this.spec = spec;
    this.gateway = spec.getGateway() == null ? null : parseOrNull(spec.getGateway());
    List<Ipv4.Range> blocks = new ArrayList<>();
    Integer firstCidrPrefix = null;
    for (String r : nonNull(spec.getRanges())) {
      try {
        blocks.add(Ipv4.Range.parse(r));
      } catch (IllegalArgumentException e) {
        // reported by the validator; a pool is only made for a valid spec
      }
    }
    for (String c : nonNull(spec.getCidrs())) {
      try {
        Ipv4.Cidr cidr = Ipv4.Cidr.parse(c);
        blocks.add(cidr.hosts());
        if (firstCidrPrefix == null) {
          firstCidrPrefix = cidr.prefix();
        }
      } catch (IllegalArgumentException e) {
        // as above
      }
    }
    this.prefix = spec.getPrefix() != null ? spec.getPrefix() : firstCidrPrefix;
    this.segments = withoutRepeats(blocks, gateway);
    this.size = segments.stream().mapToLong(Ipv4.Range::size).sum();
  }

  /**
   * The pool of a network's {@code addresses}; entries that don't parse are left out (the validator
   * reports them before anything is planned).
   *
   * @param network the network, as written in the spec, for messages
   */
  public static AddressPool of(String network, AddressPoolSpec addresses) {
    return new AddressPool(network, addresses);
  }

  /** How many VMs can get an address. */
  public long size() {
    return size;
  }

  /** The address of the VM at {@code index}, or empty when the pool is too small for it. */
  public Optional<Ipv4.Address> addressOf(int index) {
    long rest = index;
    for (Ipv4.Range s : segments) {
      if (rest < s.size()) {
        return Optional.of(s.first().plus(rest));
      }
      rest -= s.size();
    }
    return Optional.empty();
  }

  /** The pool's addresses as disjoint ranges, in the order VMs get them. */
  public List<Ipv4.Range> segments() {
    return segments;
  }

  /** The first address both pools hold, or empty. */
  public Optional<Ipv4.Address> firstShared(AddressPool other) {
    Ipv4.Address first = null;
    for (Ipv4.Range a : segments) {
      for (Ipv4.Range b : other.segments) {
        if (a.overlaps(b)) {
          Ipv4.Address start = a.first().compareTo(b.first()) >= 0 ? a.first() : b.first();
          if (first == null || start.compareTo(first) < 0) {
            first = start;
          }
        }
      }
    }
    return Optional.ofNullable(first);
  }

  public String network() {
    return network;
  }

  public AddressPoolSpec spec() {
    return spec;
  }

  /** The subnet's prefix length: as given, else the first CIDR's; null when neither is known. */
  public Integer prefix() {
    return prefix;
  }

  /** The gateway, or null. */
  public Ipv4.Address gateway() {
    return gateway;
  }

  /** Names the pool for a message: {@code network 'X' (10.0.0.10-10.0.0.50, 10.0.1.0/28)}. */
  public String describe() {
    List<String> blocks = new ArrayList<>(nonNull(spec.getRanges()));
    blocks.addAll(nonNull(spec.getCidrs()));
    return "network '" + network + "' (" + String.join(", ", blocks) + ")";
  }

  @Override
  public String toString() {
    return describe() + ": " + size + " addresses";
  }

  /**
   * The blocks in order, each without the addresses earlier blocks already gave out, and without
   * the gateway: a VM must never be handed the router's address, nor two VMs one address.
   */
  private static List<Ipv4.Range> withoutRepeats(List<Ipv4.Range> blocks, Ipv4.Address gateway) {
    List<Ipv4.Range> taken = new ArrayList<>();
    if (gateway != null) {
      taken.add(new Ipv4.Range(gateway, gateway));
    }
    List<Ipv4.Range> out = new ArrayList<>();
    for (Ipv4.Range block : blocks) {
      List<Ipv4.Range> parts = List.of(block);
      for (Ipv4.Range t : taken) {
        List<Ipv4.Range> next = new ArrayList<>();
        for (Ipv4.Range p : parts) {
          next.addAll(minus(p, t));
        }
        parts = next;
      }
      out.addAll(parts);
      taken.add(block);
    }
    return List.copyOf(out);
  }

  /** {@code a} without {@code b}: none, one or two ranges, in order. */
  private static List<Ipv4.Range> minus(Ipv4.Range a, Ipv4.Range b) {
    if (!a.overlaps(b)) {
      return List.of(a);
    }
    List<Ipv4.Range> out = new ArrayList<>(2);
    if (a.first().compareTo(b.first()) < 0) {
      out.add(new Ipv4.Range(a.first(), new Ipv4.Address(b.first().value() - 1)));
    }
    if (a.last().compareTo(b.last()) > 0) {
      out.add(new Ipv4.Range(b.last().plus(1), a.last()));
    }
    return out;
  }

  private static Ipv4.Address parseOrNull(String text) {
    return Ipv4.Address.tryParse(text).orElse(null);
  }

  private static List<String> nonNull(List<String> list) {
    return list == null ? List.of() : list.stream().filter(s -> s != null).toList();
  }
}
