package com.codeconnect.vmgroup.decision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * What cloud-init's VMware datasource reads from a VM's extraConfig: the user-data with the per-VM
 * variables filled in, and the metadata the operator writes (instance-id, local-hostname and, with
 * static addresses, the network config).
 *
 * <p>The network config is version 2, the form the datasource passes on from the metadata's {@code
 * network} key. An adapter is matched by its MAC address when the caller knows it: every renderer
 * of cloud-init (netplan, networkd, sysconfig, ENI) finds the interface by MAC, whatever the guest
 * calls it. Without a MAC the entry is keyed by the interface name vmxnet3 adapters usually get on
 * vSphere (hardware version 13 and later: ens192, ens224, ens256), which the renderers other than
 * netplan take as the interface's name; past the third adapter the names depend on the VM's PCI
 * layout, so the MAC is required there. Knowing the MACs means cloning powered off, reading them,
 * then writing the metadata before the first power-on; that works for any template and guest, and
 * is the way to prefer.
 */
public final class CloudInit {
  /** The variables substituted in user-data (and unattend files): these and nothing else. */
  public static final List<String> VARIABLES =
      List.of("VM_NAME", "VM_INDEX", "GROUP_NAME", "GROUP_NAMESPACE");

  /** Encoding of both values: compressed, so more user-data fits in vSphere's limit. */
  public static final String ENCODING = "gzip+base64";

  public static final String USERDATA = "guestinfo.userdata";
  public static final String USERDATA_ENCODING = "guestinfo.userdata.encoding";
  public static final String METADATA = "guestinfo.metadata";
  public static final String METADATA_ENCODING = "guestinfo.metadata.encoding";

  /**
   * The interface names the first vmxnet3 adapters usually get on vSphere (hardware version 13 and
   * later), after their PCI slot numbers 192, 224 and 256.
   */
  static final List<String> DEVICE_NAMES = List.of("ens192", "ens224", "ens256");

  private static final ObjectMapper JSON = new ObjectMapper();

  private CloudInit() {}

  /** The values of {@link #VARIABLES} for one VM. */
  public record Variables(String vmName, int vmIndex, String groupName, String groupNamespace) {
    String valueOf(String variable) {
      return switch (variable) {
        case "VM_NAME" -> vmName;
        case "VM_INDEX" -> Integer.toString(vmIndex);
        case "GROUP_NAME" -> groupName;
        case "GROUP_NAMESPACE" -> groupNamespace;
        default -> null;
      };
    }
  }

  /**
   * {@code text} with {@code ${VM_NAME}}, {@code ${VM_INDEX}}, {@code ${GROUP_NAME}} and {@code
   * ${GROUP_NAMESPACE}} replaced. Any other {@code ${...}} stays as it is (user-data is often a
   * shell script with its own), and {@code $${} stands for a literal {@code ${}.
   */
  public static String substitute(String text, Variables vars) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
        continue;
      }
      if (text.startsWith("${", i)) {
        int end = text.indexOf('}', i + 2);
        String value = end < 0 ? null : vars.valueOf(text.substring(i + 2, end));
        if (value != null) {
          out.append(value);
          i = end + 1;
          continue;
        }
      }
      out.append(text.charAt(i));
      i++;
    }
    return out.toString();
  }

  /** The user-data of one VM: {@code source} with its variables substituted. */
  public static SensitiveText userData(String source, Variables vars) {
    return new SensitiveText(substitute(source, vars));
  }

  /**
   * The metadata of one VM, as JSON (which the datasource tries before YAML).
   *
   * @param instanceId what cloud-init keys its once-per-instance work on: a new VM needs a new one
   *     (e.g. the VM's instance UUID, or its name and spec hash)
   * @param vmName the VM's name; the host name is made from it ({@link Naming#hostName})
   * @param nics the VM's adapters ({@link StaticAddresses#forIndex}); without a static address
   *     among them there is no network config and cloud-init does what it does by default (DHCP)
   * @param macs the adapters' MAC addresses in the same order, where known (shorter, or null
   *     entries, for those that aren't)
   * @throws IllegalArgumentException for a static adapter without an address (its pool is
   *     exhausted: the plan makes no such VM) or past the third without a MAC
   */
  public static String metadata(
      String instanceId, String vmName, List<StaticAddresses.Nic> nics, List<String> macs) {
    Map<String, Object> md = new LinkedHashMap<>();
    md.put("instance-id", instanceId);
    md.put("local-hostname", Naming.hostName(vmName));
    if (nics.stream().anyMatch(n -> !n.dhcp())) {
      md.put("network", network(nics, macs == null ? List.of() : macs));
    }
    try {
      return JSON.writeValueAsString(md);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps of strings always serialize", e);
    }
  }

  /** Whether {@link #metadata} needs the MAC of some adapter: static addresses past the third. */
  public static boolean needsMacs(List<StaticAddresses.Nic> nics) {
    return nics.stream().anyMatch(n -> !n.dhcp() && n.nic() >= DEVICE_NAMES.size());
  }

  /**
   * The extraConfig entries that hand {@code userData} and {@code metadata} to the datasource, both
   * gzip+base64 encoded. Check {@link GuestInfo#problem} before using them.
   */
  public static GuestInfo guestInfo(SensitiveText userData, String metadata) {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(METADATA, encode(metadata));
    entries.put(METADATA_ENCODING, ENCODING);
    if (userData != null) {
      entries.put(USERDATA, encode(userData.value()));
      entries.put(USERDATA_ENCODING, ENCODING);
    }
    return new GuestInfo(entries);
  }

  /**
   * extraConfig entries for cloud-init's VMware datasource. They may hold secrets (the user-data is
   * only encoded, not encrypted): printing shows their keys and sizes only.
   */
  public record GuestInfo(Map<String, String> extraConfig) {
    /**
     * vSphere hands a guestinfo value to the guest in one message of at most 64 KiB
     * (GUESTMSG_MAX_IN_SIZE in open-vm-tools); a longer one never arrives.
     */
    public static final int MAX_VALUE_BYTES = 64 * 1024;

    public GuestInfo {
      extraConfig = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extraConfig));
    }

    /** BootstrapTooLarge naming the value that is over vSphere's limit, or null. */
    public Problem problem() {
      for (var e : extraConfig.entrySet()) {
        int size = e.getValue().getBytes(StandardCharsets.US_ASCII).length;
        if (size > MAX_VALUE_BYTES) {
          return new Problem(
              Problem.Reason.BootstrapTooLarge,
              e.getKey()
                  + " is "
                  + size
                  + " bytes encoded (gzip+base64), over vSphere's "
                  + MAX_VALUE_BYTES
                  + " per guestinfo value: make the "
                  + (e.getKey().equals(USERDATA) ? "user-data" : "metadata")
                  + " smaller, e.g. fetch large files from the network at boot");
        }
      }
      return null;
    }

    @Override
    public String toString() {
      List<String> sizes = new ArrayList<>();
      extraConfig.forEach((k, v) -> sizes.add(k + " (" + v.length() + " bytes)"));
      return "GuestInfo" + sizes;
    }
  }

  private static Map<String, Object> network(List<StaticAddresses.Nic> nics, List<String> macs) {
    Map<String, Object> ethernets = new LinkedHashMap<>();
    for (StaticAddresses.Nic nic : nics) {
      String mac = nic.nic() < macs.size() ? macs.get(nic.nic()) : null;
      Map<String, Object> entry = new LinkedHashMap<>();
      String key;
      if (mac != null) {
        key = "nic" + nic.nic();
        entry.put("match", Map.of("macaddress", mac.toLowerCase(java.util.Locale.ROOT)));
      } else if (nic.nic() < DEVICE_NAMES.size()) {
        key = DEVICE_NAMES.get(nic.nic());
      } else {
        throw new IllegalArgumentException(
            "adapter " + nic.nic() + " on network '" + nic.network() + "' needs its MAC address");
      }
      if (nic.dhcp()) {
        entry.put("dhcp4", true);
      } else {
        if (nic.address() == null) {
          throw new IllegalArgumentException(
              "adapter " + nic.nic() + " on network '" + nic.network() + "' has no address");
        }
        entry.put("dhcp4", false);
        entry.put("addresses", List.of(nic.cidr()));
        if (nic.gateway() != null) {
          // 0.0.0.0/0 rather than "default": older cloud-init renderers only know the former
          Map<String, Object> route = new LinkedHashMap<>();
          route.put("to", "0.0.0.0/0");
          route.put("via", nic.gateway().toString());
          entry.put("routes", List.of(route));
        }
        Map<String, Object> dns = new LinkedHashMap<>();
        if (!nic.dnsServers().isEmpty()) {
          dns.put("addresses", nic.dnsServers());
        }
        if (!nic.searchDomains().isEmpty()) {
          dns.put("search", nic.searchDomains());
        }
        if (!dns.isEmpty()) {
          entry.put("nameservers", dns);
        }
      }
      ethernets.put(key, entry);
    }
    Map<String, Object> network = new LinkedHashMap<>();
    network.put("version", 2);
    network.put("ethernets", ethernets);
    return network;
  }

  private static String encode(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory streams don't fail", e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
