package com.codeconnect.vmgroup.vsphere;

import java.util.Map;

/**
 * What the operator needs to know about one VM or template.
 *
 * @param extraConfig only the {@code extraConfig} entries whose keys start with the client's
 *     configured marker prefix; the rest of a VM's (possibly large) extraConfig is dropped
 * @param ipAddress the guest's primary IP address, or null when VMware Tools doesn't report one
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
    Map<String, String> extraConfig) {

  public VmInfo {
    extraConfig = extraConfig == null ? Map.of() : Map.copyOf(extraConfig);
  }
}
