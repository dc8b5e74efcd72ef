package com.codeconnect.vmgroup.vsphere;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * vSphere guest customization, applied by vCenter when the clone first boots (VMware Tools in the
 * guest runs it): a host name and fixed or DHCP addresses per NIC.
 *
 * <p>vCenter refuses a customization whose {@code perNic} list doesn't have exactly one entry per
 * NIC of the clone (NicSettingMismatch); entries apply to the NICs in {@link VmDetails#nics()}
 * order. A null entry means DHCP.
 */
public sealed interface GuestCustomization {

  /** One entry per NIC, in NIC order; {@link IpSettings#DHCP} for the NICs that use DHCP. */
  List<IpSettings> perNic();

  /** The values in it that must appear in no log line or message: a Sysprep answer file. */
  default List<String> secrets() {
    return this instanceof Sysprep s ? List.of(s.unattendXml()) : List.of();
  }

  /** DNS servers, in order. */
  List<String> dnsServers();

  /** DNS search suffixes, in order. */
  List<String> dnsSuffixes();

  /**
   * Linux customization (the guest needs VMware Tools or open-vm-tools and Perl).
   *
   * @param hostName the guest's short host name (letters, digits and hyphens, at most 63)
   * @param domain its DNS domain, which vCenter requires
   * @param timeZone e.g. {@code Europe/Berlin}, or null to leave the template's
   */
  record LinuxPrep(
      String hostName,
      String domain,
      String timeZone,
      List<IpSettings> perNic,
      List<String> dnsServers,
      List<String> dnsSuffixes)
      implements GuestCustomization {
    public LinuxPrep {
      Objects.requireNonNull(hostName, "hostName");
      if (!hostName.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
        throw new IllegalArgumentException(
            "host name '" + hostName + "' is not a DNS label of at most 63 characters");
      }
      if (domain == null || domain.isBlank()) {
        throw new IllegalArgumentException("LinuxPrep needs a domain");
      }
      perNic = nics(perNic);
      dnsServers = List.copyOf(dnsServers);
      dnsSuffixes = List.copyOf(dnsSuffixes);
    }
  }

  /**
   * Windows customization from a complete Sysprep answer file ({@code unattend.xml}). The computer
   * name, and any administrator password, are in the answer file; {@link #toString()} shows it only
   * by its length, and the SOAP client masks it in every message it lets out.
   *
   * <p>Windows takes DNS servers per NIC, so they are set on each NIC with a fixed address; the
   * suffixes apply to all.
   */
  record Sysprep(
      String unattendXml,
      List<IpSettings> perNic,
      List<String> dnsServers,
      List<String> dnsSuffixes)
      implements GuestCustomization {
    public Sysprep {
      if (unattendXml == null || unattendXml.isBlank()) {
        throw new IllegalArgumentException("Sysprep needs an answer file");
      }
      perNic = nics(perNic);
      dnsServers = List.copyOf(dnsServers);
      dnsSuffixes = List.copyOf(dnsSuffixes);
    }

    @Override
    public String toString() {
      return "Sysprep[unattendXml="
          + SecretValues.redacted(unattendXml)
          + ", perNic="
          + perNic
          + ", dnsServers="
          + dnsServers
          + ", dnsSuffixes="
          + dnsSuffixes
          + "]";
    }
  }

  /**
   * A NIC's IPv4 settings: DHCP, or a fixed address with its prefix length and an optional gateway.
   */
  record IpSettings(String ip, int prefixLength, String gateway) {
    public static final IpSettings DHCP = new IpSettings(null, 0, null);

    public IpSettings {
      if (ip == null) {
        if (prefixLength != 0 || gateway != null) {
          throw new IllegalArgumentException("DHCP takes no prefix length or gateway");
        }
      } else {
        requireIpv4(ip);
        if (prefixLength < 1 || prefixLength > 32) {
          throw new IllegalArgumentException("prefix length " + prefixLength + " is not 1..32");
        }
        if (gateway != null) {
          requireIpv4(gateway);
        }
      }
    }

    public static IpSettings fixed(String ip, int prefixLength, String gateway) {
      return new IpSettings(ip, prefixLength, gateway);
    }

    public boolean dhcp() {
      return ip == null;
    }

    /**
     * The prefix as the dotted subnet mask LinuxPrep and Sysprep want, e.g. 24 as 255.255.255.0.
     */
    public String subnetMask() {
      if (dhcp()) {
        return null;
      }
      long mask = prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
      return (mask >>> 24)
          + "."
          + ((mask >>> 16) & 0xFF)
          + "."
          + ((mask >>> 8) & 0xFF)
          + "."
          + (mask & 0xFF);
    }

    private static void requireIpv4(String s) {
      String[] parts = s.split("\\.", -1);
      boolean ok = parts.length == 4;
      for (int i = 0; ok && i < 4; i++) {
        ok = parts[i].matches("0|[1-9][0-9]{0,2}") && Integer.parseInt(parts[i]) <= 255;
      }
      if (!ok) {
        throw new IllegalArgumentException("'" + s + "' is not an IPv4 address");
      }
    }
  }

  /** A null entry is DHCP; the list itself is required, as vCenter wants one entry per NIC. */
  private static List<IpSettings> nics(List<IpSettings> perNic) {
    Objects.requireNonNull(perNic, "perNic");
    List<IpSettings> out = new ArrayList<>(perNic.size());
    for (IpSettings s : perNic) {
      out.add(s == null ? IpSettings.DHCP : s);
    }
    return List.copyOf(out);
  }
}
