package com.codeconnect.vmgroup.demo;

import com.codeconnect.vmgroup.vsphere.GuestState;
import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.ToolsStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Vcsim#setGuest} changes of a VM's guest, as VMware Tools would report it; what is
 * left null stays as it is. Start from {@link #of()}, e.g. {@code
 * GuestEdit.of().heartbeat(Heartbeat.RED).guestInfo("guestinfo.vmgroup.ready", "true")}.
 *
 * @param ipAddresses the guest's addresses (the first is its primary one); empty clears them
 * @param guestInfoValue the value of {@code guestInfoKey}; empty removes the key
 */
public record GuestEdit(
    Heartbeat heartbeat,
    ToolsStatus tools,
    List<String> ipAddresses,
    String guestInfoKey,
    String guestInfoValue) {

  public GuestEdit {
    if (tools != null && tools != ToolsStatus.RUNNING && tools != ToolsStatus.NOT_RUNNING) {
      throw new IllegalArgumentException("the simulator plays Tools running or not, not " + tools);
    }
    ipAddresses = ipAddresses == null ? null : List.copyOf(ipAddresses);
    if (ipAddresses != null && ipAddresses.stream().anyMatch(a -> a.isBlank() || a.contains(","))) {
      throw new IllegalArgumentException("not addresses: " + ipAddresses);
    }
    if ((guestInfoKey == null) != (guestInfoValue == null)) {
      throw new IllegalArgumentException("a guestinfo key needs a value, and a value a key");
    }
    if (guestInfoKey != null && !guestInfoKey.startsWith("guestinfo.")) {
      throw new IllegalArgumentException("a guest can only write guestinfo keys: " + guestInfoKey);
    }
  }

  /** Changes nothing yet. */
  public static GuestEdit of() {
    return new GuestEdit(null, null, null, null, null);
  }

  public GuestEdit heartbeat(Heartbeat h) {
    return new GuestEdit(
        Objects.requireNonNull(h), tools, ipAddresses, guestInfoKey, guestInfoValue);
  }

  public GuestEdit tools(ToolsStatus t) {
    return new GuestEdit(
        heartbeat, Objects.requireNonNull(t), ipAddresses, guestInfoKey, guestInfoValue);
  }

  public GuestEdit ipAddresses(List<String> ips) {
    return new GuestEdit(heartbeat, tools, ips, guestInfoKey, guestInfoValue);
  }

  /**
   * A key the guest writes ({@code vmware-rpctool "info-set KEY VALUE"}), e.g. {@code
   * guestinfo.vmgroup.ready}; the client reads only keys under {@link
   * GuestState#GUEST_INFO_PREFIX}.
   */
  public GuestEdit guestInfo(String key, String value) {
    return new GuestEdit(
        heartbeat, tools, ipAddresses, Objects.requireNonNull(key), Objects.requireNonNull(value));
  }

  /** The query parameters of the launcher's {@code POST /vcsim/guest}, vm aside. */
  Map<String, String> parameters() {
    Map<String, String> p = new LinkedHashMap<>();
    if (heartbeat != null) {
      p.put("heartbeat", heartbeat.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (tools != null) {
      p.put("tools", tools == ToolsStatus.RUNNING ? "running" : "notRunning");
    }
    if (ipAddresses != null) {
      p.put("ip", ipAddresses.isEmpty() ? "none" : String.join(",", ipAddresses));
    }
    if (guestInfoKey != null) {
      p.put("key", guestInfoKey);
      p.put("value", guestInfoValue);
    }
    return p;
  }
}
