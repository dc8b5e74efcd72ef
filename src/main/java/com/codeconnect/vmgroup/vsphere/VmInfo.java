package com.codeconnect.vmgroup.vsphere;

import java.util.Map;

/**
 * What the operator needs to know about one VM or template.
 *
 * @param extraConfig only the {@code extraConfig} entries whose keys start with the client's
 *     configured marker prefix; the rest of a VM's (possibly large) extraConfig is dropped
 * @param ipAddress the guest's primary IP address, or null when VMware Tools doesn't report one
 * @param cpuHotAdd whether CPUs can be added while the VM runs
 * @param memoryHotAdd whether memory can be added while the VM runs
 * @param currentSnapshot the snapshot a linked clone would share, or null when there is none
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
    MoRef currentSnapshot) {

  public VmInfo {
    extraConfig = extraConfig == null ? Map.of() : Map.copyOf(extraConfig);
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
}
