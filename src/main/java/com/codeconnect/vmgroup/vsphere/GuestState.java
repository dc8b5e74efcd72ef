package com.codeconnect.vmgroup.vsphere;

import java.util.List;
import java.util.Map;

/**
 * What VMware Tools reports from inside a VM's guest: what a readiness check needs, all of it
 * watched by the change feed, so a guest that turns unhealthy reaches the operator as a change.
 *
 * @param ipAddresses every address of every NIC ({@code guest.net[].ipAddress}), in NIC order,
 *     without duplicates; IPv6 link-local addresses included, as Tools reports them
 * @param guestInfo the {@code extraConfig} entries whose keys start with {@link
 *     #GUEST_INFO_PREFIX}, which the guest writes (e.g. {@code vmware-rpctool "info-set
 *     guestinfo.vmgroup.ready true"}); other guestinfo keys are dropped, among them the operator's
 *     own bootstrap keys {@code guestinfo.userdata} and {@code guestinfo.metadata}, which are large
 */
public record GuestState(
    ToolsStatus tools,
    Heartbeat heartbeat,
    List<String> ipAddresses,
    Map<String, String> guestInfo) {

  /**
   * Readiness keys a guest writes must start with this: it is the only part of the guestinfo
   * namespace the client keeps.
   */
  public static final String GUEST_INFO_PREFIX = "guestinfo.vmgroup.";

  /** What vCenter reports for a VM whose guest doesn't run Tools (or that is off). */
  public static final GuestState NONE =
      new GuestState(ToolsStatus.NOT_RUNNING, Heartbeat.GRAY, List.of(), Map.of());

  public GuestState {
    tools = tools == null ? ToolsStatus.NOT_RUNNING : tools;
    heartbeat = heartbeat == null ? Heartbeat.GRAY : heartbeat;
    ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
    guestInfo = guestInfo == null ? Map.of() : Map.copyOf(guestInfo);
  }
}
