package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.ReplicaPlan;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.endpoint.TaskTracker;
import com.codeconnect.vmgroup.endpoint.TemplateResolver;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Step 4 of a reconcile: what to change in vCenter, from the spec and the trusted observation
 * ({@link ReplicaPlan} is the pure part). A plan that takes a running VM down is made only from
 * vCenter's own word about the power states it counts.
 */
final class GroupPlanner {
  private final GroupObserver observer;
  private final Clock clock;

  private final TcpProber prober;

  GroupPlanner(GroupObserver observer, Clock clock) {
    this.observer = observer;
    this.clock = clock;
    this.prober = new TcpProber(clock);
  }

  /**
   * The plan, and the observation it was made from.
   *
   * @param desired what the spec asks for; it can clone only while a template was found
   * @param plan the plan, its actions with healing's replacements first
   * @param health the VMs' readiness, the rollout's progress and healing
   */
  record Planned(
      ReplicaPlan.Desired desired,
      ReplicaPlan.Result plan,
      Observation seen,
      GroupHealth.Assessment readiness,
      GroupHealth.Outcome health) {}

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
            seen.template() instanceof TemplateResolver.Found
                || seen.template() instanceof TemplateResolver.Deployable,
            new ReplicaPlan.Facts(
                bootstrap.digest(),
                inputs == null ? null : CloneSpecs.templateDiskGiB(inputs.template()),
                seen.template() instanceof TemplateResolver.Deployable d
                    ? d.item().contentVersion()
                    : null));
    Instant now = clock.instant();
    Planned planned = decide(tracker, uid, group, desired, seen, memory, now);
    if (!seen.live()
        && (planned.plan().spendsAvailability()
            || !planned.health().healing().replacements().isEmpty())) {
      // Taking a running VM down (a rollout's budget, a replacement for its health) is decided on
      // vCenter's own word about the power states, not the change-fed cache's.
      planned =
          decide(tracker, uid, group, desired, observer.confirm(ep, group, seen), memory, now);
    }
    memory.lastShown(planned.seen().ownedNames());
    return planned;
  }

  private Planned decide(
      TaskTracker tracker,
      String uid,
      VmGroup group,
      ReplicaPlan.Desired desired,
      Observation seen,
      GroupMemory memory,
      Instant now) {
    GroupHealth.Assessment readiness =
        GroupHealth.assess(
            group, desired, seen.owned(), seen.domains().layout(), memory, prober, now);
    Set<String> busy = busy(tracker, uid, seen);
    // A deployed VM not yet finished holds its name and counts as one under way, like a clone.
    List<Action> finishing =
        seen.deployed().stream()
            .filter(vm -> seen.inputs() != null)
            .filter(vm -> !busy.contains(vm.name()))
            .<Action>map(Action.FinishDeploy::new)
            .toList();
    busy.addAll(Observation.names(seen.deployed()));
    ReplicaPlan.Result plan =
        ReplicaPlan.compute(desired, seen.owned(), busy, seen.foreignNames(), readiness.context());
    GroupHealth.Outcome health =
        GroupHealth.conclude(
            group,
            desired,
            seen.owned(),
            busy,
            tracker.inFlight(uid).values().stream().map(TaskTracker.InFlight::action).toList(),
            readiness,
            plan,
            now);
    List<Action> actions = new ArrayList<>(finishing);
    for (Action a : health.actions()) {
      Action next = customizedFirst(a, memory);
      // a customization is built from the inputs (a Sysprep answer file from its Secret); a round
      // without them (the source couldn't be looked up) leaves the VM off
      if (!(next instanceof Action.Customize) || seen.inputs() != null) {
        actions.add(next);
      }
    }
    ReplicaPlan.Result composed =
        new ReplicaPlan.Result(
            actions,
            plan.resizesWaiting(),
            plan.outdated(),
            plan.spendsAvailability(),
            plan.addressesWaiting(),
            plan.domainsWaiting());
    return new Planned(desired, composed, seen, readiness, health);
  }

  /**
   * A deployed VM waiting for its guest customization ({@link Ownership#CUSTOMIZATION}) is powered
   * on only after it: the customization, then the marker's removal, then the power-on.
   */
  private static Action customizedFirst(Action action, GroupMemory memory) {
    if (!(action instanceof Action.PowerOn on) || !Ownership.customizationPending(on.vm())) {
      return action;
    }
    return memory.customized(on.vm().ref())
        ? new Action.MarkCustomized(on.vm())
        : new Action.Customize(on.vm());
  }

  /** VMs the plan must leave alone this round: a task of ours runs, backs off or hasn't shown. */
  static Set<String> busy(TaskTracker tracker, String uid, Observation seen) {
    Set<String> busy = new HashSet<>(tracker.inFlight(uid).keySet());
    busy.addAll(tracker.backingOff(uid).keySet());
    // a deployed VM not yet marked settles its deploy (and waits for its marking to settle)
    busy.addAll(tracker.unsettled(uid, seen.ownedByNameWith(seen.deployed())));
    return busy;
  }
}
