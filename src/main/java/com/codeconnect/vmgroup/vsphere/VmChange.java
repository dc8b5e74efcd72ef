package com.codeconnect.vmgroup.vsphere;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A change of a VM in place, in one ReconfigVM_Task. Zero and null leave a value as it is. On a
 * running VM vCenter adds CPUs and memory only with hot-add enabled, never removes them, and grows
 * SCSI disks online. {@link #toString()} shows secret values ({@link SecretValues}) only by their
 * length.
 *
 * @param extraConfig entries to set; an empty value removes the key (vSphere's rule)
 * @param annotation the VM's new Notes; null leaves them
 * @param deviceChanges edits of the VM's hardware, applied in order
 */
public record VmChange(
    int cpu,
    int coresPerSocket,
    long memoryMiB,
    Map<String, String> extraConfig,
    String annotation,
    List<DeviceChange> deviceChanges) {

  public VmChange {
    requireSize(cpu, coresPerSocket, memoryMiB);
    extraConfig = extraConfig == null ? Map.of() : Map.copyOf(extraConfig);
    deviceChanges = deviceChanges == null ? List.of() : List.copyOf(deviceChanges);
  }

  /** CPU, memory and extraConfig, as {@link VsphereClient#reconfigureVm(MoRef, int, long, Map)}. */
  public static VmChange size(int cpu, long memoryMiB, Map<String, String> extraConfig) {
    return new VmChange(cpu, 0, memoryMiB, extraConfig, null, List.of());
  }

  /** Only device edits, e.g. growing a disk. */
  public static VmChange devices(List<DeviceChange> changes) {
    return new VmChange(0, 0, 0, Map.of(), null, changes);
  }

  /** Whether it changes nothing. */
  public boolean isEmpty() {
    return cpu == 0
        && coresPerSocket == 0
        && memoryMiB == 0
        && extraConfig.isEmpty()
        && annotation == null
        && deviceChanges.isEmpty();
  }

  /** The values in this change that must appear in no log line or message. */
  public List<String> secrets() {
    return secretValues(extraConfig);
  }

  @Override
  public String toString() {
    return "VmChange[cpu="
        + cpu
        + ", coresPerSocket="
        + coresPerSocket
        + ", memoryMiB="
        + memoryMiB
        + ", extraConfig="
        + SecretValues.describe(extraConfig)
        + ", annotation="
        + annotation
        + ", deviceChanges="
        + deviceChanges
        + "]";
  }

  static List<String> secretValues(Map<String, String> extraConfig) {
    List<String> out = new ArrayList<>();
    extraConfig.forEach(
        (k, v) -> {
          if (SecretValues.isSecretKey(k) && v != null && !v.isEmpty()) {
            out.add(v);
          }
        });
    return out;
  }

  /**
   * Sizes vCenter would refuse: negative ones, and cores per socket that don't divide the CPUs.
   * Zero means "as it is", so a divisor can only be checked when both are given.
   */
  static void requireSize(int cpu, int coresPerSocket, long memoryMiB) {
    if (cpu < 0 || coresPerSocket < 0 || memoryMiB < 0) {
      throw new IllegalArgumentException(
          "negative size: cpu " + cpu + ", cores " + coresPerSocket + ", memory " + memoryMiB);
    }
    if (cpu > 0 && coresPerSocket > 0 && cpu % coresPerSocket != 0) {
      throw new IllegalArgumentException(
          cpu + " vCPUs can't be split into sockets of " + coresPerSocket + " cores");
    }
  }
}
