package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.ReplicaPlan;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.endpoint.TaskTracker;
import com.codeconnect.vmgroup.endpoint.TemplateResolver;
import java.util.HashSet;
import java.util.Set;

/**
 * Step 4 of a reconcile: what to change in vCenter, from the spec and the trusted observation
 * ({@link ReplicaPlan} is the pure part). A plan that takes a running VM down is made only from
 * vCenter's own word about the power states it counts.
 */
final class GroupPlanner {
  private final GroupObserver observer;

  GroupPlanner(GroupObserver observer) {
    this.observer = observer;
  }

  /**
   * The plan, and the observation it was made from.
   *
   * @param desired what the spec asks for; it can clone only while a template was found
   */
  record Planned(ReplicaPlan.Desired desired, ReplicaPlan.Result plan, Observation seen) {}

  Planned plan(
      Endpoint ep,
      VmGroup group,
      Observation seen,
      GroupMemory memory,
      BootstrapSource.Bootstrap bootstrap) {
    String uid = group.getMetadata().getUid();
    TaskTracker tracker = ep.tracker();
    CloneSpecs.Inputs inputs = seen.inputs();
    ReplicaPlan.Desired desired =
        ReplicaPlan.Desired.of(
            group.getMetadata().getName(),
            group.getSpec(),
            seen.template() instanceof TemplateResolver.Found,
            new ReplicaPlan.Facts(
                bootstrap.digest(),
                inputs == null ? null : CloneSpecs.templateDiskGiB(inputs.template())));
    ReplicaPlan.Result plan =
        ReplicaPlan.compute(desired, seen.owned(), busy(tracker, uid, seen), seen.foreignNames());
    if (plan.spendsAvailability() && !seen.live()) {
      seen = observer.confirm(ep, group, seen);
      plan =
          ReplicaPlan.compute(desired, seen.owned(), busy(tracker, uid, seen), seen.foreignNames());
    }
    memory.lastShown(seen.ownedNames());
    return new Planned(desired, plan, seen);
  }

  /** VMs the plan must leave alone this round: a task of ours runs, backs off or hasn't shown. */
  static Set<String> busy(TaskTracker tracker, String uid, Observation seen) {
    Set<String> busy = new HashSet<>(tracker.inFlight(uid).keySet());
    busy.addAll(tracker.backingOff(uid).keySet());
    busy.addAll(tracker.unsettled(uid, seen.ownedByName()));
    return busy;
  }
}
