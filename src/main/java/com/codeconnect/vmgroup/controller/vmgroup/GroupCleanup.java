package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.EndpointSelector;
import com.codeconnect.vmgroup.decision.ReplicaPlan;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.endpoint.Endpoints;
import com.codeconnect.vmgroup.endpoint.PlacementResolver.PlacementException;
import com.codeconnect.vmgroup.endpoint.TaskTracker;
import com.codeconnect.vmgroup.endpoint.VcenterEventSource;
import com.codeconnect.vmgroup.endpoint.VcenterState;
import com.codeconnect.vmgroup.observability.EventSink;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group's deletion: its VMs are powered off and destroyed, then its folder, unless anything in it
 * isn't the operator's; with {@code deletionPolicy: Retain} the VMs stay and lose their markers.
 * The finalizer goes only once vCenter itself shows nothing of the group left. Like a reconcile, it
 * never waits for a task: each pass starts what it can and looks again.
 */
final class GroupCleanup {
  private static final Logger log = LoggerFactory.getLogger(GroupCleanup.class);

  private final Endpoints endpoints;
  private final TargetResolver targets;
  private final GroupObserver observer;
  private final ActionRunner runner;
  private final RequeuePolicy requeue;
  private final RuleKeeper rules;
  private final GroupMemory.Memories memories;
  private final VcenterEventSource eventSource;
  private final EventSink events;

  GroupCleanup(
      Endpoints endpoints,
      TargetResolver targets,
      GroupObserver observer,
      ActionRunner runner,
      RuleKeeper rules,
      RequeuePolicy requeue,
      GroupMemory.Memories memories,
      VcenterEventSource eventSource,
      EventSink events) {
    this.endpoints = endpoints;
    this.targets = targets;
    this.observer = observer;
    this.runner = runner;
    this.rules = rules;
    this.requeue = requeue;
    this.memories = memories;
    this.eventSource = eventSource;
    this.events = events;
  }

  DeleteControl cleanup(VmGroup group) {
    String uid = group.getMetadata().getUid();
    // The VMs are where the status says they were made, whatever the group maps to now.
    String name = TargetResolver.recordedVcenter(group.getStatus());
    if (name == null) {
      EndpointSelector.Choice choice = targets.choose(group);
      if (choice.problem() != null) {
        // Never mapped to a vCenter and can't be now: nothing of it can exist anywhere.
        log.info(
            "VmGroup {}/{} deleted without a vCenter: {}",
            group.getMetadata().getNamespace(),
            group.getMetadata().getName(),
            choice.problem().message());
        return finished(null, group);
      }
      name = choice.name();
    }
    Optional<Endpoint> endpoint = endpoints.get(name);
    if (endpoint.isEmpty()) {
      events.warning(
          group,
          "DeleteBlocked",
          "Delete",
          "can't clean up in vCenter '" + name + "' yet: it has no working connection");
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(RequeuePolicy.PROBLEM_RETRY.toMillis());
    }
    Endpoint ep = endpoint.get();
    if (ep.pausedBecause() != null) {
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(Endpoint.UNREACHABLE_PAUSE.toMillis());
    }
    try {
      return pass(ep, group);
    } catch (PlacementException | VsphereException e) {
      if (e instanceof VsphereException.Transport) {
        ep.unreachable(e.getMessage());
      }
      log.warn(
          "deleting VmGroup {}/{} is waiting: {}",
          group.getMetadata().getNamespace(),
          group.getMetadata().getName(),
          e.getMessage());
      events.warning(
          group, "DeleteBlocked", "Delete", "can't clean up in vCenter yet: " + e.getMessage());
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(requeue.afterError(memories.of(uid)).toMillis());
    } finally {
      ep.probed();
    }
  }

  /** One pass of the deletion: what vCenter shows of the group decides the next step. */
  private DeleteControl pass(Endpoint ep, VmGroup group) {
    String uid = group.getMetadata().getUid();
    TaskTracker tracker = ep.tracker();
    VcenterState vcenter = ep.state();
    List<TaskTracker.Finished> done = runner.collect(ep, group, memories.of(uid));
    if (done.stream().anyMatch(GroupCleanup::folderDestroyed)) {
      // vCenter destroyed the folder with everything in it; the inventory may still show it.
      return finished(ep, group);
    }
    Observation seen = observer.look(ep, group);
    ep.reachable();
    String folderName = GroupObserver.folderName(group);
    if (seen.folder().isEmpty()
        && ep.client()
            .findByInventoryPath(seen.placement().groupFolderPath(folderName))
            .isEmpty()) {
      // Letting the group go leaves whatever is in its folder behind for good, so "no folder"
      // is taken on vCenter's word, not the inventory's: one call, once per deletion.
      return finished(ep, group);
    }
    if (seen.folder().isEmpty()) {
      log.debug("deletion: the inventory has no folder for the group, vCenter has");
      vcenter.contradicted("the inventory has no folder for group " + folderName);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(requeue.deletionPoll().toMillis());
    }
    if (group.paused()) {
      events.warning(
          group,
          "DeletionPaused",
          "Delete",
          "deletion waits: the group is paused by " + VmGroup.PAUSED_ANNOTATION);
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(RequeuePolicy.PROBLEM_RETRY.toMillis());
    }
    // A VM whose power-off or destroy just succeeded may still look untouched in the inventory;
    // acting on it again costs a task and vCenter work for nothing.
    seen = observer.effectsShown(ep, group, seen);
    // a VM deployed for the group and not yet marked is the group's to destroy as well
    seen = DeployedVms.takeFrom(ep, group, seen, memories.of(uid));
    Set<String> busy = GroupPlanner.busy(tracker, uid, seen);
    if (rules.release(ep, group, seen, memories.of(uid))) {
      // the DRS rule goes first, while the VMs' markers still prove it is the group's
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(requeue.deletionPoll().toMillis());
    }
    if (seen.owned().isEmpty() && busy.isEmpty()) {
      // Next comes letting the group go or destroying its folder (with whatever is in it), so
      // the last look is vCenter's own: the inventory may not show a VM cloned a moment ago.
      Observation live = GroupObserver.readLive(vcenter, group, seen);
      live = live.withDeployed(seen.deployed());
      if (!live.owned().isEmpty() || live.foreign().size() != seen.foreign().size()) {
        vcenter.contradicted("the inventory is behind on folder " + folderName);
      }
      seen = live;
    }
    if (group.getSpec() != null
        && group.getSpec().effectiveDeletionPolicy() == VmGroupSpec.DeletionPolicy.Retain) {
      return retain(ep, group, seen, busy);
    }
    List<VmInfo> ours = new ArrayList<>(seen.owned());
    ours.addAll(seen.deployed());
    List<Action> actions = new ArrayList<>(ReplicaPlan.teardown(ours, busy));
    if (ours.isEmpty() && busy.isEmpty()) {
      if (!seen.foreign().isEmpty() || !ep.client().childFolders(seen.folder().get()).isEmpty()) {
        // Destroying a folder destroys its contents, so a folder holding anything that isn't
        // ours stays, and the user learns why.
        events.warning(
            group,
            "FolderKept",
            "Delete",
            "folder '"
                + seen.placement().groupFolderPath(folderName)
                + "' kept: it holds objects the operator didn't create: "
                + seen.foreign().stream().map(VmInfo::name).sorted().toList());
        return finished(ep, group);
      }
      actions.add(new Action.DestroyFolder(seen.folder().get(), folderName));
    }
    ActionRunner.Acted acted = runner.start(ep, group, actions, seen, null);
    memories.of(uid).succeeded();
    if (log.isDebugEnabled()) {
      log.debug(
          "deletion: {} VMs left, busy {}, started {}, waiting for the budget {}",
          seen.owned().size(),
          busy,
          acted.started().size(),
          acted.deferred());
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(requeue.deletionPoll().toMillis());
  }

  /**
   * Deletion with the Retain policy: the VMs and the folder stay; removing the ownership markers
   * makes them ordinary VMs that no later group (or this operator) will ever touch.
   */
  private DeleteControl retain(Endpoint ep, VmGroup group, Observation seen, Set<String> busy) {
    if (seen.owned().isEmpty() && busy.isEmpty()) {
      events.normal(
          group,
          "Retained",
          "Delete",
          "VMs kept in folder '"
              + seen.placement().groupFolderPath(GroupObserver.folderName(group))
              + "' as ordinary VMs (deletionPolicy Retain); ownership markers removed");
      return finished(ep, group);
    }
    List<Action> release =
        seen.owned().stream()
            .filter(vm -> !busy.contains(vm.name()))
            .<Action>map(Action.Release::new)
            .toList();
    runner.start(ep, group, release, seen, null);
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(requeue.deletionPoll().toMillis());
  }

  /** Lets the group go, and everything the operator kept about it; {@code ep} null: no vCenter. */
  private DeleteControl finished(Endpoint ep, VmGroup group) {
    String uid = group.getMetadata().getUid();
    if (ep != null) {
      ep.state()
          .finished(
              ep.tracker().inFlight(uid).values().stream()
                  .map(TaskTracker.InFlight::task)
                  .toList());
      ep.tracker().forget(uid);
      ep.ledger().forget(uid);
    }
    eventSource.forget(group);
    memories.forget(uid);
    events.forget(uid);
    return DeleteControl.defaultDelete();
  }

  private static boolean folderDestroyed(TaskTracker.Finished f) {
    return f.task().action() instanceof Action.DestroyFolder
        && f.info().state() == TaskInfo.State.SUCCESS;
  }
}
