package com.codeconnect.vmgroup.vsphere;

import java.util.Map;
import java.util.Objects;

/**
 * A clone of {@code source} named {@code name} into {@code folder} on {@code pool}.
 *
 * <p>{@code extraConfig} is written in the same call as the clone, so a VM never exists without the
 * ownership marker the operator relies on to find it again.
 *
 * @param linkedSnapshot for a linked clone, the source's snapshot whose disks the new VM shares as
 *     its read-only base; null for a full clone
 * @param powerOn power the VM on inside the clone task, after CPU and memory are set: one task
 *     instead of three
 */
public record CloneRequest(
    MoRef source,
    MoRef folder,
    MoRef pool,
    MoRef datastore,
    String name,
    int cpu,
    long memoryMiB,
    Map<String, String> extraConfig,
    MoRef linkedSnapshot,
    boolean powerOn) {

  /** A full clone, left powered off. */
  public CloneRequest(
      MoRef source,
      MoRef folder,
      MoRef pool,
      MoRef datastore,
      String name,
      int cpu,
      long memoryMiB,
      Map<String, String> extraConfig) {
    this(source, folder, pool, datastore, name, cpu, memoryMiB, extraConfig, null, false);
  }

  public CloneRequest {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(name, "name");
    extraConfig = extraConfig == null ? Map.of() : Map.copyOf(extraConfig);
  }
}
