package com.codeconnect.vmgroup.vsphere;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A clone of {@code source} named {@code name} into {@code folder} on {@code pool}.
 *
 * <p>{@code extraConfig} is written in the same call as the clone, so a VM never exists without the
 * ownership marker the operator relies on to find it again; the caller merges the guest's {@code
 * guestinfo.*} keys into it. {@link #toString()} shows secret values ({@link SecretValues}) only by
 * their length.
 *
 * @param cpu vCPUs; 0 keeps the source's
 * @param memoryMiB memory in MiB (vSphere wants a multiple of 4); 0 keeps the source's
 * @param linkedSnapshot for a linked clone, the source's snapshot whose disks the new VM shares as
 *     its read-only base; null for a full clone, whose disks are consolidated into one file each
 * @param powerOn power the VM on inside the clone task, after CPU and memory are set: one task
 *     instead of three
 * @param coresPerSocket cores per virtual socket, a divisor of {@code cpu}; 0 keeps the source's
 * @param annotation the VM's Notes; null leaves the source's
 * @param deviceChanges edits of the clone's hardware, applied in order
 * @param customization applied when the clone first boots; null for none
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
    boolean powerOn,
    int coresPerSocket,
    String annotation,
    List<DeviceChange> deviceChanges,
    GuestCustomization customization) {

  /** A clone of the source's hardware, with size, markers and power as given. */
  public CloneRequest(
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
    this(
        source,
        folder,
        pool,
        datastore,
        name,
        cpu,
        memoryMiB,
        extraConfig,
        linkedSnapshot,
        powerOn,
        0,
        null,
        List.of(),
        null);
  }

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
    VmChange.requireSize(cpu, coresPerSocket, memoryMiB);
    deviceChanges = deviceChanges == null ? List.of() : List.copyOf(deviceChanges);
  }

  public CloneRequest withCoresPerSocket(int cores) {
    return with(cores, annotation, deviceChanges, customization);
  }

  public CloneRequest withAnnotation(String notes) {
    return with(coresPerSocket, notes, deviceChanges, customization);
  }

  public CloneRequest withDeviceChanges(List<DeviceChange> changes) {
    return with(coresPerSocket, annotation, changes, customization);
  }

  public CloneRequest withCustomization(GuestCustomization c) {
    return with(coresPerSocket, annotation, deviceChanges, c);
  }

  private CloneRequest with(
      int cores, String notes, List<DeviceChange> changes, GuestCustomization c) {
    return new CloneRequest(
        source,
        folder,
        pool,
        datastore,
        name,
        cpu,
        memoryMiB,
        extraConfig,
        linkedSnapshot,
        powerOn,
        cores,
        notes,
        changes,
        c);
  }

  /** The values in this request that must appear in no log line or message. */
  public List<String> secrets() {
    List<String> out = new ArrayList<>(VmChange.secretValues(extraConfig));
    if (customization != null) {
      out.addAll(customization.secrets());
    }
    return out;
  }

  @Override
  public String toString() {
    return "CloneRequest[source="
        + source
        + ", folder="
        + folder
        + ", pool="
        + pool
        + ", datastore="
        + datastore
        + ", name="
        + name
        + ", cpu="
        + cpu
        + ", memoryMiB="
        + memoryMiB
        + ", extraConfig="
        + SecretValues.describe(extraConfig)
        + ", linkedSnapshot="
        + linkedSnapshot
        + ", powerOn="
        + powerOn
        + ", coresPerSocket="
        + coresPerSocket
        + ", annotation="
        + annotation
        + ", deviceChanges="
        + deviceChanges
        + ", customization="
        + customization
        + "]";
  }
}
