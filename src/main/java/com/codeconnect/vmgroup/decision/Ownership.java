package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The markers written into a VM's {@code extraConfig} at clone time. A VM is the group's only if it
 * carries the group's UID; nothing else (name, folder) is proof of ownership.
 */
public final class Ownership {
  /** The client fetches only extraConfig keys with this prefix. */
  public static final String PREFIX = "vmgroup.";

  public static final String OWNER_UID = PREFIX + "owner.uid";
  public static final String OWNER_NAME = PREFIX + "owner.name";
  public static final String INDEX = PREFIX + "index";

  /**
   * Hash of what a VM was cloned from (template and clone mode): a VM whose hash differs from the
   * spec's has to be replaced, since neither can be changed on an existing VM.
   */
  public static final String SOURCE_HASH = PREFIX + "source-hash";

  /**
   * Hash of the whole VM-shaping spec (source, CPU, memory) the VM was last brought to. It tells a
   * spec change (which the update strategy governs) from drift (which is always repaired).
   */
  public static final String SPEC_HASH = PREFIX + "spec-hash";

  private Ownership() {}

  public static Map<String, String> markers(String uid, String namespace, String name, int index) {
    return Map.of(
        OWNER_UID, uid, OWNER_NAME, namespace + "/" + name, INDEX, Integer.toString(index));
  }

  /** The ownership markers plus the hashes of the spec the VM is cloned with. */
  public static Map<String, String> markers(
      String uid, String namespace, String name, int index, SpecHash hash) {
    Map<String, String> all = new java.util.HashMap<>(markers(uid, namespace, name, index));
    all.putAll(hash.markers());
    return Map.copyOf(all);
  }

  public static boolean ownedBy(VmInfo vm, String uid) {
    return uid != null && uid.equals(vm.extraConfig().get(OWNER_UID));
  }

  /** The replica index recorded at clone time, if the marker is present and well-formed. */
  public static OptionalInt index(VmInfo vm) {
    String value = vm.extraConfig().get(INDEX);
    if (value == null) {
      return OptionalInt.empty();
    }
    try {
      int index = Integer.parseInt(value);
      return index >= 0 ? OptionalInt.of(index) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
