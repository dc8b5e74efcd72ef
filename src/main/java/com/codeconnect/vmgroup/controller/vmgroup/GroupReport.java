package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import com.codeconnect.vmgroup.decision.BootDisk;
import com.codeconnect.vmgroup.decision.FailureDomains;
import com.codeconnect.vmgroup.decision.Faults;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.decision.Readiness;
import com.codeconnect.vmgroup.decision.ReplicaPlan;
import com.codeconnect.vmgroup.decision.RolloutProgress;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.endpoint.TaskTracker;
import com.codeconnect.vmgroup.endpoint.TemplateResolver;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a reconcile that looked at vCenter tells the user: the status, and whether the group is
 * where its spec wants it.
 *
 * @param groupProblem what stops the group as a whole (its template, a rollout stopped at its
 *     deadline, healing's brake, the namespace's quota) or a failure domain that takes no VMs, or
 *     null; a failure of single VMs is in the status but not here. Such a group is looked at again
 *     when vCenter or the spec changes, or after a pause, not at the pace of work in progress.
 */
record GroupReport(VmGroupStatus status, Problem groupProblem, boolean converged) {

  static GroupReport of(
      VmGroup group,
      Endpoint ep,
      GroupPlanner.Planned planned,
      ActionRunner.Acted acted,
      Problem placement,
      Instant now) {
    String uid = group.getMetadata().getUid();
    TaskTracker tracker = ep.tracker();
    Observation seen = planned.seen();
    ReplicaPlan.Desired desired = planned.desired();
    ReplicaPlan.Result plan = planned.plan();
    Problem groupProblem =
        seen.template() instanceof TemplateResolver.Missing missing ? missing.problem() : null;
    if (groupProblem == null) {
      groupProblem =
          desired.addresses().exhausted(desired.replicas() + desired.strategy().maxSurge());
    }
    if (groupProblem == null) {
      groupProblem = BootDisk.shrinkRefused(desired, seen.owned());
    }
    GroupHealth.Outcome health = planned.health();
    Problem problem =
        groupProblem != null
            ? groupProblem
            : health.problem() != null
                ? health.problem()
                : tracker
                    .lastFailure(uid)
                    .map(TaskTracker.Failure::problem)
                    .orElse(
                        acted.quotaRefused() != null
                            ? acted.quotaRefused()
                            : seen.domains().problem() != null
                                ? seen.domains().problem()
                                : placement);
    if (problem != null
        && plan.outdated() > 0
        && problem.reason() != Problem.Reason.ProgressDeadlineExceeded) {
      // Old VMs are only removed while new ones come up, so a failing new VM halts the rollout.
      problem =
          new Problem(
              problem.reason(),
              "rollout halted with "
                  + plan.outdated()
                  + " VMs still on the old template: "
                  + problem.message());
    }
    Map<String, Readiness.Verdict> verdicts = planned.readiness().verdicts();
    int ready = Readiness.countReady(verdicts.values());
    int updated =
        (int) seen.owned().stream().filter(vm -> ReplicaPlan.upToDate(vm, desired)).count();
    Collection<TaskTracker.InFlight> running = tracker.inFlight(uid).values();
    StatusBuilder.Observation observation =
        new StatusBuilder.Observation(
            Optional.ofNullable(group.getMetadata().getGeneration()).orElse(0L),
            desired.replicas(),
            seen.owned().size(),
            ready,
            updated,
            running.size(),
            group.paused() ? plan.actions().size() : acted.deferred(),
            plan.resizesWaiting(),
            activity(running),
            problem,
            group.paused(),
            StatusBuilder.vms(
                desired,
                seen.owned(),
                running.stream()
                    .collect(
                        Collectors.toMap(
                            TaskTracker.InFlight::target, TaskTracker.InFlight::action)),
                tracker.failures(uid).values().stream()
                    .collect(
                        Collectors.toMap(
                            TaskTracker.Failure::vmName, f -> f.problem().message()))));
    boolean converged =
        ready == desired.replicas()
            && seen.owned().size() == desired.replicas()
            && plan.outdated() == 0
            && plan.resizesWaiting() == 0
            && health.problem() == null;
    VmGroupStatus status = StatusBuilder.build(observation, group.getStatus(), now);
    status.getVms().forEach(v -> Readiness.record(v, verdicts.get(v.getName())));
    FailureDomains.record(status.getVms(), seen.domains().layout(), seen.owned());
    status.setProgress(RolloutProgress.toStatus(health.mark()));
    status.setPlacement(seen.placement().describe());
    status.setVcenter(ep.name());
    return new GroupReport(
        status,
        groupProblem != null
            ? groupProblem
            : health.problem() != null
                ? health.problem()
                : acted.quotaRefused() != null ? acted.quotaRefused() : seen.domains().problem(),
        converged);
  }

  /** The tasks in flight, for the status: up to five, then how many more. */
  private static String activity(Collection<TaskTracker.InFlight> running) {
    if (running.isEmpty()) {
      return null;
    }
    return running.stream()
            .map(f -> Faults.verb(f.action()).toLowerCase() + " " + f.target())
            .sorted()
            .limit(5)
            .collect(Collectors.joining(", "))
        + (running.size() > 5 ? " and " + (running.size() - 5) + " more" : "");
  }
}
