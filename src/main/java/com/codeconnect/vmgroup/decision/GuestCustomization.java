package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.LinuxPrepSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What vSphere's guest customization is given for one VM (linuxPrep or sysprep): the identity and
 * one adapter setting per network adapter. The controller turns it into a CustomizationSpec for the
 * clone; nothing here knows vSphere's types.
 */
public final class GuestCustomization {
  private GuestCustomization() {}

  /**
   * One adapter's settings.
   *
   * @param address null: DHCP
   * @param subnetMask null with DHCP
   * @param gateway null for none
   */
  public record Adapter(String address, String subnetMask, String gateway) {
    static final Adapter DHCP = new Adapter(null, null, null);
  }

  /**
   * A Linux identity.
   *
   * @param adapters one per entry of spec.networks, in order; empty when the spec has none, and
   *     then the caller gives each of the VM's adapters a DHCP setting (vSphere wants one per
   *     adapter)
   * @param timeZone null: the template's
   */
  public record LinuxPrep(
      String hostName,
      String domain,
      String timeZone,
      List<Adapter> adapters,
      List<String> dnsServers,
      List<String> dnsSuffixes) {}

  /**
   * A Windows identity: the unattend answer file (which may hold the administrator password: it
   * prints as its size only) and the adapters, as for {@link LinuxPrep}.
   */
  public record Sysprep(
      SensitiveText unattend,
      List<Adapter> adapters,
      List<String> dnsServers,
      List<String> dnsSuffixes) {}

  /** The linuxPrep customization of the VM {@code vmName} with adapters {@code nics}. */
  public static LinuxPrep linuxPrep(
      LinuxPrepSpec spec, String vmName, List<StaticAddresses.Nic> nics) {
    return new LinuxPrep(
        Naming.hostName(vmName),
        spec.getDomain(),
        spec.getTimeZone(),
        adapters(nics),
        dnsServers(nics),
        dnsSuffixes(nics));
  }

  /** The sysprep customization: the Secret's unattend file with the VM's variables filled in. */
  public static Sysprep sysprep(
      String unattend, CloudInit.Variables vars, List<StaticAddresses.Nic> nics) {
    return new Sysprep(
        new SensitiveText(CloudInit.substitute(unattend, vars)),
        adapters(nics),
        dnsServers(nics),
        dnsSuffixes(nics));
  }

  private static List<Adapter> adapters(List<StaticAddresses.Nic> nics) {
    List<Adapter> out = new ArrayList<>();
    for (StaticAddresses.Nic nic : nics) {
      if (nic.dhcp()) {
        out.add(Adapter.DHCP);
      } else if (nic.address() == null) {
        throw new IllegalArgumentException(
            "adapter " + nic.nic() + " on network '" + nic.network() + "' has no address");
      } else {
        out.add(
            new Adapter(
                nic.address().toString(),
                nic.subnetMask(),
                nic.gateway() == null ? null : nic.gateway().toString()));
      }
    }
    return List.copyOf(out);
  }

  /** vSphere's customization sets DNS for the guest as a whole: every adapter's, each once. */
  private static List<String> dnsServers(List<StaticAddresses.Nic> nics) {
    Set<String> all = new LinkedHashSet<>();
    nics.forEach(n -> all.addAll(n.dnsServers()));
    return List.copyOf(all);
  }

  private static List<String> dnsSuffixes(List<StaticAddresses.Nic> nics) {
    Set<String> all = new LinkedHashSet<>();
    nics.forEach(n -> all.addAll(n.searchDomains()));
    return List.copyOf(all);
  }
}
