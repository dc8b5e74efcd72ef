package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.vsphere.MoRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@link MetadataKeeper} remembers of one group so that a group in sync costs no call: the
 * custom field keys of its attributes, its tags as resolved from their names, and each VM's
 * attached tags as last read or changed. Tags reach no change feed, so they are read again after
 * the full resync interval; custom values come with the VM through the feed.
 */
final class MetadataMemory {
  /**
   * spec.tags as resolved, and when: the ids, or why a name doesn't resolve (then no tag of the
   * group is attached or detached).
   */
  record ResolvedTags(List<String> spec, Set<String> ids, Problem problem, Instant at) {}

  /** A VM's attached tag ids as last read or changed by the operator. */
  record Attached(Set<String> ids, Instant at) {}

  /** A change made, not yet shown by the change feed: not made again until it shows or expires. */
  private record Pending(MoRef vm, String what) {}

  private volatile Map<String, Integer> fieldKeys = Map.of();
  private volatile ResolvedTags tags;
  private final Map<MoRef, Attached> attached = new ConcurrentHashMap<>();
  private final Map<Pending, Instant> pending = new ConcurrentHashMap<>();

  Map<String, Integer> fieldKeys() {
    return fieldKeys;
  }

  void fieldKeys(Map<String, Integer> keys) {
    fieldKeys = Map.copyOf(keys);
  }

  ResolvedTags tags() {
    return tags;
  }

  void tags(ResolvedTags resolved) {
    tags = resolved;
  }

  Attached attached(MoRef vm) {
    return attached.get(vm);
  }

  void attached(MoRef vm, Set<String> ids, Instant at) {
    attached.put(vm, new Attached(Set.copyOf(ids), at));
  }

  /** Whether the same change was made on the VM and may not have arrived yet. */
  boolean isPending(MoRef vm, String what, Instant now) {
    Instant until = pending.get(new Pending(vm, what));
    return until != null && now.isBefore(until);
  }

  void hold(MoRef vm, String what, Instant until) {
    pending.put(new Pending(vm, what), until);
  }

  /** Forgets VMs that are no longer the group's. */
  void retain(Set<MoRef> vms) {
    attached.keySet().retainAll(vms);
    pending.keySet().removeIf(p -> !vms.contains(p.vm()));
  }
}
