package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.HealthCheckSpec;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Pure: which VMs {@code spec.healthCheck} replaces, with its brake.
 *
 * <p>A VM that was ready and has not been for {@code unhealthyAfter}, or a new VM not ready {@code
 * startupTimeout} after it appeared, is unhealthy. Unhealthy VMs are replaced ({@link
 * Action.Replace}: the VM goes, and {@link ReplicaPlan} clones its index again under its name), at
 * most as many at once as {@code maxUnavailable} (at least one) leaves, counting what is already
 * out of service: indices without a VM, VMs being removed (by a rollout, a scale-in or an earlier
 * replacement) and new VMs still starting. When more VMs are unhealthy than {@code maxUnhealthy}
 * allows, none is replaced: so many failing at once points at something they share (template,
 * network, datastore), which new VMs would share too.
 *
 * <p>Nothing is replaced in a paused group, nor while vCenter is unreachable: the caller says so
 * ({@link Vcenter}), and a VM whose state vCenter can't tell ({@link Readiness.Verdict#known()}
 * false) is neither healthy nor unhealthy. Only the group's own VMs are ever members: the plan
 * never sees others. Once the rollout has stopped at its progress deadline, VMs of the current spec
 * that never became ready are left alone: another clone of the same spec would fail the same way.
 *
 * <p>Composition, in one reconcile: {@link ReplicaPlan#compute} first (with the {@link PlanContext}
 * that says which VMs are available), then {@link #plan} with the plan's removals in {@code
 * removing} ({@link #removing}), then {@link #compose}, which puts the replacements first and drops
 * the plan's repairs of replaced VMs (a power-on of a VM on its way out). Rollouts spend
 * maxUnavailable on availability, so they already wait while unhealthy VMs are down; healing counts
 * the rollout's removals, so the two never exceed it together.
 */
public final class Healing {
  private Healing() {}

  /** Whether vCenter could be asked this time. An outage is not a fleet of unhealthy VMs. */
  public enum Vcenter {
    REACHABLE,
    UNREACHABLE
  }

  /** spec.healthCheck with its defaults. */
  public record Policy(Duration unhealthyAfter, Duration startupTimeout, IntOrString maxUnhealthy) {
    /** The policy of a (valid) spec, or null when it has no healthCheck: nothing is replaced. */
    public static Policy of(HealthCheckSpec spec) {
      return spec == null
          ? null
          : new Policy(
              spec.effectiveUnhealthyAfter(),
              spec.effectiveStartupTimeout(),
              spec.effectiveMaxUnhealthy());
    }

    /**
     * How many unhealthy VMs the brake tolerates: a number, or a percentage rounded down, as
     * cluster-api's MachineHealthCheck does: a brake errs on the side of holding.
     */
    public int allowedUnhealthy(int replicas) {
      if (maxUnhealthy.getIntVal() != null) {
        return Math.max(0, maxUnhealthy.getIntVal());
      }
      String s = maxUnhealthy.getStrVal() == null ? "" : maxUnhealthy.getStrVal().trim();
      if (!s.matches("\\d{1,3}%")) {
        return 0;
      }
      long percent = Long.parseLong(s.substring(0, s.length() - 1));
      return (int) (percent * replicas / 100);
    }
  }

  /**
   * One of the group's own VMs.
   *
   * @param verdict its readiness now, or null when not evaluated (counts as unknown)
   * @param upToDate it has the spec's source (not an old VM a rollout will replace)
   * @param busy a task of ours runs on it, or its last change hasn't shown yet
   */
  public record Member(VmInfo vm, Readiness.Verdict verdict, boolean upToDate, boolean busy) {}

  /**
   * The group as healing needs it.
   *
   * @param maxUnavailable the resolved limit of the update strategy ({@link
   *     ReplicaPlan.Strategy#maxUnavailable}), shared with rollouts
   * @param rolloutStopped the progress deadline has passed ({@link RolloutProgress#exceeded})
   */
  public record Group(
      int replicas, int maxUnavailable, boolean paused, Vcenter vcenter, boolean rolloutStopped) {}

  /** How one VM stands. */
  public enum Health {
    /** Ready, or serving while it is resized. */
    HEALTHY,
    /** Not ready, within its limit. */
    PENDING,
    /** Not ready past its limit. */
    UNHEALTHY,
    /** vCenter can't tell. */
    UNKNOWN
  }

  /**
   * @param why for messages, e.g. "not ready for 5m (HeartbeatRed)"
   * @param due when a pending VM turns unhealthy, or null
   */
  public record Judgement(Health health, String why, Instant due) {}

  /**
   * The replacements to start now and what holds others back.
   *
   * @param unhealthy the unhealthy VMs' names with why, e.g. "vg-1-2 not ready for 6m
   *     (HeartbeatRed)"
   * @param problem TooManyUnhealthy when the brake holds, else null
   * @param waiting unhealthy VMs not replaced now because maxUnavailable is spent
   * @param recheckAt when a pending VM turns unhealthy, for the caller's next look; or null
   */
  public record Result(
      List<Action.Replace> replacements,
      List<String> unhealthy,
      Problem problem,
      int waiting,
      Instant recheckAt) {
    public static final Result NONE = new Result(List.of(), List.of(), null, 0, null);
  }

  /** How one VM stands by the policy. */
  public static Judgement judge(Policy policy, Readiness.Verdict v, Instant now) {
    if (v == null || !v.known() || v.since() == null) {
      return new Judgement(Health.UNKNOWN, "state unknown", null);
    }
    if (v.ready() || v.resizing()) {
      return new Judgement(Health.HEALTHY, v.reason(), null);
    }
    boolean started = v.firstReady() != null;
    Duration limit = started ? policy.unhealthyAfter() : policy.startupTimeout();
    Instant due = v.since().plus(limit);
    String why =
        (started
                ? "not ready for " + text(Duration.between(v.since(), now))
                : "not ready " + text(Duration.between(v.since(), now)) + " after it appeared")
            + " ("
            + v.reason()
            + ")";
    return now.isBefore(due)
        ? new Judgement(Health.PENDING, why, due)
        : new Judgement(Health.UNHEALTHY, why, null);
  }

  /**
   * What to replace now.
   *
   * @param policy null: the group has no healthCheck, nothing is replaced
   * @param members the group's own VMs, each once
   * @param removing names of VMs on their way out: removals the plan makes now or that are in
   *     flight ({@link #removing})
   */
  public static Result plan(
      Policy policy, Group group, List<Member> members, Set<String> removing, Instant now) {
    if (policy == null || group.paused() || group.vcenter() == Vcenter.UNREACHABLE) {
      return Result.NONE;
    }
    List<String> unhealthy = new ArrayList<>();
    List<Member> candidates = new ArrayList<>();
    Instant recheck = null;
    int starting = 0;
    for (Member m : members) {
      Judgement j = judge(policy, m.verdict(), now);
      if (j.health() == Health.PENDING) {
        recheck = recheck == null || j.due().isBefore(recheck) ? j.due() : recheck;
        if (m.verdict().firstReady() == null && !removing.contains(m.vm().name())) {
          starting++;
        }
      }
      if (j.health() != Health.UNHEALTHY) {
        continue;
      }
      unhealthy.add(m.vm().name() + " " + j.why());
      boolean spentSpec =
          group.rolloutStopped() && m.upToDate() && m.verdict().firstReady() == null;
      if (!m.busy() && !removing.contains(m.vm().name()) && !spentSpec) {
        candidates.add(m);
      }
    }
    unhealthy.sort(Comparator.naturalOrder());
    int allowed = policy.allowedUnhealthy(group.replicas());
    if (unhealthy.size() > allowed) {
      return new Result(List.of(), unhealthy, brake(unhealthy, allowed, group), 0, recheck);
    }
    int missing = Math.max(0, group.replicas() - members.size());
    // At least one: an unhealthy VM serves nobody, so replacing it takes nothing available down,
    // and a strategy of maxUnavailable 0 (surge only) must still heal, one VM at a time.
    int budget = Math.max(1, group.maxUnavailable()) - missing - removing.size() - starting;
    // a VM already powered off for its replacement finishes first, then the longest unready
    candidates.sort(
        Comparator.comparing((Member m) -> m.vm().powerState() != PowerState.POWERED_OFF)
            .thenComparing(m -> m.verdict().since())
            .thenComparing(m -> m.vm().name()));
    List<Action.Replace> replace = new ArrayList<>();
    for (Member m : candidates) {
      if (replace.size() >= budget) {
        break;
      }
      replace.add(new Action.Replace(m.vm(), judge(policy, m.verdict(), now).why()));
    }
    return new Result(replace, unhealthy, null, candidates.size() - replace.size(), recheck);
  }

  private static Problem brake(List<String> unhealthy, int allowed, Group group) {
    StringBuilder b =
        new StringBuilder()
            .append(unhealthy.size())
            .append(" of ")
            .append(group.replicas())
            .append(" VMs are unhealthy, more than healthCheck.maxUnhealthy allows (")
            .append(allowed)
            .append("): none is replaced, as so many at once points at a common cause (template,")
            .append(" network, datastore) that new VMs would share: ");
    unhealthy.stream().limit(5).forEach(u -> b.append(u).append(", "));
    b.setLength(b.length() - 2);
    if (unhealthy.size() > 5) {
      b.append(" and ").append(unhealthy.size() - 5).append(" more");
    }
    return new Problem(Problem.Reason.TooManyUnhealthy, b.toString());
  }

  /**
   * The VMs on their way out: the plan's removals now, and removals or replacements in flight.
   *
   * @param inFlight the group's actions with a task running
   */
  public static Set<String> removing(ReplicaPlan.Result plan, Collection<Action> inFlight) {
    Set<String> out = new HashSet<>();
    for (Action a : plan.actions()) {
      if (removal(a)) {
        out.add(a.target());
      }
    }
    for (Action a : inFlight) {
      if (removal(a)) {
        out.add(a.target());
      }
    }
    return out;
  }

  private static boolean removal(Action a) {
    return a instanceof Action.Destroy
        || a instanceof Action.Replace
        || (a instanceof Action.PowerOff off && off.purpose() == Action.PowerOff.Purpose.DELETE);
  }

  /**
   * The reconcile's actions: replacements first (they free capacity, like removals), then the
   * plan's, less anything the plan wanted to do to a VM being replaced.
   */
  public static List<Action> compose(ReplicaPlan.Result plan, Result healing) {
    Set<String> replaced = new HashSet<>();
    healing.replacements().forEach(r -> replaced.add(r.target()));
    List<Action> out = new ArrayList<>(healing.replacements());
    for (Action a : plan.actions()) {
      if (!replaced.contains(a.target())) {
        out.add(a);
      }
    }
    return out;
  }

  /** A duration for a message: 45s, 6m12s, 1h5m. */
  static String text(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
    }
    return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
  }
}
