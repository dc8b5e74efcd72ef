package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.ToolsStatus;
import java.util.List;

/**
 * What VMware Tools reports of one VM's guest in the in-memory vCenter, beside the primary address
 * {@link VmState} keeps; the guest's readiness keys live in the VM's extraConfig, as in vSphere.
 *
 * @param ipAddresses every address of every NIC, in NIC order
 */
record VmGuest(ToolsStatus tools, Heartbeat heartbeat, List<String> ipAddresses) {
  /** What govmomi's simulator reports for every VM: Tools not running, no heartbeat, no address. */
  static final VmGuest NONE = new VmGuest(ToolsStatus.NOT_RUNNING, Heartbeat.GRAY, List.of());

  VmGuest {
    ipAddresses = List.copyOf(ipAddresses);
  }

  VmGuest withTools(ToolsStatus t) {
    return new VmGuest(t, heartbeat, ipAddresses);
  }

  VmGuest withHeartbeat(Heartbeat h) {
    return new VmGuest(tools, h, ipAddresses);
  }

  VmGuest withIpAddresses(List<String> ips) {
    return new VmGuest(tools, heartbeat, ips);
  }
}
