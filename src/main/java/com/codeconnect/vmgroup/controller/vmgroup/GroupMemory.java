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
   * The last readiness verdict per VM, by its managed object reference, which vCenter never gives
   * to another VM: a replaced VM under the same name starts afresh (its instance UUID may not
   * change: govmomi's simulator derives it from the VM's path). The status keeps the verdicts too
   * (for a restarted operator), but not when the current power-on was first seen, which the initial
   * delay counts from.
   */
  private volatile Map<MoRef, Readiness.Verdict> verdicts = Map.of();

  /** Whether this operator judged the group's VMs before: a VM it has no verdict on is new. */
  private volatile boolean judged;

  /** The cluster (or host) of a resource pool the group's VMs are in, for its DRS rule there. */
  record RuleCluster(MoRef pool, ComputeResourceInfo cluster) {}

  /** By pool: a group with failure domains may have VMs in several clusters. */
  /** Deployed VMs whose guest customization vCenter holds (CustomizeVM ended, or was pending). */
  private final Set<MoRef> customized = ConcurrentHashMap.newKeySet();

  /** Whether a VM with one of the group's names and no markers was deployed for it. */
  private final Map<MoRef, Boolean> deployedVerdicts = new ConcurrentHashMap<>();

  private final Map<MoRef, RuleCluster> ruleClusters = new ConcurrentHashMap<>();

  private record RuleChangeMade(AntiAffinity.Change change, Instant until) {}

  /** The last change of the group's DRS rule in each cluster, until vCenter has surely shown it. */
  private final Map<MoRef, RuleChangeMade> ruleChanges = new ConcurrentHashMap<>();

  /** Every VM the operator put in the group's rule, so a destroyed one still counts as ours. */
  private final Set<MoRef> ruleMembers = ConcurrentHashMap.newKeySet();

  /** VMs not the group's found (by a call) in a rule of the group's name: asked about once. */
  private final Set<MoRef> ruleStrangers = ConcurrentHashMap.newKeySet();

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
    return verdicts.get(vm.ref());
  }

  boolean judged() {
    return judged;
  }

  /** Remembers the verdicts on the group's VMs now; VMs gone are forgotten. */
  void verdicts(List<VmInfo> owned, Map<String, Readiness.Verdict> byName) {
    Map<MoRef, Readiness.Verdict> next = new HashMap<>();
    for (VmInfo vm : owned) {
      Readiness.Verdict v = byName.get(vm.name());
      if (v != null) {
        next.put(vm.ref(), v);
      }
    }
    verdicts = Map.copyOf(next);
    judged = true;
  }

  /** Whether the group's DRS rules were ever looked after in this operator's life. */
  boolean hadRuleClusters() {
    return !ruleClusters.isEmpty();
  }

  /** The clusters of the pools the group's VMs were in. */
  List<RuleCluster> ruleClusters() {
    return List.copyOf(ruleClusters.values());
  }

  /** The cluster of this pool, if looked up before. */
  RuleCluster ruleCluster(MoRef pool) {
    return ruleClusters.get(pool);
  }

  void ruleCluster(RuleCluster c) {
    ruleClusters.put(c.pool(), c);
  }

  /**
   * Whether {@code change} was just made in {@code cluster} and may not show yet; any add there
   * counts as the same, as a second add would make a second rule.
   */
  boolean ruleChangePending(MoRef cluster, AntiAffinity.Change change, Instant now) {
    RuleChangeMade last = ruleChanges.get(cluster);
    return last != null
        && now.isBefore(last.until())
        && (last.change().equals(change)
            || (last.change() instanceof AntiAffinity.Change.Add
                && change instanceof AntiAffinity.Change.Add));
  }

  void ruleChanged(MoRef cluster, AntiAffinity.Change change, Instant until) {
    ruleChanges.put(cluster, new RuleChangeMade(change, until));
  }

  Set<MoRef> ruleStrangers() {
    return ruleStrangers;
  }

  void ruleStranger(MoRef vm) {
    ruleStrangers.add(vm);
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

  /** What reading the VM's Notes said: deployed for the group or not; null when never read. */
  Boolean deployedVerdict(MoRef vm) {
    return deployedVerdicts.get(vm);
  }

  void deployedVerdict(MoRef vm, boolean deployed) {
    deployedVerdicts.put(vm, deployed);
  }

  /** Forgets the verdicts of VMs no longer among the foreign ones (finished, or gone). */
  void keepDeployedVerdicts(java.util.Collection<MoRef> foreign) {
    deployedVerdicts.keySet().retainAll(java.util.Set.copyOf(foreign));
  }

  boolean customized(MoRef vm) {
    return customized.contains(vm);
  }

  void customized(MoRef vm, boolean held) {
    if (held) {
      customized.add(vm);
    } else {
      customized.remove(vm);
    }
  }
}
