package com.codeconnect.vmgroup.decision;

import java.util.Optional;

/**
 * IPv4 addresses, ranges and CIDR blocks, as the static address pools need them. Parsed here, not
 * with {@code java.net.InetAddress}: that may resolve names, and accepts forms such as {@code 10.1}
 * or octal-looking {@code 010.0.0.1} that would make a pool mean something else than it reads.
 */
public final class Ipv4 {
  private static final long MAX = 0xFFFF_FFFFL;

  private Ipv4() {}

  /** An address, as an unsigned 32-bit value. */
  public record Address(long value) implements Comparable<Address> {
    public Address {
      if (value < 0 || value > MAX) {
        throw new IllegalArgumentException("not an IPv4 address: " + value);
      }
    }

    /** Four decimal numbers 0 to 255 without leading zeros; throws with a message otherwise. */
    public static Address parse(String text) {
      return tryParse(text)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "'"
                          + shown(text)
                          + "' is not an IPv4 address (four numbers 0 to 255, such as"
                          + " 10.0.0.1)"));
    }

    public static Optional<Address> tryParse(String text) {
      if (text == null) {
        return Optional.empty();
      }
      String[] parts = text.split("\\.", -1);
      if (parts.length != 4) {
        return Optional.empty();
      }
      long value = 0;
      for (String part : parts) {
        if (part.isEmpty()
            || part.length() > 3
            || !part.chars().allMatch(c -> c >= '0' && c <= '9')
            || (part.length() > 1 && part.charAt(0) == '0')) {
          return Optional.empty();
        }
        int octet = Integer.parseInt(part);
        if (octet > 255) {
          return Optional.empty();
        }
        value = (value << 8) | octet;
      }
      return Optional.of(new Address(value));
    }

    /** The address {@code n} further on; throws past 255.255.255.255. */
    public Address plus(long n) {
      return new Address(value + n);
    }

    @Override
    public int compareTo(Address o) {
      return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
      return ((value >> 24) & 0xFF)
          + "."
          + ((value >> 16) & 0xFF)
          + "."
          + ((value >> 8) & 0xFF)
          + "."
          + (value & 0xFF);
    }
  }

  /** The addresses from {@code first} to {@code last}, both included. */
  public record Range(Address first, Address last) {
    public Range {
      if (first.compareTo(last) > 0) {
        throw new IllegalArgumentException(
            "range " + first + "-" + last + " ends before it starts");
      }
    }

    /** {@code first-last}; throws with a message naming what is wrong. */
    public static Range parse(String text) {
      String[] ends = text == null ? new String[0] : text.split("-", -1);
      if (ends.length != 2) {
        throw new IllegalArgumentException(
            "'" + shown(text) + "' is not a range: write first-last, such as 10.0.0.10-10.0.0.50");
      }
      Address first = Address.parse(ends[0].strip());
      Address last = Address.parse(ends[1].strip());
      if (first.compareTo(last) > 0) {
        throw new IllegalArgumentException(
            "range '" + shown(text) + "' ends before it starts: write the lower address first");
      }
      return new Range(first, last);
    }

    public long size() {
      return last.value() - first.value() + 1;
    }

    public boolean contains(Address a) {
      return a.compareTo(first) >= 0 && a.compareTo(last) <= 0;
    }

    public boolean overlaps(Range o) {
      return first.compareTo(o.last) <= 0 && o.first.compareTo(last) <= 0;
    }

    @Override
    public String toString() {
      return first.equals(last) ? first.toString() : first + "-" + last;
    }
  }

  /** A block {@code base/prefix} whose base has no host bits set. */
  public record Cidr(Address base, int prefix) {
    public Cidr {
      if (prefix < 0 || prefix > 32) {
        throw new IllegalArgumentException("prefix must be 0 to 32: " + prefix);
      }
      if ((base.value() & ~mask(prefix) & MAX) != 0) {
        throw new IllegalArgumentException(base + "/" + prefix + " has host bits set");
      }
    }

    /** {@code a.b.c.d/n}; throws with a message naming what is wrong. */
    public static Cidr parse(String text) {
      int slash = text == null ? -1 : text.indexOf('/');
      String bits = slash < 0 ? "" : text.substring(slash + 1);
      if (slash < 0 || !bits.matches("[0-9]{1,2}") || Integer.parseInt(bits) > 32) {
        throw new IllegalArgumentException(
            "'" + shown(text) + "' is not a CIDR block: write address/prefix, such as 10.0.1.0/28");
      }
      Address base = Address.parse(text.substring(0, slash));
      int prefix = Integer.parseInt(bits);
      Address network = new Address(base.value() & mask(prefix));
      if (!network.equals(base)) {
        throw new IllegalArgumentException(
            "'"
                + shown(text)
                + "' has host bits set: the block starting there is "
                + network
                + "/"
                + prefix);
      }
      return new Cidr(base, prefix);
    }

    /** The block of {@code prefix} bits that holds {@code a}. */
    public static Cidr containing(Address a, int prefix) {
      return new Cidr(new Address(a.value() & mask(prefix)), prefix);
    }

    public Range all() {
      return new Range(base, new Address(base.value() | (~mask(prefix) & MAX)));
    }

    public Address network() {
      return base;
    }

    public Address broadcast() {
      return all().last();
    }

    /**
     * The addresses a host may have: all but the network and broadcast addresses, except in a /31
     * (a point-to-point link, RFC 3021) or a /32, which have none to spare.
     */
    public Range hosts() {
      Range all = all();
      return prefix >= 31
          ? all
          : new Range(all.first().plus(1), new Address(all.last().value() - 1));
    }

    public boolean contains(Address a) {
      return all().contains(a);
    }

    @Override
    public String toString() {
      return base + "/" + prefix;
    }
  }

  /** The netmask of a prefix, such as 255.255.255.0 for 24. */
  public static String subnetMask(int prefix) {
    return new Address(mask(prefix)).toString();
  }

  static long mask(int prefix) {
    return prefix == 0 ? 0 : (MAX << (32 - prefix)) & MAX;
  }

  private static String shown(String s) {
    if (s == null) {
      return "";
    }
    String visible = s.replaceAll("\\p{Cntrl}", "?");
    return visible.length() <= 40 ? visible : visible.substring(0, 40) + "...";
  }
}
