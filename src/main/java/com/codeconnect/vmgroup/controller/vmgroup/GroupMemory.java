package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.decision.AntiAffinity;
import com.codeconnect.vmgroup.decision.Readiness;
import com.codeconnect.vmgroup.vsphere.ComputeResourceInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operator remembers about one group between its reconciles, in one place with one
 * lifetime: made at the group's first reconcile, dropped when its deletion finishes ({@link
 * Memories#forget}). JOSDK never runs two reconciles of one group at once, but successive ones run
 * on different threads, hence the volatile fields.
 */
final class GroupMemory {
  /** Reconciles in a row that vCenter failed, for the backoff of the next retry. */
  private volatile int errorStreak;

  /** The foreign VMs last reported in the group's folder: the Event is repeated only on change. */
  private volatile Set<String> foreignSeen = Set.of();

  /** When this operator last wrote the group's status, for {@code StatusPacing}; null: never. */
  private volatile Instant statusWritten;

  /** The names of the group's own VMs as its last reconcile saw them. */
  private volatile Set<String> lastShown = Set.of();

  /**
   * The last readiness verdict per VM, by instance UUID: a replaced VM under the same name starts
   * afresh. The status keeps the verdicts too (for a restarted operator), but not when the current
   * power-on was first seen, which the initial delay counts from.
   */
  private volatile Map<String, Readiness.Verdict> verdicts = Map.of();

  /** The cluster (or host) of the resource pool the group's VMs are in, for its DRS rule. */
  record RuleCluster(MoRef pool, ComputeResourceInfo cluster) {}

  private volatile RuleCluster ruleCluster;

  /** The last change of the group's DRS rule, until vCenter has surely shown it. */
  private volatile AntiAffinity.Change ruleChange;

  private volatile Instant ruleChangeUntil;

  /** Every VM the operator put in the group's rule, so a destroyed one still counts as ours. */
  private final Set<MoRef> ruleMembers = ConcurrentHashMap.newKeySet();

  /** The group's tags and custom attributes as last resolved and seen ({@link MetadataKeeper}). */
  final MetadataMemory metadata = new MetadataMemory();

  /** Counts one more failed reconcile; returns how many in a row. */
  int failedAgain() {
    return ++errorStreak;
  }

  void succeeded() {
    errorStreak = 0;
  }

  /**
   * Remembers the foreign VMs seen now.
   *
   * @return whether they differ from those seen last time (an empty set is never news)
   */
  boolean foreignChanged(Set<String> foreign) {
    Set<String> before = foreignSeen;
    foreignSeen = Set.copyOf(foreign);
    return !foreign.isEmpty() && !foreign.equals(before);
  }

  Instant statusWritten() {
    return statusWritten;
  }

  void statusWritten(Instant at) {
    statusWritten = at;
  }

  Set<String> lastShown() {
    return lastShown;
  }

  void lastShown(Set<String> names) {
    lastShown = Set.copyOf(names);
  }

  /** The last verdict on this VM (this instance), or null. */
  Readiness.Verdict verdict(VmInfo vm) {
    return vm.instanceUuid() == null ? null : verdicts.get(vm.instanceUuid());
  }

  /** Remembers the verdicts on the group's VMs now; VMs gone are forgotten. */
  void verdicts(List<VmInfo> owned, Map<String, Readiness.Verdict> byName) {
    Map<String, Readiness.Verdict> next = new HashMap<>();
    for (VmInfo vm : owned) {
      Readiness.Verdict v = byName.get(vm.name());
      if (vm.instanceUuid() != null && v != null) {
        next.put(vm.instanceUuid(), v);
      }
    }
    verdicts = Map.copyOf(next);
  }

  RuleCluster ruleCluster() {
    return ruleCluster;
  }

  void ruleCluster(RuleCluster c) {
    ruleCluster = c;
  }

  /**
   * Whether {@code change} was just made and may not show yet; any add counts as the same, as a
   * second add would make a second rule.
   */
  boolean ruleChangePending(AntiAffinity.Change change, Instant now) {
    AntiAffinity.Change last = ruleChange;
    Instant until = ruleChangeUntil;
    return last != null
        && until != null
        && now.isBefore(until)
        && (last.equals(change)
            || (last instanceof AntiAffinity.Change.Add
                && change instanceof AntiAffinity.Change.Add));
  }

  void ruleChanged(AntiAffinity.Change change, Instant until) {
    ruleChange = change;
    ruleChangeUntil = until;
  }

  Set<MoRef> ruleMembers() {
    return Set.copyOf(ruleMembers);
  }

  void ruleMembers(java.util.Collection<MoRef> vms) {
    ruleMembers.addAll(vms);
  }

  /** The group is being deleted and vCenter showed its rule gone. */
  private volatile boolean ruleReleased;

  boolean ruleReleased() {
    return ruleReleased;
  }

  void ruleReleased(boolean released) {
    ruleReleased = released;
  }

  /** Every group's memory, by UID. */
  static final class Memories {
    private final Map<String, GroupMemory> byUid = new ConcurrentHashMap<>();

    GroupMemory of(String uid) {
      return byUid.computeIfAbsent(uid, u -> new GroupMemory());
    }

    /** The group is gone: nothing of it stays behind. */
    void forget(String uid) {
      byUid.remove(uid);
    }

    int size() {
      return byUid.size();
    }
  }
}
