package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VCenterQuota;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.Faults;
import com.codeconnect.vmgroup.decision.Placement;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.decision.ReplicaPlan;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.endpoint.PlacementResolver;
import com.codeconnect.vmgroup.endpoint.QuotaLedger;
import com.codeconnect.vmgroup.endpoint.TaskTracker;
import com.codeconnect.vmgroup.endpoint.TemplateResolver;
import com.codeconnect.vmgroup.endpoint.VcenterState;
import com.codeconnect.vmgroup.observability.EventSink;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 5 of a reconcile: starts the plan's tasks and learns how they ended. Each task takes a slot
 * of the vCenter's task budget and, where it adds to the namespace's usage, its share of the quota;
 * nothing waits for a task. A task's end arrives as a change notification, and {@link #collect}
 * turns it into a settled VM or a failure, classified in one place ({@link #failed}).
 */
final class ActionRunner {
  private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);

  private final EventSink events;
  private final Clock clock;
  private final Function<Endpoint, Optional<VCenterSpec>> vcenterSpec;

  /**
   * @param vcenterSpec the VCenter resource's current spec (its quotas), empty for the operator's
   *     own vCenter
   */
  ActionRunner(
      EventSink events, Clock clock, Function<Endpoint, Optional<VCenterSpec>> vcenterSpec) {
    this.events = events;
    this.clock = clock;
    this.vcenterSpec = vcenterSpec;
  }

  /**
   * What came of the actions.
   *
   * @param deferred actions that wait for the task budget
   * @param quotaRefused why the namespace's quota held actions back, or null
   */
  record Acted(List<Action> started, int deferred, Problem quotaRefused) {
    static final Acted NOTHING = new Acted(List.of(), 0, null);
  }

  /**
   * The group's tasks that ended since its last look: a success leaves its VM alone until the
   * observation shows the effect, a failure is classified.
   *
   * @return the tasks that ended
   */
  List<TaskTracker.Finished> collect(Endpoint ep, VmGroup group, GroupMemory memory) {
    String uid = group.getMetadata().getUid();
    List<TaskTracker.Finished> finished = ep.tracker().poll(uid, ep.state()::tasks);
    ep.state().finished(finished.stream().map(f -> f.task().task()).toList());
    for (TaskTracker.Finished f : finished) {
      Action action = f.task().action();
      if (action instanceof Action.Customize c && customizationHeld(f.info())) {
        // vCenter holds the customization (a pending one is from an earlier life's call)
        memory.customized(c.vm().ref(), true);
      } else if (f.info().state() == TaskInfo.State.SUCCESS) {
        ep.tracker().settling(uid, action, clock.instant().plus(RequeuePolicy.TASK_SAFETY_NET));
      } else if (f.info().state() == TaskInfo.State.ERROR) {
        failed(
            ep,
            group,
            action,
            f.info().error() != null
                ? f.info().error()
                : new VsphereException("Unknown", "task failed without a fault", false));
      }
    }
    return finished;
  }

  /**
   * Accounts the observation (quota usage, failures healed meanwhile) and starts the plan's
   * actions, unless the group is paused: a paused group is observed and reported, but nothing is
   * started in vCenter.
   *
   * @param namespaceGroups the groups of the group's namespace the operator knows, to count those
   *     not observed since it started from their status
   */
  Acted act(
      Endpoint ep,
      VmGroup group,
      GroupPlanner.Planned planned,
      java.util.function.Supplier<java.util.stream.Stream<VmGroup>> namespaceGroups) {
    String uid = group.getMetadata().getUid();
    Observation seen = planned.seen();
    TaskTracker tracker = ep.tracker();
    ep.ledger()
        .observed(
            uid, group.getMetadata().getNamespace(), usage(tracker, uid, seen), seen.ownedNames());
    if (vcenterSpec.apply(ep).map(VCenterSpec::hasQuotas).orElse(false)) {
      seedLedger(ep, group, namespaceGroups);
    }
    tracker.forgetFailuresExcept(uid, keptFailures(planned.desired(), seen));
    tracker.forgetFailuresOf(
        uid,
        seen.owned().stream()
            .filter(vm -> ReplicaPlan.ready(vm, planned.desired()))
            .map(VmInfo::name)
            .toList());
    if (group.paused()) {
      return Acted.NOTHING;
    }
    return start(ep, group, planned.plan().actions(), seen, planned.desired());
  }

  /**
   * Starts {@code actions} within the budget and the quota.
   *
   * @param desired the spec's sizes and hashes, for clones (null when the actions hold none)
   */
  Acted start(
      Endpoint ep,
      VmGroup group,
      List<Action> actions,
      Observation seen,
      ReplicaPlan.Desired desired) {
    String uid = group.getMetadata().getUid();
    String namespace = group.getMetadata().getNamespace();
    TaskTracker tracker = ep.tracker();
    List<Action> started = new ArrayList<>();
    int deferred = 0;
    Problem quotaRefused = null;
    List<TaskRef> startedTasks = new ArrayList<>();
    MoRef folder = seen.folder().orElse(null);
    VCenterQuota quota = vcenterSpec.apply(ep).map(s -> s.quotaFor(namespace)).orElse(null);
    for (Action action : actions) {
      QuotaLedger.Usage more = growth(action, group.getSpec());
      String refused =
          more.equals(QuotaLedger.Usage.NONE)
              ? null
              : ep.ledger().tryTake(uid, namespace, quota, more);
      if (refused != null) {
        quotaRefused = quotaExceeded(ep, group, refused, seen);
        continue;
      }
      if (!tracker.tryAcquire(uid)) {
        ep.ledger().giveBack(uid, more);
        deferred++;
        continue;
      }
      try {
        if (action instanceof Action.Clone && folder == null) {
          folder = ensureFolder(ep, seen.placement(), GroupObserver.folderName(group));
        }
        TaskRef task = ActionCalls.call(ep.client(), group, action, seen, folder, desired);
        if (action instanceof Action.Clone) {
          ep.ledger().cloning(uid, action.target(), more);
        }
        tracker.started(uid, action, task);
        ep.state().started(group, task);
        started.add(action);
        startedTasks.add(task);
        if (deploys(action, seen)) {
          events.step(
              group,
              "Deploy",
              "vCenter",
              "deploying VM '" + action.target() + "' from " + group.getSpec().sourceName());
        } else {
          events.step(group, Faults.verb(action), "vCenter", action.describe());
        }
      } catch (VsphereException e) {
        tracker.release();
        if ((e instanceof VsphereException.InvalidLogin || e instanceof VsphereException.Transport)
            && !deploys(action, seen)) {
          throw e;
        }
        failed(ep, group, action, e);
      } catch (GroupStopped e) {
        // the spec can't make this VM (its bootstrap too large): nothing started
        tracker.release();
        ep.ledger().giveBack(uid, more);
        throw e;
      }
    }
    if (deferred > 0 && !startedTasks.isEmpty()) {
      handOnEndedSlots(ep, startedTasks);
    }
    return new Acted(started, deferred, quotaRefused);
  }

  /**
   * While actions wait for the budget, one look at the tasks this round started: those vCenter
   * already finished (fast tasks end within the call) hand their slots on now, instead of after the
   * change feed's next report (up to its delivery interval per round of the budget). One call, and
   * only when something waits; the tasks themselves are still reported through the usual poll.
   */
  private static void handOnEndedSlots(Endpoint ep, List<TaskRef> tasks) {
    try {
      ep.slotWatch().handOn(tasks);
    } catch (VsphereException e) {
      // only a shortcut: the feed or the next poll reports these tasks anyway
      log.debug("looking at new tasks failed: {}", e.getMessage());
    }
  }

  private static boolean customizationHeld(TaskInfo info) {
    return info.state() == TaskInfo.State.SUCCESS
        || (info.state() == TaskInfo.State.ERROR
            && info.error() != null
            && "CustomizationPending".equals(info.error().faultType()));
  }

  /**
   * Whether the action is a content library deploy: a call of the REST API, whose failing says
   * nothing about the SOAP session the rest of the group's work goes through.
   */
  private static boolean deploys(Action action, Observation seen) {
    return action instanceof Action.Clone && seen.template() instanceof TemplateResolver.Deployable;
  }

  private static MoRef ensureFolder(Endpoint ep, Placement unrooted, String name) {
    PlacementResolver placement = ep.placement();
    VsphereClient client = ep.client();
    Placement p = placement.withRoot(unrooted);
    try {
      MoRef made = client.createFolder(p.rootFolder(), name);
      ep.state().folderMade(p, name, made);
      return made;
    } catch (VsphereException.DuplicateName raced) {
      // Someone (or our own earlier attempt) made it meanwhile; the inventory may lag, vCenter
      // doesn't.
      MoRef found = client.findByInventoryPath(p.groupFolderPath(name)).orElseThrow(() -> raced);
      ep.state().folderMade(p, name, found);
      return found;
    } catch (VsphereException.ManagedObjectNotFound rootGone) {
      placement.invalidate();
      throw rootGone;
    }
  }

  /**
   * One place decides what a failed action means, whether vCenter refused the call or the task
   * failed later: a name already taken, vCenter having changed under us, or a real failure that
   * backs the VM off and is reported.
   */
  void failed(Endpoint ep, VmGroup group, Action action, VsphereException e) {
    String uid = group.getMetadata().getUid();
    if (action instanceof Action.Clone) {
      // no VM came of it (or, for a taken name, the next observation counts what is there)
      ep.ledger().cloneFailed(uid, action.target());
    }
    TaskTracker tracker = ep.tracker();
    VcenterState vcenter = ep.state();
    if (action instanceof Action.Clone && !(e instanceof VsphereException.DuplicateName)) {
      // the template may have moved or gone since it was looked up: look again next time
      ep.templates().forget();
      ep.libraries().forget();
    }
    if (e instanceof VsphereException.DuplicateName && action instanceof Action.Clone) {
      // The name is taken in our folder: by our own VM the inventory hasn't shown yet (then a
      // full resync brings it), or by a foreign one (then the next observation says so).
      vcenter.contradicted("vCenter already has a VM named '" + action.target() + "'");
      tracker.settling(uid, action, clock.instant().plus(RequeuePolicy.TASK_SAFETY_NET));
      return;
    }
    if (e instanceof VsphereException.ManagedObjectNotFound && !(action instanceof Action.Clone)) {
      // The inventory showed a VM (or folder) vCenter no longer has: the change feed missed its
      // removal. The simulator drops changes made while a feed is being opened, so after a feed
      // rebuilt during a mass deletion a group kept destroying a VM that was gone, forever. Such a
      // VM no longer counts (see VcenterState.gone); anything else is left alone until a full
      // resync brings the inventory back to vCenter's word.
      log.debug("{} of {}: {}", Faults.verb(action), action.target(), e.getMessage());
      MoRef vm = action.vm() == null ? null : action.vm().ref();
      if (vm != null && vm.equals(((VsphereException.ManagedObjectNotFound) e).object())) {
        vcenter.gone(vm);
      } else {
        vcenter.contradicted(
            "vCenter no longer has " + action.target() + ", which the inventory shows");
        tracker.settling(uid, action, clock.instant().plus(RequeuePolicy.TASK_SAFETY_NET));
      }
      return;
    }
    if (e instanceof VsphereException.InvalidPowerState) {
      // Planned from a power state vCenter doesn't have: from a feed that lost a change, the
      // group asked again four times a second, each time for the same refusal.
      vcenter.distrust(
          uid, Faults.verb(action) + " of " + action.target() + " refused: " + e.getMessage());
    }
    if (e instanceof VsphereException.DuplicateName || Faults.benign(e)) {
      // The VM was already where the action wanted it, or changed under us: not a failure, the
      // next observation plans from what is there.
      log.debug("{} of {}: {}", Faults.verb(action), action.target(), e.getMessage());
      return;
    }
    Problem problem = Faults.ofAction(action, e);
    tracker.failed(uid, action.target(), problem);
    events.warning(group, problem.reason().name(), Faults.verb(action), problem.message());
  }

  /**
   * Failures worth remembering: those of the group's VMs and of names new VMs may still get;
   * anything else is from before a scale-in and would only hold a name back.
   */
  private static Set<String> keptFailures(ReplicaPlan.Desired desired, Observation seen) {
    Set<String> kept = new HashSet<>(seen.ownedNames());
    int upTo = desired.replicas() + desired.strategy().maxSurge() + seen.foreign().size();
    IntStream.range(0, upTo)
        .forEach(
            i -> kept.add(com.codeconnect.vmgroup.decision.Naming.vmName(desired.groupName(), i)));
    return kept;
  }

  /** What an action adds to the namespace's usage: a new VM, or a VM grown in place. */
  private static QuotaLedger.Usage growth(Action action, VmGroupSpec spec) {
    if (action instanceof Action.Clone) {
      return new QuotaLedger.Usage(1, spec.getCpu(), spec.memoryMiB());
    }
    if (action instanceof Action.Reconfigure r) {
      return new QuotaLedger.Usage(
          0, Math.max(0, r.cpu() - r.vm().cpu()), Math.max(0, r.memoryMiB() - r.vm().memoryMiB()));
    }
    return QuotaLedger.Usage.NONE;
  }

  /**
   * What the group's VMs hold on its vCenter, each at the size a running resize gives it. Clones
   * not yet seen as VMs are the ledger's to count ({@link QuotaLedger#cloning}).
   */
  private static QuotaLedger.Usage usage(TaskTracker tracker, String uid, Observation seen) {
    Map<String, TaskTracker.InFlight> running = tracker.inFlight(uid);
    QuotaLedger.Usage total = QuotaLedger.Usage.NONE;
    for (VmInfo vm : seen.owned()) {
      TaskTracker.InFlight f = running.get(vm.name());
      int cpu = vm.cpu();
      long memory = vm.memoryMiB();
      if (f != null && f.action() instanceof Action.Reconfigure r) {
        cpu = Math.max(cpu, r.cpu());
        memory = Math.max(memory, r.memoryMiB());
      }
      total = total.plus(new QuotaLedger.Usage(1, cpu, memory));
    }
    return total;
  }

  /**
   * Counts the namespace's groups on this vCenter that haven't been observed since the operator
   * started, from their status, so a restart can't let a namespace past its quota.
   */
  private static void seedLedger(
      Endpoint ep,
      VmGroup group,
      java.util.function.Supplier<java.util.stream.Stream<VmGroup>> namespaceGroups) {
    String namespace = group.getMetadata().getNamespace();
    namespaceGroups
        .get()
        .filter(
            g ->
                namespace.equals(g.getMetadata().getNamespace())
                    && g.getStatus() != null
                    && ep.name().equals(TargetResolver.recordedVcenter(g.getStatus()))
                    && !ep.ledger().knows(g.getMetadata().getUid()))
        .forEach(
            g -> {
              QuotaLedger.Usage u = QuotaLedger.Usage.NONE;
              for (var vm : g.getStatus().getVms()) {
                u =
                    u.plus(
                        new QuotaLedger.Usage(
                            1,
                            vm.getCpu() == null ? 0 : vm.getCpu(),
                            vm.getMemoryMiB() == null ? 0 : vm.getMemoryMiB()));
              }
              ep.ledger().seed(g.getMetadata().getUid(), namespace, u);
            });
  }

  /** Names the limit and the usage, so the namespace's owner sees what to free or ask for. */
  private static Problem quotaExceeded(Endpoint ep, VmGroup group, String limit, Observation seen) {
    String namespace = group.getMetadata().getNamespace();
    QuotaLedger.Usage used = ep.ledger().usedBy(namespace);
    return new Problem(
        Problem.Reason.QuotaExceeded,
        "quota of namespace '"
            + namespace
            + "' on VCenter '"
            + ep.name()
            + "' ("
            + limit
            + ") reached: the group has "
            + seen.owned().size()
            + " of "
            + group.getSpec().getReplicas()
            + " VMs; the namespace uses "
            + used.vms()
            + " VMs, "
            + used.cpus()
            + " vCPUs, "
            + used.memoryGiB()
            + " GiB");
  }
}
