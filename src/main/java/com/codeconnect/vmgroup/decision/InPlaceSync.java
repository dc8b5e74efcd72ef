package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.NativeMetadata;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Tags and custom attributes, kept in sync on every VM in place: they are in no hash, and a change
 * costs one call per changed VM and kind of change, none in steady state.
 *
 * <p>The operator lists on each VM what it attached or set ({@link Ownership#TAGS}, {@link
 * Ownership#ATTRIBUTES}), so it changes only its own: a tag or attribute value someone removed or
 * altered comes back, one added by hand (or already there with the wanted value) is left alone, and
 * one dropped from the spec is detached or cleared only where the operator put it. The list grows
 * before the operator attaches or sets something and shrinks after it detached or cleared, each
 * step one action, so a crash between steps leaves nothing it put there unlisted and the next round
 * finishes the job from what vCenter shows. Pure: the controller resolves tag names to ids and
 * reads the VMs' tags and custom values.
 */
public final class InPlaceSync {
  /** The managed object type a custom attribute definition is created for. */
  public static final String VM_TYPE = "VirtualMachine";

  private InPlaceSync() {}

  /**
   * What every VM of the group should have.
   *
   * @param tags ids of the tags spec.tags names; null leaves tags alone (e.g. while a name doesn't
   *     resolve: a typo must not detach anything)
   * @param attributes custom attribute name to value, the reserved {@code vmgroup} included ({@link
   *     #attributes}); null leaves attributes alone
   */
  public record Wanted(Set<String> tags, Map<String, String> attributes) {
    public Wanted {
      tags = tags == null ? null : Set.copyOf(tags);
      attributes = attributes == null ? null : Map.copyOf(attributes);
    }
  }

  /**
   * What the controller knows of one VM.
   *
   * @param tags ids of the tags attached to it; null when not read
   * @param attributes its custom attribute values by name (absent and empty are the same); null
   *     when not read
   */
  public record Current(Set<String> tags, Map<String, String> attributes) {
    public Current {
      tags = tags == null ? null : Set.copyOf(tags);
      attributes = attributes == null ? null : Map.copyOf(attributes);
    }
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
   * One kind's difference on one VM.
   *
   * @param write names to attach or set: wanted, and not (rightly) there
   * @param clear names to detach or clear: in the marker, no longer wanted, still there
   * @param grow the marker with {@code write} added, or null when it lists them all already
   * @param shrink the marker without the names no longer wanted, or null when it has none
   */
  record Diff(Set<String> write, Set<String> clear, Set<String> grow, Set<String> shrink) {
    boolean calls() {
      return !write.isEmpty() || !clear.isEmpty();
    }
  }

  /**
   * The step for one kind of metadata.
   *
   * @param wanted the names the spec asks for
   * @param right whether a wanted name is already right on the VM
   * @param there whether a name is on the VM at all (attached, or a non-empty value)
   * @param managed the names in the VM's marker
   */
  static Diff diff(
      Set<String> wanted, Predicate<String> right, Predicate<String> there, Set<String> managed) {
    Set<String> write =
        wanted.stream().filter(right.negate()).collect(Collectors.toCollection(TreeSet::new));
    Set<String> clear =
        managed.stream()
            .filter(n -> !wanted.contains(n) && there.test(n))
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> grow = null;
    if (!managed.containsAll(write)) {
      grow = new TreeSet<>(managed);
      grow.addAll(write);
    }
    Set<String> kept =
        managed.stream().filter(wanted::contains).collect(Collectors.toCollection(TreeSet::new));
    Set<String> shrink = kept.size() < managed.size() ? kept : null;
    return new Diff(write, clear, grow, shrink);
  }

  static Diff tags(Set<String> wanted, Set<String> attached, Set<String> managed) {
    return diff(wanted, attached::contains, attached::contains, managed);
  }

  static Diff attributes(
      Map<String, String> wanted, Map<String, String> current, Set<String> managed) {
    return diff(
        wanted.keySet(),
        n -> wanted.get(n).equals(current.getOrDefault(n, "")),
        n -> !current.getOrDefault(n, "").isEmpty(),
        managed);
  }

  /**
   * The next action for one VM, or null when its tags and attributes are as wanted (or unknown).
   * Markers first when one has to grow (with the other kind's shrink, if that one is due); then the
   * tags, then the attributes; a shrinking marker last.
   */
  public static Action step(Wanted wanted, VmInfo vm, Current current) {
    Diff tags =
        wanted.tags() == null || current == null || current.tags() == null
            ? null
            : tags(wanted.tags(), current.tags(), ManagedSet.of(vm, Ownership.TAGS));
    Diff attributes =
        wanted.attributes() == null || current == null || current.attributes() == null
            ? null
            : attributes(
                wanted.attributes(), current.attributes(), ManagedSet.of(vm, Ownership.ATTRIBUTES));
    Map<String, String> grow = new HashMap<>();
    Map<String, String> shrink = new HashMap<>();
    collect(tags, Ownership.TAGS, grow, shrink);
    collect(attributes, Ownership.ATTRIBUTES, grow, shrink);
    if (!grow.isEmpty()) {
      grow.putAll(shrink);
      return new Action.WriteMarkers(vm, grow);
    }
    if (tags != null && tags.calls()) {
      return new Action.SyncTags(vm, List.copyOf(tags.write()), List.copyOf(tags.clear()));
    }
    if (attributes != null && attributes.calls()) {
      Map<String, String> values = new TreeMap<>();
      attributes.write().forEach(n -> values.put(n, wanted.attributes().get(n)));
      attributes.clear().forEach(n -> values.put(n, ""));
      return new Action.SetAttributes(vm, values);
    }
    return shrink.isEmpty() ? null : new Action.WriteMarkers(vm, shrink);
  }

  /** A kind's marker value to write now: a growth at once, a shrink once its calls are done. */
  private static void collect(
      Diff d, String key, Map<String, String> grow, Map<String, String> shrink) {
    if (d == null) {
      return;
    }
    if (d.grow() != null) {
      grow.put(key, ManagedSet.encode(d.grow()));
    } else if (d.shrink() != null && !d.calls()) {
      shrink.put(key, ManagedSet.encode(d.shrink()));
    }
  }

  /**
   * The in-place actions of a group: at most one per VM, and none for a VM that is busy or that the
   * replica plan already acts on this round (its VM tasks come first: a fresh VM is powered on
   * before it is tagged).
   *
   * @param owned the VMs with the group's marker
   * @param current what the controller knows of each VM, by name; a VM missing here is skipped
   * @param planned the replica plan's actions of this round
   */
  public static List<Action> plan(
      Wanted wanted,
      List<VmInfo> owned,
      Map<String, Current> current,
      Set<String> busy,
      Collection<Action> planned) {
    Set<String> acted = new HashSet<>();
    planned.forEach(a -> acted.add(a.target()));
    List<Action> actions = new ArrayList<>();
    for (VmInfo vm : owned.stream().sorted(Comparator.comparing(VmInfo::name)).toList()) {
      if (busy.contains(vm.name()) || acted.contains(vm.name())) {
        continue;
      }
      Action a = step(wanted, vm, current.get(vm.name()));
      if (a != null) {
        actions.add(a);
      }
    }
    return actions;
  }

  /**
   * The custom attribute definitions to create (for VMs only) before values can be set: those of
   * {@code names} without a definition that applies to VMs.
   *
   * @param definitions each defined name with the managed object types it is defined for; an empty
   *     type (or null) is a global definition, which applies to VMs too
   */
  public static List<String> missingDefinitions(
      Collection<String> names, Map<String, ? extends Collection<String>> definitions) {
    return names.stream()
        .filter(
            n ->
                !definitions.containsKey(n)
                    || definitions.get(n).stream()
                        .noneMatch(t -> t == null || t.isEmpty() || VM_TYPE.equals(t)))
        .distinct()
        .sorted()
        .toList();
  }
}
