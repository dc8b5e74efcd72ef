package com.codeconnect.vmgroup.vsphere;

import java.util.Map;
import java.util.Objects;

/**
 * A clone of {@code source} named {@code name} into {@code folder} on {@code pool}.
 *
 * <p>{@code extraConfig} is written in the same call as the clone, so a VM never exists without the
 * ownership marker the operator relies on to find it again.
 */
public record CloneRequest(
    MoRef source,
    MoRef folder,
    MoRef pool,
    MoRef datastore,
    String name,
    int cpu,
    long memoryMiB,
    Map<String, String> extraConfig) {

  public CloneRequest {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(name, "name");
    extraConfig = extraConfig == null ? Map.of() : Map.copyOf(extraConfig);
  }
}
