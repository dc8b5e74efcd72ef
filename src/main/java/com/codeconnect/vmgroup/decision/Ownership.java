package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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
   * Hash of what a VM was cloned from (template and clone mode, and the fields only a clone takes:
   * coresPerSocket, bootstrap, networks, extra disks; see {@link SpecHash}): a VM whose hash
   * differs from the spec's has to be replaced.
   */
  public static final String SOURCE_HASH = PREFIX + "source-hash";

  /**
   * Hash of the whole VM-shaping spec (source, CPU, memory) the VM was last brought to. It tells a
   * spec change (which the update strategy governs) from drift (which is always repaired).
   */
  public static final String SPEC_HASH = PREFIX + "spec-hash";

  /**
   * The static addresses a VM was given, comma-separated in the order of spec.networks: what it
   * holds until it is gone, whatever the spec says now ({@link ReplicaPlan} won't hand them to
   * another VM meanwhile).
   */
  public static final String ADDRESSES = PREFIX + "addresses";

  /**
   * The boot disk size in GiB a VM was cloned or grown to. Not part of the hashes: a larger
   * spec.disk.sizeGiB grows the disk in place instead of replacing the VM.
   */
  public static final String BOOT_DISK_GIB = PREFIX + "disk.boot.gib";

  /**
   * The cloud-init instance-id a VM was cloned with: new for every clone (a replaced VM is a new
   * instance to cloud-init), kept on the VM so the metadata written after the clone carries it.
   */
  public static final String INSTANCE_ID = PREFIX + "instance-id";

  /**
   * Set when the VM's cloud-init metadata (with its network config, which names the NICs' MACs that
   * vCenter assigns at clone time) has been written: until then the VM is not powered on.
   */
  public static final String METADATA_WRITTEN = PREFIX + "metadata-written";

  /**
   * The tags (their ids) the operator attached to the VM ({@link ManagedSet}): the only ones it
   * detaches when spec.tags drops them; tags attached by hand are not listed and left alone.
   */
  public static final String TAGS = PREFIX + "tags";

  /**
   * The version of the content library item a VM was deployed from ({@code LibraryItem}'s content
   * version): a VM of an older version is replaced like one of an older template. Kept apart from
   * {@link #SOURCE_HASH} because only a lookup of the item knows the current version, and a round
   * that didn't look must not see every VM as outdated.
   */
  public static final String CONTENT_VERSION = PREFIX + "content-version";

  /**
   * Set to {@code pending} on a VM deployed from a content library whose spec asks for a guest
   * customization (LinuxPrep, Sysprep), until CustomizeVM has given it one: it can't be part of the
   * deploy, and it must come after the reconfigure that gives the VM its NICs. A VM with it is not
   * powered on. Removed once the customization is pending in vCenter, so a later power cycle never
   * customizes the guest a second time.
   */
  public static final String CUSTOMIZATION = PREFIX + "customization";

  /** Whether the VM still waits for its guest customization ({@link #CUSTOMIZATION}). */
  public static boolean customizationPending(VmInfo vm) {
    return "pending".equals(vm.extraConfig().get(CUSTOMIZATION));
  }

  /**
   * What a content library deploy writes into the new VM's Notes, the one field both deploy calls
   * carry: the markers come only with the reconfigure after it. A VM in the group's folder with a
   * replica's name and this token but no markers was deployed by the operator for the group and not
   * yet finished (even by an operator that crashed in between); without the token it is a
   * stranger's and never adopted.
   */
  public static String deployToken(String uid) {
    return "[vmgroup-deploy " + uid + "]";
  }

  /** Whether a VM's Notes carry {@link #deployToken} of the group with this UID. */
  public static boolean deployedFor(String notes, String uid) {
    return notes != null && uid != null && notes.contains(deployToken(uid));
  }

  private Ownership() {}

  /** Whether the VM's cloud-init metadata has been written after its clone. */
  public static boolean metadataWritten(VmInfo vm) {
    return "true".equals(vm.extraConfig().get(METADATA_WRITTEN));
  }

  public static Map<String, String> markers(String uid, String namespace, String name, int index) {
    return Map.of(
        OWNER_UID, uid, OWNER_NAME, namespace + "/" + name, INDEX, Integer.toString(index));
  }

  /** The ownership markers plus the hashes of the spec the VM is cloned with. */
  public static Map<String, String> markers(
      String uid, String namespace, String name, int index, SpecHash hash) {
    return markers(uid, namespace, name, index, hash, List.of(), null);
  }

  /**
   * Everything recorded on a new VM: ownership, the spec's hashes, its static addresses ({@link
   * StaticAddresses#addressesOf}; none: no marker) and the boot disk size it is cloned with ({@link
   * BootDisk#atClone}; null: the template's, no marker).
   */
  public static Map<String, String> markers(
      String uid,
      String namespace,
      String name,
      int index,
      SpecHash hash,
      List<String> addresses,
      Integer bootDiskGiB) {
    Map<String, String> all = new HashMap<>(markers(uid, namespace, name, index));
    all.putAll(hash.markers());
    if (addresses != null && !addresses.isEmpty()) {
      all.put(ADDRESSES, String.join(",", addresses));
    }
    if (bootDiskGiB != null) {
      all.put(BOOT_DISK_GIB, bootDiskGiB.toString());
    }
    return Map.copyOf(all);
  }

  /** The static addresses recorded on the VM; empty when it has none. */
  public static List<String> addresses(VmInfo vm) {
    String value = vm.extraConfig().get(ADDRESSES);
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::strip).filter(a -> !a.isEmpty()).toList();
  }

  /** The boot disk size recorded on the VM, if the marker is present and well-formed. */
  public static OptionalInt bootDiskGiB(VmInfo vm) {
    String value = vm.extraConfig().get(BOOT_DISK_GIB);
    if (value == null) {
      return OptionalInt.empty();
    }
    try {
      int gib = Integer.parseInt(value.strip());
      return gib > 0 ? OptionalInt.of(gib) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
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
