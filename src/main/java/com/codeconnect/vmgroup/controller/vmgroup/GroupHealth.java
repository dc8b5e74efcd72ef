package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmStatus;
import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.FailureDomains;
import com.codeconnect.vmgroup.decision.Healing;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.PlanContext;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.decision.Readiness;
import com.codeconnect.vmgroup.decision.ReplicaPlan;
import com.codeconnect.vmgroup.decision.RolloutProgress;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The readiness half of planning: how ready each VM is by {@code spec.readiness}, whether the
 * rollout stopped at its progress deadline, and which VMs {@code spec.healthCheck} replaces. The
 * pure rules are {@link Readiness}, {@link PlanContext}, {@link RolloutProgress} and {@link
 * Healing}; this class only feeds them. It calls no vCenter: the guest's state comes with the
 * observation, from the change feed, so the steady state stays free.
 */
final class GroupHealth {
  private GroupHealth() {}

  /**
   * Before the plan: the verdicts and what the plan may count as available.
   *
   * @param previousMark the rollout's mark as the status kept it, or null
   */
  record Assessment(
      Map<String, Readiness.Verdict> verdicts,
      PlanContext context,
      RolloutProgress.Mark previousMark,
      int minReadySeconds) {}

  /**
   * After the plan: the actions with the replacements put first, the rollout's new mark and what
   * stops the group.
   *
   * @param problem the stopped rollout or the healing brake, or null
   * @param recheckAt when something changes without vCenter telling (a delay or a deadline ends),
   *     or null
   */
  record Outcome(
      List<Action> actions,
      RolloutProgress.Mark mark,
      Problem problem,
      Healing.Result healing,
      Instant recheckAt) {}

  /**
   * @param domains where the group's VMs are and which failure domains take new ones
   */
  static Assessment assess(
      VmGroup group,
      ReplicaPlan.Desired desired,
      List<VmInfo> owned,
      FailureDomains.Layout domains,
      GroupMemory memory,
      TcpProber prober,
      Instant now) {
    VmGroupSpec spec = group.getSpec();
    Map<String, VmStatus> recorded = new HashMap<>();
    if (group.getStatus() != null && group.getStatus().getVms() != null) {
      group.getStatus().getVms().forEach(v -> recorded.put(v.getName(), v));
    }
    Map<String, Readiness.Verdict> verdicts = new TreeMap<>();
    for (VmInfo vm : owned) {
      // The status's verdicts are for a restarted operator only: once this one has judged the
      // group, a VM it has no verdict on is a new VM, whatever its name and instance UUID.
      Readiness.Verdict previous =
          memory.judged() ? memory.verdict(vm) : Readiness.previous(recorded.get(vm.name()), vm);
      List<String> assigned = Ownership.addresses(vm);
      Readiness.Facts facts = Readiness.Facts.of(vm, desired);
      Readiness.Probe probe = prober.latest(vm.ref());
      if (probe != null) {
        facts = facts.withProbe(probe);
      }
      if (Readiness.probeDue(spec.getReadiness(), facts, assigned, now)) {
        prober.probe(
            vm.ref(),
            Readiness.probeAddress(facts, assigned),
            spec.getReadiness().getTcp().getPort(),
            Readiness.probeTimeout(spec.getReadiness()));
      }
      verdicts.put(
          vm.name(), Readiness.evaluate(spec.getReadiness(), facts, assigned, previous, now));
    }
    memory.verdicts(owned, verdicts);
    int minReady = Objects.requireNonNullElse(spec.getMinReadySeconds(), 0);
    RolloutProgress.Mark mark =
        RolloutProgress.fromStatus(
            group.getStatus() == null ? null : group.getStatus().getProgress());
    boolean stopped =
        RolloutProgress.exceeded(mark, spec.getProgressDeadlineSeconds(), now)
            && mark.revision().equals(revision(desired));
    PlanContext context =
        new PlanContext(
            PlanContext.availability(spec.getReadiness(), minReady, verdicts, now),
            stopped,
            domains);
    return new Assessment(verdicts, context, mark, minReady);
  }

  /**
   * Heals and marks the rollout's progress once the plan is made.
   *
   * @param busy VMs a task of ours runs on or whose change hasn't shown
   * @param inFlight the group's actions with a task running
   */
  static Outcome conclude(
      VmGroup group,
      ReplicaPlan.Desired desired,
      List<VmInfo> owned,
      Set<String> busy,
      Collection<Action> inFlight,
      Assessment a,
      ReplicaPlan.Result plan,
      Instant now) {
    VmGroupSpec spec = group.getSpec();
    RolloutProgress.Counts counts =
        RolloutProgress.count(desired, owned, busy, a.context(), plan.outdated());
    RolloutProgress.Mark mark =
        RolloutProgress.next(a.previousMark(), revision(desired), counts, now);
    Integer deadline = spec.getProgressDeadlineSeconds();
    boolean stopped = a.context().rolloutStopped() && mark != null;
    List<Healing.Member> members = new ArrayList<>();
    for (VmInfo vm : owned) {
      members.add(
          new Healing.Member(
              vm,
              a.verdicts().get(vm.name()),
              ReplicaPlan.upToDate(vm, desired),
              busy.contains(vm.name())));
    }
    Healing.Result healing =
        Healing.plan(
            Healing.Policy.of(spec.getHealthCheck()),
            new Healing.Group(
                desired.replicas(),
                desired.strategy().maxUnavailable(),
                group.paused(),
                Healing.Vcenter.REACHABLE,
                stopped),
            members,
            Healing.removing(plan, inFlight),
            now);
    Problem problem = null;
    if (stopped) {
      Map<String, String> notReady = new TreeMap<>();
      for (VmInfo vm : owned) {
        Readiness.Verdict v = a.verdicts().get(vm.name());
        if (ReplicaPlan.upToDate(vm, desired) && !a.context().available().test(vm)) {
          notReady.put(vm.name(), v == null ? Readiness.UNKNOWN : v.reason());
        }
      }
      problem = RolloutProgress.problem(mark, deadline, counts, notReady);
    } else if (healing.problem() != null) {
      problem = healing.problem();
    }
    Instant recheck =
        earliest(
            Readiness.nextRecheck(a.verdicts().values()),
            PlanContext.nextAvailable(a.verdicts(), a.minReadySeconds(), now),
            stopped ? null : RolloutProgress.deadline(mark, deadline),
            healing.recheckAt());
    return new Outcome(Healing.compose(plan, healing), mark, problem, healing, recheck);
  }

  /** What the rollout's mark is about: the spec's hash, so a new spec starts a new clock. */
  private static String revision(ReplicaPlan.Desired desired) {
    return desired.hash() == null || desired.hash().spec() == null ? "" : desired.hash().spec();
  }

  private static Instant earliest(Instant... times) {
    return Stream.of(times).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
  }
}
