package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.NativeMetadata;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tags and custom attributes, kept in sync on a VM in place: they are in no hash, and a change
 * costs calls only on the VMs that differ, none in steady state.
 *
 * <p>Tags: the operator lists on each VM the tags it attached ({@link Ownership#TAGS}), so it
 * detaches only its own: a tag someone detached comes back, one attached by hand is left alone, and
 * one dropped from the spec is detached where the operator put it. The list grows before the
 * operator attaches and shrinks after it detached, each its own step, so a crash between steps
 * leaves nothing it attached unlisted and the next round finishes the job from what vCenter shows.
 *
 * <p>Attributes: only the spec's names and the reserved {@link NativeMetadata#OWNER_ATTRIBUTE} are
 * ever set; a value that differs (or was cleared by hand) is set again. A name dropped from the
 * spec keeps its last value: the operator stops managing it.
 *
 * <p>Pure: the controller resolves tag names to ids and attribute names to field keys, and reads
 * the VMs' tags.
 */
public final class InPlaceSync {
  private InPlaceSync() {}

  /**
   * What to do about one VM's tags.
   *
   * @param attach ids to attach: wanted and not attached
   * @param detach ids to detach: listed as the operator's, no longer wanted, still attached
   * @param marker the VM's list to write first (before attaching, so it grows), or afterwards
   *     (after detaching, so it shrinks); null when the list is right
   * @param markerFirst whether the marker must be written (and seen) before the calls
   */
  public record TagStep(
      Set<String> attach, Set<String> detach, Set<String> marker, boolean markerFirst) {
    public TagStep {
      attach = Set.copyOf(attach);
      detach = Set.copyOf(detach);
      marker = marker == null ? null : Set.copyOf(marker);
    }

    public boolean idle() {
      return attach.isEmpty() && detach.isEmpty() && marker == null;
    }

    /** The marker's value for {@link Ownership#TAGS}: empty removes it. */
    public String markerValue() {
      return marker == null ? null : ManagedSet.encode(marker);
    }
  }

  /**
   * @param wanted ids of the tags spec.tags names
   * @param attached ids of the tags attached to the VM now
   */
  public static TagStep tags(Set<String> wanted, Set<String> attached, VmInfo vm) {
    Set<String> managed = ManagedSet.of(vm, Ownership.TAGS);
    Set<String> attach = new TreeSet<>(wanted);
    attach.removeAll(attached);
    Set<String> detach = new TreeSet<>(managed);
    detach.removeAll(wanted);
    detach.retainAll(attached);
    if (!managed.containsAll(attach)) {
      Set<String> grown = new TreeSet<>(managed);
      grown.addAll(attach);
      // listing first; nothing is attached or detached until the list shows on the VM
      return new TagStep(Set.of(), Set.of(), grown, true);
    }
    Set<String> kept = new TreeSet<>(managed);
    kept.retainAll(wanted);
    Set<String> marker = kept.size() < managed.size() ? kept : null;
    return new TagStep(attach, detach, marker, false);
  }

  /** The custom attributes every VM of the group gets: the spec's, and vmgroup = namespace/name. */
  public static Map<String, String> attributes(VmGroupSpec spec, String namespace, String name) {
    Map<String, String> all = new TreeMap<>();
    if (spec.getCustomAttributes() != null) {
      all.putAll(spec.getCustomAttributes());
    }
    all.put(NativeMetadata.OWNER_ATTRIBUTE, namespace + "/" + name);
    return all;
  }

  /**
   * The values to set on one VM, by field key: those wanted that the VM doesn't have (absent and
   * empty are the same in vSphere).
   *
   * @param wanted field key to value
   * @param current the VM's values by field key
   */
  public static Map<Integer, String> attributeChanges(
      Map<Integer, String> wanted, Map<Integer, String> current) {
    Map<Integer, String> out = new TreeMap<>();
    wanted.forEach(
        (key, value) -> {
          if (!value.equals(current.getOrDefault(key, ""))) {
            out.put(key, value);
          }
        });
    return out;
  }
}
