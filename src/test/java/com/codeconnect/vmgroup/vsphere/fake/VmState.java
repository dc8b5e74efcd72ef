package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of one VM or template. Immutable, so a change feed can hold the state before and after
 * a change and report exactly the properties that differ.
 *
 * @param extraConfig every entry, not only the marker-prefixed ones: a change to another key is
 *     still a change of the {@code config.extraConfig} property in vSphere
 * @param guest what VMware Tools reports beside the primary address
 */
record VmState(
    PowerState power,
    int cpu,
    long memoryMiB,
    boolean template,
    String instanceUuid,
    String ipAddress,
    Map<String, String> extraConfig,
    boolean cpuHotAdd,
    boolean memoryHotAdd,
    MoRef snapshot,
    MoRef pool,
    MoRef datastore,
    VmGuest guest,
    Map<Integer, String> customValues) {

  VmState {
    extraConfig = Collections.unmodifiableMap(new LinkedHashMap<>(extraConfig));
    guest = guest == null ? VmGuest.NONE : guest;
    customValues = customValues == null ? Map.of() : Map.copyOf(customValues);
  }

  VmState(
      PowerState power,
      int cpu,
      long memoryMiB,
      boolean template,
      String instanceUuid,
      String ipAddress,
      Map<String, String> extraConfig,
      boolean cpuHotAdd,
      boolean memoryHotAdd,
      MoRef snapshot,
      MoRef pool,
      MoRef datastore,
      VmGuest guest) {
    this(
        power,
        cpu,
        memoryMiB,
        template,
        instanceUuid,
        ipAddress,
        extraConfig,
        cpuHotAdd,
        memoryHotAdd,
        snapshot,
        pool,
        datastore,
        guest,
        Map.of());
  }

  /** A VM whose guest reports nothing. */
  VmState(
      PowerState power,
      int cpu,
      long memoryMiB,
      boolean template,
      String instanceUuid,
      String ipAddress,
      Map<String, String> extraConfig,
      boolean cpuHotAdd,
      boolean memoryHotAdd,
      MoRef snapshot,
      MoRef pool,
      MoRef datastore) {
    this(
        power,
        cpu,
        memoryMiB,
        template,
        instanceUuid,
        ipAddress,
        extraConfig,
        cpuHotAdd,
        memoryHotAdd,
        snapshot,
        pool,
        datastore,
        VmGuest.NONE);
  }

  VmState withPower(PowerState p) {
    return new VmState(
        p,
        cpu,
        memoryMiB,
        template,
        instanceUuid,
        ipAddress,
        extraConfig,
        cpuHotAdd,
        memoryHotAdd,
        snapshot,
        pool,
        datastore,
        guest,
        customValues);
  }

  /** Zero or less leaves a value as it is, as in a VirtualMachineConfigSpec. */
  VmState withSize(int newCpu, long newMemoryMiB) {
    return new VmState(
        power,
        newCpu > 0 ? newCpu : cpu,
        newMemoryMiB > 0 ? newMemoryMiB : memoryMiB,
        template,
        instanceUuid,
        ipAddress,
        extraConfig,
        cpuHotAdd,
        memoryHotAdd,
        snapshot,
        pool,
        datastore,
        guest,
        customValues);
  }

  /** vSphere's rule: an entry replaces the one of the same key, an empty value removes the key. */
  VmState withExtraConfig(Map<String, String> entries) {
    Map<String, String> merged = new LinkedHashMap<>(extraConfig);
    entries.forEach(
        (k, v) -> {
          if (v == null || v.isEmpty()) {
            merged.remove(k);
          } else {
            merged.put(k, v);
          }
        });
    return new VmState(
        power,
        cpu,
        memoryMiB,
        template,
        instanceUuid,
        ipAddress,
        merged,
        cpuHotAdd,
        memoryHotAdd,
        snapshot,
        pool,
        datastore,
        guest,
        customValues);
  }

  VmState withIpAddress(String ip) {
    return new VmState(
        power,
        cpu,
        memoryMiB,
        template,
        instanceUuid,
        ip,
        extraConfig,
        cpuHotAdd,
        memoryHotAdd,
        snapshot,
        pool,
        datastore,
        guest,
        customValues);
  }

  /**
   * What Tools reports from the guest, and the primary address with it: the first address, as
   * vCenter's {@code guest.ipAddress} is one of {@code guest.net}'s.
   */
  VmState withGuest(VmGuest g, String primaryIp) {
    return new VmState(
        power,
        cpu,
        memoryMiB,
        template,
        instanceUuid,
        primaryIp,
        extraConfig,
        cpuHotAdd,
        memoryHotAdd,
        snapshot,
        pool,
        datastore,
        g,
        customValues);
  }

  /** vSphere's rule for SetField: the value replaces the field's, an empty one clears it. */
  VmState withCustomValue(int key, String value) {
    Map<Integer, String> values = new java.util.HashMap<>(customValues);
    if (value.isEmpty()) {
      values.remove(key);
    } else {
      values.put(key, value);
    }
    return new VmState(
        power,
        cpu,
        memoryMiB,
        template,
        instanceUuid,
        ipAddress,
        extraConfig,
        cpuHotAdd,
        memoryHotAdd,
        snapshot,
        pool,
        datastore,
        guest,
        values);
  }

  /** The entries a client with this marker prefix sees. */
  Map<String, String> markers(String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    extraConfig.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k, v);
          }
        });
    return out;
  }
}
