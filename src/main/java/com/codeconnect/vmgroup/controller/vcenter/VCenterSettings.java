package com.codeconnect.vmgroup.controller.vcenter;

import java.time.Duration;
import java.util.Objects;

/**
 * How the VCenter controller runs.
 *
 * @param namespace the operator's namespace: the only one whose Secrets and ConfigMaps it reads
 * @param checkInterval how often a connected vCenter is checked again (one cheap call)
 * @param minBackoff first wait after a transient failure (vCenter unreachable); doubles up to
 *     maxBackoff
 * @param maxBackoff longest wait, also the wait after a permanent failure (rejected credentials or
 *     certificate): a changed Secret or spec triggers a check sooner
 * @param callTimeout limit of one vCenter call
 */
public record VCenterSettings(
    String namespace,
    Duration checkInterval,
    Duration minBackoff,
    Duration maxBackoff,
    Duration callTimeout) {
  public VCenterSettings {
    Objects.requireNonNull(namespace, "namespace");
  }

  public static VCenterSettings defaults(String namespace) {
    return new VCenterSettings(
        namespace,
        Duration.ofMinutes(1),
        Duration.ofSeconds(2),
        Duration.ofMinutes(5),
        Duration.ofSeconds(30));
  }

  public VCenterSettings withCheckInterval(Duration d) {
    return new VCenterSettings(namespace, d, minBackoff, maxBackoff, callTimeout);
  }

  public VCenterSettings withBackoff(Duration min, Duration max) {
    return new VCenterSettings(namespace, checkInterval, min, max, callTimeout);
  }

  public VCenterSettings withCallTimeout(Duration d) {
    return new VCenterSettings(namespace, checkInterval, minBackoff, maxBackoff, d);
  }
}
