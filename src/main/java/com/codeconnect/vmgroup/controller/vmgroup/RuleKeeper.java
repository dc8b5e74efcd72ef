package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.AntiAffinity;
import com.codeconnect.vmgroup.decision.Placement;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.endpoint.VcenterState;
import com.codeconnect.vmgroup.observability.EventSink;
import com.codeconnect.vmgroup.vsphere.ComputeResourceInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.RuleChange;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VmRule;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a group's DRS anti-affinity rule ({@code spec.placement.antiAffinity}) on each cluster its
 * VMs run in (one, or one per failure domain's cluster); {@link AntiAffinity} is the pure part. A
 * cluster is looked up once per group and pool and then watched through the change feed, so its
 * rules cost no call until they have to change: one ReconfigureComputeResource_Task per change of
 * membership, never waited for. A rule an administrator deleted or edited arrives as a change of
 * the cluster, and is put back.
 */
final class RuleKeeper {
  private static final Logger log = LoggerFactory.getLogger(RuleKeeper.class);

  /**
   * A change the change feed hasn't shown yet is not made again within this time: for an add, two
   * rules of the same name would come of it; for an edit or removal, only a wasted call.
   */
  static final Duration CHANGE_HOLD = Duration.ofSeconds(30);

  private final EventSink events;
  private final Clock clock;

  RuleKeeper(EventSink events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  /**
   * Brings the rule in each cluster holding VMs of the group to the policy and the group's VMs
   * there.
   *
   * @return why anti-affinity can't do its job, or null
   */
  Problem keep(Endpoint ep, VmGroup group, Observation seen, GroupMemory memory) {
    PlacementSpec placement = group.getSpec().getPlacement();
    PlacementSpec.AntiAffinity policy =
        placement == null ? PlacementSpec.AntiAffinity.None : placement.effectiveAntiAffinity();
    if (policy == PlacementSpec.AntiAffinity.None && !memory.hadRuleClusters()) {
      // never had a rule in this operator's life: nothing to look at, no call
      return null;
    }
    if (group.paused()) {
      return null;
    }
    List<Problem> problems = new ArrayList<>();
    for (InCluster c : byCluster(ep, seen, memory).values()) {
      problems.add(keepIn(ep, group, policy, c, seen.owned(), memory));
    }
    return AntiAffinity.combine(problems);
  }

  private Problem keepIn(
      Endpoint ep,
      VmGroup group,
      PlacementSpec.AntiAffinity policy,
      InCluster in,
      List<VmInfo> owned,
      GroupMemory memory) {
    ComputeResourceInfo where = in.where();
    if (where.kind() != ComputeResourceInfo.Kind.CLUSTER) {
      return AntiAffinity.applicability(
          policy, where.name(), false, where.hostCount(), in.vms().size());
    }
    Current current = current(ep, where);
    Problem applies =
        AntiAffinity.applicability(
            policy, where.name(), current.drsEnabled(), where.hostCount(), in.vms().size());
    if (!current.drsEnabled()) {
      // DRS ignores rules: none is written, and one written before stays as it is
      return applies;
    }
    String name = name(group);
    AntiAffinity.Decision decision =
        AntiAffinity.diff(
            policy,
            name,
            AntiAffinity.members(in.vms()),
            current.rules().stream().map(RuleKeeper::rule).toList(),
            provenOurs(ep, name, current.rules(), owned, memory),
            where.name());
    if (decision.problem() != null) {
      return decision.problem();
    }
    if (decision.change() != null) {
      apply(ep, group, where, decision.change(), memory);
    }
    return applies;
  }

  /**
   * Removes the group's rules as it goes (with either deletion policy), before its VMs lose the
   * marker that proves a rule is the group's. Read from vCenter itself, not the change feed: a rule
   * must not outlive the group because the inventory lagged.
   *
   * @return whether a rule is still there: the deletion waits for it
   */
  boolean release(Endpoint ep, VmGroup group, Observation seen, GroupMemory memory) {
    PlacementSpec placement = group.getSpec() == null ? null : group.getSpec().getPlacement();
    boolean wanted =
        placement != null && placement.effectiveAntiAffinity() != PlacementSpec.AntiAffinity.None;
    if ((!wanted && !memory.hadRuleClusters()) || memory.ruleReleased()) {
      return false;
    }
    Map<MoRef, ComputeResourceInfo> clusters = new LinkedHashMap<>();
    byCluster(ep, seen, memory).forEach((ref, in) -> clusters.put(ref, in.where()));
    memory.ruleClusters().forEach(c -> clusters.putIfAbsent(c.cluster().ref(), c.cluster()));
    String name = name(group);
    boolean left = false;
    for (ComputeResourceInfo where : clusters.values()) {
      if (where.kind() != ComputeResourceInfo.Kind.CLUSTER) {
        continue;
      }
      List<VmRule> rules = ep.client().computeResource(where.ref()).rules();
      Set<MoRef> vms = provenOurs(ep, name, rules, seen.owned(), memory);
      for (VmRule r : rules) {
        AntiAffinity.Rule rule = rule(r);
        if (AntiAffinity.ours(rule, name, vms)) {
          apply(ep, group, where, new AntiAffinity.Change.Remove(rule.key()), memory);
          left = true;
        }
      }
    }
    memory.ruleReleased(!left);
    return left;
  }

  /** A cluster (or host) and the group's VMs in it. */
  private record InCluster(ComputeResourceInfo where, List<VmInfo> vms) {}

  /**
   * The group's VMs by the cluster they run in: all in the group's pool's, or, with failure
   * domains, each in its domain's (a VM of a domain no longer listed, or of one whose placement
   * doesn't resolve now, is in none). Every domain's cluster is there, with or without VMs, so a
   * rule left where the group no longer has two VMs goes.
   */
  private static Map<MoRef, InCluster> byCluster(
      Endpoint ep, Observation seen, GroupMemory memory) {
    Map<MoRef, List<VmInfo>> byPool = new LinkedHashMap<>();
    GroupDomains domains = seen.domains();
    if (!domains.active()) {
      if (seen.placement().resourcePool() != null) {
        byPool.put(seen.placement().resourcePool(), seen.owned());
      }
    } else {
      domains
          .placements()
          .values()
          .forEach(p -> byPool.putIfAbsent(p.resourcePool(), new ArrayList<>()));
      for (VmInfo vm : seen.owned()) {
        Placement p = domains.placements().get(domains.layout().domainOf(vm));
        if (p != null) {
          byPool.get(p.resourcePool()).add(vm);
        }
      }
    }
    Map<MoRef, InCluster> out = new LinkedHashMap<>();
    byPool.forEach(
        (pool, vms) -> {
          ComputeResourceInfo where = cluster(ep, pool, memory);
          out.computeIfAbsent(where.ref(), r -> new InCluster(where, new ArrayList<>()))
              .vms()
              .addAll(vms);
        });
    return out;
  }

  static String name(VmGroup group) {
    return AntiAffinity.ruleName(
        group.getMetadata().getNamespace(),
        group.getMetadata().getName(),
        group.getMetadata().getUid());
  }

  private void apply(
      Endpoint ep,
      VmGroup group,
      ComputeResourceInfo where,
      AntiAffinity.Change change,
      GroupMemory memory) {
    Instant now = clock.instant();
    if (memory.ruleChangePending(where.ref(), change, now)) {
      return;
    }
    RuleChange call;
    if (change instanceof AntiAffinity.Change.Add a) {
      call = new RuleChange.Add(a.name(), true, a.mandatory(), a.vms());
    } else if (change instanceof AntiAffinity.Change.Edit e) {
      call = new RuleChange.Edit(e.key(), e.name(), true, e.mandatory(), e.vms());
    } else {
      call = new RuleChange.Remove(((AntiAffinity.Change.Remove) change).key());
    }
    try {
      ep.client().reconfigureRules(where.ref(), List.of(call));
    } catch (VsphereException e) {
      if (e instanceof VsphereException.Transport || e instanceof VsphereException.InvalidLogin) {
        throw e;
      }
      // The rule is secondary to the VMs: the next look tries again.
      log.warn("changing DRS rules of cluster '{}' failed: {}", where.name(), e.getMessage());
      events.warning(group, "RuleUpdateFailed", "AntiAffinity", e.getMessage());
      return;
    }
    memory.ruleChanged(where.ref(), change, now.plus(CHANGE_HOLD));
    if (call instanceof RuleChange.Add a) {
      memory.ruleMembers(a.vms());
    } else if (call instanceof RuleChange.Edit e) {
      memory.ruleMembers(e.vms());
    }
    events.step(group, "AntiAffinity", "vCenter", describe(change, where.name()));
  }

  private static String describe(AntiAffinity.Change change, String cluster) {
    if (change instanceof AntiAffinity.Change.Add a) {
      return "adding anti-affinity rule '"
          + a.name()
          + "' of "
          + a.vms().size()
          + " VMs to cluster '"
          + cluster
          + "'";
    }
    if (change instanceof AntiAffinity.Change.Edit e) {
      return "updating anti-affinity rule '"
          + e.name()
          + "' to "
          + e.vms().size()
          + " VMs in cluster '"
          + cluster
          + "'";
    }
    return "removing the group's anti-affinity rule from cluster '" + cluster + "'";
  }

  /** The cluster (or host) of one of the group's resource pools: one call per group and pool. */
  private static ComputeResourceInfo cluster(Endpoint ep, MoRef pool, GroupMemory memory) {
    GroupMemory.RuleCluster known = memory.ruleCluster(pool);
    if (known != null) {
      return known.cluster();
    }
    ComputeResourceInfo where = ep.client().computeResourceOf(pool);
    memory.ruleCluster(new GroupMemory.RuleCluster(pool, where));
    if (where.kind() == ComputeResourceInfo.Kind.CLUSTER) {
      ep.state().watchCluster(where.ref());
    }
    return where;
  }

  private record Current(boolean drsEnabled, List<VmRule> rules) {}

  /** The cluster's rules from the change-fed inventory, or from vCenter while it has none. */
  private static Current current(Endpoint ep, ComputeResourceInfo where) {
    Optional<VcenterState.FedCluster> fed = ep.state().fedCluster(where.ref());
    if (fed.isPresent()) {
      return new Current(fed.get().drsEnabled(), fed.get().rules());
    }
    ComputeResourceInfo live = ep.client().computeResource(where.ref());
    return new Current(live.drsEnabled(), live.rules());
  }

  /**
   * The VMs a rule of the group's name may hold and still be the group's: its VMs now, the VMs it
   * put in its rule before, and VMs that no longer exist (vCenter may keep a destroyed VM in a rule
   * for a while; the simulator keeps it for good). Anything else makes the rule a stranger's. A VM
   * neither ours nor remembered costs one call to tell whether it still exists, once: a VM found to
   * exist is remembered as a stranger, so a rule that isn't the group's costs no call per look.
   */
  private static Set<MoRef> provenOurs(
      Endpoint ep, String name, List<VmRule> rules, List<VmInfo> owned, GroupMemory memory) {
    Set<MoRef> known = refs(owned);
    known.addAll(memory.ruleMembers());
    for (VmRule r : rules) {
      if (!r.name().equals(name)) {
        continue;
      }
      for (MoRef vm : r.vms()) {
        if (known.contains(vm) || memory.ruleStrangers().contains(vm)) {
          continue;
        }
        if (gone(ep, vm)) {
          known.add(vm);
        } else {
          memory.ruleStranger(vm);
        }
      }
    }
    return known;
  }

  private static boolean gone(Endpoint ep, MoRef vm) {
    try {
      ep.client().details(vm);
      return false;
    } catch (VsphereException.ManagedObjectNotFound e) {
      return true;
    }
  }

  private static AntiAffinity.Rule rule(VmRule r) {
    return new AntiAffinity.Rule(
        r.key(),
        r.name(),
        r.enabled(),
        r.mandatory(),
        r.kind() == VmRule.Kind.ANTI_AFFINITY,
        r.vms());
  }

  private static Set<MoRef> refs(List<VmInfo> vms) {
    Set<MoRef> out = new HashSet<>();
    vms.forEach(vm -> out.add(vm.ref()));
    return out;
  }
}
