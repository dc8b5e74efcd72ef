package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Faults;
import com.codeconnect.vmgroup.decision.InPlaceSync;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.decision.TagNames;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.vsphere.CustomFieldDef;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.Tag;
import com.codeconnect.vmgroup.vsphere.TagCategory;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Keeps spec.tags and spec.customAttributes (with the reserved {@code vmgroup} attribute) on every
 * VM of a group, in place; {@link InPlaceSync} is the pure part.
 *
 * <p>What it costs: custom values arrive with each VM through the change feed and the field keys
 * are looked up once per group, so attributes cost a SetField call per value that differs and none
 * otherwise. Tags reach no change feed: the names are resolved, and each VM's attached tags read,
 * once and then again after the full resync interval, or whenever spec.tags changes; the operator
 * counts its own attaches and detaches in between. An administrator's detach is therefore put back
 * within that interval, and a group in sync costs no call on either API between those reads.
 *
 * <p>VMs the reconcile's runner acts on, or that have a task in flight, are left for a later pass:
 * a fresh VM is powered on and settled before it is tagged.
 */
final class MetadataKeeper {
  /**
   * A change the change feed hasn't shown yet is not made again within this time: a marker written
   * twice costs a second task, a value set twice a wasted call.
   */
  static final Duration CHANGE_HOLD = Duration.ofSeconds(30);

  private final Clock clock;
  private final Duration tagRecheck;

  /**
   * @param tagRecheck how long tag names and a VM's attached tags, which no change feed reports,
   *     are trusted before they are read again
   */
  MetadataKeeper(Clock clock, Duration tagRecheck) {
    this.clock = clock;
    this.tagRecheck = tagRecheck;
  }

  /**
   * Brings the group's VMs' tags and attributes to the spec.
   *
   * @return why tags can't be kept (TagNotFound), or null
   */
  Problem keep(
      Endpoint ep, VmGroup group, Observation seen, ActionRunner.Acted acted, GroupMemory memory) {
    MetadataMemory mem = memory.metadata;
    mem.retain(seen.owned().stream().map(VmInfo::ref).collect(Collectors.toSet()));
    if (group.paused()) {
      return null;
    }
    Set<String> busy = new HashSet<>(ep.tracker().inFlight(group.getMetadata().getUid()).keySet());
    acted.started().forEach(a -> busy.add(a.target()));
    List<VmInfo> vms =
        seen.owned().stream().filter(vm -> !vm.template() && !busy.contains(vm.name())).toList();
    if (vms.isEmpty()) {
      return null;
    }
    Instant now = clock.instant();
    Problem attributes = null;
    try {
      attributes(ep.client(), group, vms, mem, now);
    } catch (VsphereException e) {
      if (e instanceof VsphereException.InvalidLogin || e instanceof VsphereException.Transport) {
        throw e;
      }
      // A key remembered from an earlier read may be gone (a definition deleted, a vCenter
      // rebuilt): the next look reads the definitions again and adds what is missing.
      mem.fieldKeys(Map.of());
      attributes =
          new Problem(
              Problem.Reason.AttributesNotSet,
              "custom attributes not set: "
                  + Faults.ofReconcile(ep.isOwn(), ep.name(), e).message());
    }
    try {
      Problem tags = tags(ep.client(), group, vms, mem, now);
      return tags != null ? tags : attributes;
    } catch (VsphereException e) {
      if (e instanceof VsphereException.InvalidLogin) {
        throw e;
      }
      return new Problem(
          Problem.Reason.TaggingUnavailable,
          "tags not kept: " + Faults.ofReconcile(ep.isOwn(), ep.name(), e).message());
    }
  }

  // ---------------------------------------------------------------- custom attributes

  private void attributes(
      VsphereClient client, VmGroup group, List<VmInfo> vms, MetadataMemory mem, Instant now) {
    Map<String, String> wanted =
        InPlaceSync.attributes(
            group.getSpec(), group.getMetadata().getNamespace(), group.getMetadata().getName());
    Map<String, Integer> keys = fieldKeys(client, wanted.keySet(), mem);
    Map<Integer, String> byKey = new HashMap<>();
    wanted.forEach((name, value) -> byKey.put(keys.get(name), value));
    for (VmInfo vm : vms) {
      Map<Integer, String> changes = InPlaceSync.attributeChanges(byKey, vm.customValues());
      String what = "attributes " + changes;
      if (changes.isEmpty() || mem.isPending(vm.ref(), what, now)) {
        continue;
      }
      try {
        changes.forEach((key, value) -> client.setCustomValue(vm.ref(), key, value));
      } catch (VsphereException.ManagedObjectNotFound gone) {
        // destroyed since the observation (a scale-in, a replacement): nothing to set
        continue;
      }
      mem.hold(vm.ref(), what, now.plus(CHANGE_HOLD));
    }
  }

  /**
   * The field key of each name, from memory; definitions are read (and the missing ones added, for
   * VMs only) when a name is new to the group.
   */
  private static Map<String, Integer> fieldKeys(
      VsphereClient client, Set<String> names, MetadataMemory mem) {
    Map<String, Integer> known = mem.fieldKeys();
    if (known.keySet().containsAll(names)) {
      return known;
    }
    Map<String, Integer> keys = new HashMap<>(known);
    List<CustomFieldDef> defs = client.customFields();
    for (String name : names) {
      if (keys.containsKey(name)) {
        continue;
      }
      CustomFieldDef def = forVms(defs, name);
      if (def == null) {
        try {
          def = client.addVmCustomField(name);
        } catch (VsphereException.DuplicateName raced) {
          // another operator (or person) added it since the read: theirs is as good
          def = forVms(client.customFields(), name);
          if (def == null) {
            throw raced;
          }
        }
      }
      keys.put(name, def.key());
    }
    mem.fieldKeys(keys);
    return keys;
  }

  private static CustomFieldDef forVms(List<CustomFieldDef> defs, String name) {
    return defs.stream()
        .filter(d -> d.name().equals(name) && d.appliesToVms())
        .findFirst()
        .orElse(null);
  }

  // ---------------------------------------------------------------- tags

  private Problem tags(
      VsphereClient client, VmGroup group, List<VmInfo> vms, MetadataMemory mem, Instant now) {
    List<String> spec = group.getSpec().getTags() == null ? List.of() : group.getSpec().getTags();
    boolean marked = vms.stream().anyMatch(vm -> vm.extraConfig().containsKey(Ownership.TAGS));
    if (spec.isEmpty() && !marked) {
      // no tag wanted and none of ours on any VM: nothing to read
      return null;
    }
    MetadataMemory.ResolvedTags resolved = mem.tags();
    if (resolved == null || !resolved.spec().equals(spec) || stale(resolved.at(), now)) {
      resolved = resolve(client, spec, now);
      mem.tags(resolved);
    }
    if (resolved.problem() != null) {
      return resolved.problem();
    }
    for (VmInfo vm : vms) {
      sync(client, vm, resolved.ids(), mem, now);
    }
    return null;
  }

  private boolean stale(Instant at, Instant now) {
    return !now.isBefore(at.plus(tagRecheck));
  }

  /** Reads only the categories spec.tags names the tags of. */
  private static MetadataMemory.ResolvedTags resolve(
      VsphereClient client, List<String> spec, Instant now) {
    if (spec.isEmpty()) {
      return new MetadataMemory.ResolvedTags(spec, Set.of(), null, now);
    }
    Set<String> wantedCategories =
        spec.stream()
            .map(entry -> TagNames.Name.parse(entry).category())
            .collect(Collectors.toSet());
    Map<String, String> categories = new HashMap<>();
    Map<String, Map<String, String>> tags = new HashMap<>();
    for (TagCategory c : client.tagCategories()) {
      categories.putIfAbsent(c.name(), c.id());
      if (wantedCategories.contains(c.name()) && !tags.containsKey(c.id())) {
        Map<String, String> byName = new HashMap<>();
        for (Tag t : client.tags(c)) {
          byName.putIfAbsent(t.name(), t.id());
        }
        tags.put(c.id(), byName);
      }
    }
    TagNames.Resolution r = TagNames.resolve(spec, categories, tags);
    return r instanceof TagNames.Resolved ok
        ? new MetadataMemory.ResolvedTags(spec, ok.ids(), null, now)
        : new MetadataMemory.ResolvedTags(spec, Set.of(), ((TagNames.Failed) r).problem(), now);
  }

  private void sync(
      VsphereClient client, VmInfo vm, Set<String> wanted, MetadataMemory mem, Instant now) {
    MetadataMemory.Attached attached = mem.attached(vm.ref());
    if (attached == null || stale(attached.at(), now)) {
      attached = new MetadataMemory.Attached(Set.copyOf(client.attachedTags(vm.ref())), now);
      mem.attached(vm.ref(), attached.ids(), now);
    }
    InPlaceSync.TagStep step = InPlaceSync.tags(wanted, attached.ids(), vm);
    if (step.markerFirst()) {
      writeMarker(client, vm.ref(), step.markerValue(), mem, now);
      return;
    }
    Set<String> current = new TreeSet<>(attached.ids());
    if (!step.attach().isEmpty()) {
      client.attachTags(step.attach(), vm.ref());
      current.addAll(step.attach());
    }
    if (!step.detach().isEmpty()) {
      client.detachTags(step.detach(), vm.ref());
      current.removeAll(step.detach());
    }
    if (!step.attach().isEmpty() || !step.detach().isEmpty()) {
      mem.attached(vm.ref(), current, attached.at());
    }
    if (step.marker() != null) {
      writeMarker(client, vm.ref(), step.markerValue(), mem, now);
    }
  }

  /** One reconfigure task; the change feed brings the new list, and with it the next pass. */
  private static void writeMarker(
      VsphereClient client, MoRef vm, String value, MetadataMemory mem, Instant now) {
    String what = "marker " + value;
    if (mem.isPending(vm, what, now)) {
      return;
    }
    client.setExtraConfig(vm, Map.of(Ownership.TAGS, value));
    mem.hold(vm, what, now.plus(CHANGE_HOLD));
  }
}
