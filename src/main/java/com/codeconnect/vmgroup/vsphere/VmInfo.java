package com.codeconnect.vmgroup.vsphere;

import java.util.Map;

/**
 * What the operator needs to know about one VM or template.
 *
 * @param extraConfig only the {@code extraConfig} entries whose keys start with the client's
 *     configured marker prefix; the rest of a VM's (possibly large) extraConfig is dropped, except
 *     the guest's readiness keys, which are in {@link GuestState#guestInfo()}
 * @param ipAddress the guest's primary IP address, or null when VMware Tools doesn't report one
 * @param cpuHotAdd whether CPUs can be added while the VM runs
 * @param memoryHotAdd whether memory can be added while the VM runs
 * @param currentSnapshot the snapshot a linked clone would share, or null when there is none
 * @param guest what VMware Tools reports from the guest: Tools, heartbeat, every address and the
 *     readiness keys the guest wrote
 * @param customValues the VM's custom attribute values by field key, cleared (empty) ones left out;
 *     watched by the change feed, so reading them costs no call
 */
public record VmInfo(
    MoRef ref,
    String name,
    MoRef parent,
    PowerState powerState,
    int cpu,
    long memoryMiB,
    boolean template,
    String instanceUuid,
    String ipAddress,
    Map<String, String> extraConfig,
    boolean cpuHotAdd,
    boolean memoryHotAdd,
    MoRef currentSnapshot,
    GuestState guest,
    Map<Integer, String> customValues) {

  public VmInfo {
    extraConfig = extraConfig == null ? Map.of() : Map.copyOf(extraConfig);
    guest = guest == null ? GuestState.NONE : guest;
    customValues = customValues == null ? Map.of() : Map.copyOf(customValues);
  }

  /** A VM without custom attribute values. */
  public VmInfo(
      MoRef ref,
      String name,
      MoRef parent,
      PowerState powerState,
      int cpu,
      long memoryMiB,
      boolean template,
      String instanceUuid,
      String ipAddress,
      Map<String, String> extraConfig,
      boolean cpuHotAdd,
      boolean memoryHotAdd,
      MoRef currentSnapshot,
      GuestState guest) {
    this(
        ref,
        name,
        parent,
        powerState,
        cpu,
        memoryMiB,
        template,
        instanceUuid,
        ipAddress,
        extraConfig,
        cpuHotAdd,
        memoryHotAdd,
        currentSnapshot,
        guest,
        Map.of());
  }

  /** A VM whose guest reports nothing beyond its primary address. */
  public VmInfo(
      MoRef ref,
      String name,
      MoRef parent,
      PowerState powerState,
      int cpu,
      long memoryMiB,
      boolean template,
      String instanceUuid,
      String ipAddress,
      Map<String, String> extraConfig,
      boolean cpuHotAdd,
      boolean memoryHotAdd,
      MoRef currentSnapshot) {
    this(
        ref,
        name,
        parent,
        powerState,
        cpu,
        memoryMiB,
        template,
        instanceUuid,
        ipAddress,
        extraConfig,
        cpuHotAdd,
        memoryHotAdd,
        currentSnapshot,
        GuestState.NONE);
  }

  /** A VM without hot-add and without a snapshot. */
  public VmInfo(
      MoRef ref,
      String name,
      MoRef parent,
      PowerState powerState,
      int cpu,
      long memoryMiB,
      boolean template,
      String instanceUuid,
      String ipAddress,
      Map<String, String> extraConfig) {
    this(
        ref,
        name,
        parent,
        powerState,
        cpu,
        memoryMiB,
        template,
        instanceUuid,
        ipAddress,
        extraConfig,
        false,
        false,
        null);
  }

  /** The same VM with what its guest reports replaced. */
  public VmInfo withGuest(GuestState g) {
    return new VmInfo(
        ref,
        name,
        parent,
        powerState,
        cpu,
        memoryMiB,
        template,
        instanceUuid,
        ipAddress,
        extraConfig,
        cpuHotAdd,
        memoryHotAdd,
        currentSnapshot,
        g,
        customValues);
  }
}
