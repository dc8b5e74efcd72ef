package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.GuestCustomization;
import com.codeconnect.vmgroup.vsphere.GuestCustomization.IpSettings;

/**
 * Writes a {@code CustomizationSpec}: identity, globalIPSettings, nicSettingMap (WSDL order).
 *
 * <p>A Sysprep answer file may hold a password: the body this writes is handed to the transport and
 * nowhere else, and the client masks the answer file in every message it lets out.
 */
final class CustomizationWriter {
  private CustomizationWriter() {}

  static void customization(RequestWriter w, GuestCustomization c) {
    customization(w, "customization", c);
  }

  /**
   * @param element the element's name: {@code customization} in a clone spec, {@code spec} in
   *     CustomizeVM_Task
   */
  static void customization(RequestWriter w, String element, GuestCustomization c) {
    w.start(element);
    boolean windows = c instanceof GuestCustomization.Sysprep;
    if (c instanceof GuestCustomization.LinuxPrep l) {
      // CustomizationLinuxPrep: hostName, domain, timeZone
      w.start("identity", "CustomizationLinuxPrep")
          .start("hostName", "CustomizationFixedName")
          .text("name", l.hostName())
          .end()
          .text("domain", l.domain());
      if (l.timeZone() != null) {
        w.text("timeZone", l.timeZone());
      }
      w.end();
    } else {
      // CustomizationSysprepText: value, the whole answer file
      w.start("identity", "CustomizationSysprepText")
          .text("value", ((GuestCustomization.Sysprep) c).unattendXml())
          .end();
    }
    // CustomizationGlobalIPSettings: dnsSuffixList, dnsServerList. Windows takes its DNS servers
    // per NIC instead (below); the global list is what Linux reads.
    w.start("globalIPSettings");
    for (String suffix : c.dnsSuffixes()) {
      w.text("dnsSuffixList", suffix);
    }
    if (!windows) {
      for (String server : c.dnsServers()) {
        w.text("dnsServerList", server);
      }
    }
    w.end();
    for (IpSettings nic : c.perNic()) {
      w.start("nicSettingMap").start("adapter");
      adapter(w, nic, windows ? c : null);
      w.end().end();
    }
    w.end();
  }

  /**
   * CustomizationIPSettings: ip, subnetMask, gateway, ipV6Spec, dnsServerList (order of the WSDL).
   *
   * @param perNicDns the customization whose DNS servers go on each NIC with a fixed address, or
   *     null
   */
  private static void adapter(RequestWriter w, IpSettings nic, GuestCustomization perNicDns) {
    if (nic.dhcp()) {
      w.start("ip", "CustomizationDhcpIpGenerator").end();
      return;
    }
    w.start("ip", "CustomizationFixedIp").text("ipAddress", nic.ip()).end();
    w.text("subnetMask", nic.subnetMask());
    if (nic.gateway() != null) {
      w.text("gateway", nic.gateway());
    }
    if (perNicDns != null) {
      for (String server : perNicDns.dnsServers()) {
        w.text("dnsServerList", server);
      }
    }
  }
}
