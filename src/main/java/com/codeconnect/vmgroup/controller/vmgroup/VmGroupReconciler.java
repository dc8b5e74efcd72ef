package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VCenter;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterQuota;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.EndpointSelector;
import com.codeconnect.vmgroup.decision.Naming;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.Placement;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.decision.ReplicaPlan;
import com.codeconnect.vmgroup.decision.SpecHash;
import com.codeconnect.vmgroup.decision.SpecValidator;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.decision.StatusPacing;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.endpoint.Endpoints;
import com.codeconnect.vmgroup.endpoint.PlacementResolver;
import com.codeconnect.vmgroup.endpoint.PlacementResolver.PlacementException;
import com.codeconnect.vmgroup.endpoint.QuotaLedger;
import com.codeconnect.vmgroup.endpoint.TaskTracker;
import com.codeconnect.vmgroup.endpoint.TemplateResolver;
import com.codeconnect.vmgroup.endpoint.VcenterEventSource;
import com.codeconnect.vmgroup.endpoint.VcenterState;
import com.codeconnect.vmgroup.observability.EventRecorder;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one VmGroup's VMs in vCenter as declared: observe (vCenter and the resource), plan (pure,
 * {@link ReplicaPlan}), act (start tasks within the budget, never wait for one), status (pure,
 * {@link StatusBuilder}), patched only when it changed.
 */
@ControllerConfiguration(name = VmGroupReconciler.NAME)
public class VmGroupReconciler implements Reconciler<VmGroup>, Cleaner<VmGroup> {
  public static final String NAME = "vmgroup";
  static final Duration PROBLEM_RETRY = Duration.ofSeconds(30);
  static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(60);
  static final Duration TASK_SAFETY_NET = Duration.ofSeconds(10);
  static final Duration CREDENTIALS_RETRY = Duration.ofSeconds(5);
  static final Duration UNFED_RESYNC = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(VmGroupReconciler.class);

  private final Endpoints endpoints;
  private final VcenterEventSource eventSource;
  private final EventRecorder events;
  private final OperatorSettings settings;
  private final Clock clock;
  private final boolean vcenterResources;
  private final Map<String, Integer> errorStreak = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> foreignSeen = new ConcurrentHashMap<>();
  // when this operator last wrote each group's status, for StatusPacing
  private final Map<String, Instant> statusWritten = new ConcurrentHashMap<>();
  // the names of each group's own VMs as its last reconcile saw them
  private final Map<String, Set<String>> lastShown = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong reconciles =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile InformerEventSource<VCenter, VmGroup> vcenterInformer;
  private volatile InformerEventSource<Namespace, VmGroup> namespaceInformer;

  /**
   * @param vcenterResources also use VCenter resources (their CRD must be installed), not only the
   *     operator's own vCenter
   */
  public VmGroupReconciler(
      Endpoints endpoints,
      VcenterEventSource eventSource,
      EventRecorder events,
      OperatorSettings settings,
      Clock clock,
      boolean vcenterResources) {
    this.endpoints = endpoints;
    this.eventSource = eventSource;
    this.events = events;
    this.settings = settings;
    this.clock = clock;
    this.vcenterResources = vcenterResources;
  }

  /**
   * What one look at vCenter found for a group.
   *
   * @param live read from vCenter directly, not from the change-fed inventory
   */
  private record Observed(
      Placement placement,
      Optional<MoRef> folder,
      List<VmInfo> owned,
      List<VmInfo> foreign,
      int undescribed,
      boolean live) {}

  @Override
  public List<EventSource<?, VmGroup>> prepareEventSources(EventSourceContext<VmGroup> context) {
    if (!vcenterResources) {
      return List.of(eventSource);
    }
    // Which vCenter a group maps to depends on the VCenters' specs and its namespace's labels:
    // a change of either re-evaluates the groups concerned. Status updates of VCenters (usage,
    // health) don't change any mapping and are filtered out.
    vcenterInformer =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(VCenter.class, VmGroup.class)
                .withName("vcenters")
                .withNamespaces(Constants.WATCH_ALL_NAMESPACE_SET)
                .withFollowControllerNamespacesChanges(false)
                .withOnUpdateFilter(
                    (now, before) ->
                        !java.util.Objects.equals(
                            now.getMetadata().getGeneration(),
                            before.getMetadata().getGeneration()))
                .withSecondaryToPrimaryMapper(
                    vc ->
                        context
                            .getPrimaryCache()
                            .list()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    namespaceInformer =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Namespace.class, VmGroup.class)
                .withName("namespaces")
                .withNamespaces(Constants.WATCH_ALL_NAMESPACE_SET)
                .withFollowControllerNamespacesChanges(false)
                .withOnUpdateFilter(
                    (now, before) ->
                        !java.util.Objects.equals(
                            now.getMetadata().getLabels(), before.getMetadata().getLabels()))
                .withSecondaryToPrimaryMapper(
                    ns ->
                        context
                            .getPrimaryCache()
                            .list(
                                g ->
                                    ns.getMetadata()
                                        .getName()
                                        .equals(g.getMetadata().getNamespace()))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(eventSource, vcenterInformer, namespaceInformer);
  }

  /** The vCenter this group maps to now, or why none. */
  private EndpointSelector.Choice choose(VmGroup group) {
    String namespace = group.getMetadata().getNamespace();
    String requested = group.getSpec() == null ? null : group.getSpec().getVcenter();
    List<EndpointSelector.Candidate> candidates = List.of();
    Map<String, String> labels = null;
    if (vcenterInformer != null) {
      candidates =
          vcenterInformer
              .list()
              // A VCenter being deleted takes no new groups; its own keep working (and can
              // scale to 0 or be deleted), which is what its deletion waits for.
              .filter(
                  vc ->
                      vc.getMetadata().getDeletionTimestamp() == null
                          || vc.getMetadata().getName().equals(recordedVcenter(group.getStatus())))
              // the own vCenter's name is reserved while it exists (the VCenter says so)
              .filter(
                  vc ->
                      endpoints.own().isEmpty()
                          || !Endpoints.DEFAULT_NAME.equals(vc.getMetadata().getName()))
              .map(
                  vc ->
                      new EndpointSelector.Candidate(
                          vc.getMetadata().getName(),
                          vc.getSpec() == null ? null : vc.getSpec().allowedNamespaces))
              .toList();
      labels =
          namespaceInformer
              .get(new ResourceID(namespace))
              .map(
                  n ->
                      n.getMetadata().getLabels() == null
                          ? Map.<String, String>of()
                          : n.getMetadata().getLabels())
              .orElse(null);
    }
    return EndpointSelector.select(namespace, requested, candidates, labels, endpoints.ownName());
  }

  /**
   * The VCenter's spec as the informer has it now: a quota edited a moment ago applies to the next
   * clone, not only once the VCenter controller has handled the edit.
   */
  private Optional<VCenterSpec> spec(Endpoint ep) {
    if (ep.isOwn() || vcenterInformer == null) {
      return Optional.empty();
    }
    return vcenterInformer.get(new ResourceID(ep.name())).map(VCenter::getSpec);
  }

  /** True when the VCenter's status says Ready: its client existed and worked a moment ago. */
  private boolean lastSeenReady(String name) {
    if (vcenterInformer == null) {
      return false;
    }
    return vcenterInformer
        .get(new ResourceID(name))
        .map(VCenter::getStatus)
        .map(st -> st.conditions)
        .map(
            cs ->
                cs.stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .orElse(false);
  }

  /**
   * The vCenter that holds the group's VMs by its status; groups from before status.vcenter existed
   * have theirs on the operator's own.
   */
  private static String recordedVcenter(VmGroupStatus status) {
    if (status == null) {
      return null;
    }
    if (status.getVcenter() != null) {
      return status.getVcenter();
    }
    return hadVms(status) ? Endpoints.DEFAULT_NAME : null;
  }

  private static boolean hadVms(VmGroupStatus previous) {
    return previous != null
        && ((previous.getCurrentReplicas() != null && previous.getCurrentReplicas() > 0)
            || !previous.getVms().isEmpty());
  }

  /**
   * Where the group is handled now: its endpoint, or the problem that stops it (no vCenter call). A
   * quiet problem is only waited out: it isn't reported.
   */
  private record Target(Endpoint endpoint, Problem problem, Duration retry, boolean quiet) {
    Target(Endpoint endpoint, Problem problem, Duration retry) {
      this(endpoint, problem, retry, false);
    }
  }

  static final Duration STARTUP_WAIT = Duration.ofSeconds(1);

  private Target target(VmGroup group) {
    EndpointSelector.Choice choice = choose(group);
    if (choice.problem() != null) {
      return new Target(null, choice.problem(), PROBLEM_RETRY);
    }
    String recorded = recordedVcenter(group.getStatus());
    if (recorded != null && hadVms(group.getStatus()) && !recorded.equals(choice.name())) {
      return new Target(
          null,
          new Problem(
              Problem.Reason.VCenterChanged,
              "the group's VMs are on vCenter '"
                  + recorded
                  + "' but it now maps to '"
                  + choice.name()
                  + "'; VMs are not moved: set spec.vcenter to '"
                  + recorded
                  + "' (or restore the VCenters' allowedNamespaces), or scale the group to 0 first"),
          PROBLEM_RETRY);
    }
    Optional<Endpoint> endpoint = endpoints.get(choice.name());
    if (endpoint.isEmpty()) {
      // Right after a start, groups reconcile before the VCenter controller has made its clients:
      // a group that was fine and whose VCenter was last seen ready just waits for it, instead of
      // flapping to Degraded at every restart. Woken when the endpoint comes; the timer is a net.
      boolean startingUp =
          choice.name().equals(group.getStatus() == null ? null : group.getStatus().getVcenter())
              && lastSeenReady(choice.name());
      return new Target(
          null,
          new Problem(
              Problem.Reason.VCenterNotReady,
              "VCenter '"
                  + choice.name()
                  + "' has no working connection yet (see its status conditions)"),
          startingUp ? STARTUP_WAIT : PROBLEM_RETRY,
          startingUp);
    }
    String paused = endpoint.get().pausedBecause();
    if (paused != null) {
      return new Target(
          null,
          new Problem(
              Problem.Reason.VcenterUnreachable,
              "vCenter '" + choice.name() + "' unreachable: " + paused),
          Endpoint.UNREACHABLE_PAUSE);
    }
    return new Target(endpoint.get(), null, null);
  }

  @Override
  public UpdateControl<VmGroup> reconcile(VmGroup group, Context<VmGroup> context) {
    reconciles.incrementAndGet();
    eventSource.remember(group);
    String uid = group.getMetadata().getUid();
    long generation = Optional.ofNullable(group.getMetadata().getGeneration()).orElse(0L);
    VmGroupSpec spec = group.getSpec();
    VmGroupStatus previous = group.getStatus();

    List<String> invalid = SpecValidator.validateGroup(group, settings.maxReplicas());
    if (!invalid.isEmpty()) {
      Problem problem =
          new Problem(Problem.Reason.InvalidSpec, "invalid spec: " + String.join("; ", invalid));
      events.warning(group, problem.reason().name(), "Validate", problem.message());
      // No vCenter call for a spec we can't act on; an edit of the spec brings us back.
      return patchIfChanged(group, context, unobserved(generation, null, previous, problem), null);
    }
    Target target = target(group);
    if (target.quiet()) {
      return UpdateControl.<VmGroup>noUpdate().rescheduleAfter(target.retry());
    }
    if (target.problem() != null) {
      events.warning(
          group, target.problem().reason().name(), "Resolve", target.problem().message());
      return patchIfChanged(
          group,
          context,
          unobserved(generation, spec.getReplicas(), previous, target.problem()),
          target.retry());
    }
    Endpoint ep = target.endpoint();
    TaskTracker tracker = ep.tracker();
    VcenterState vcenter = ep.state();

    try {
      report(ep, group, tracker.poll(uid, vcenter::tasks));
      Observed seen = observe(ep, group);
      Problem moved = placementChanged(previous, seen.placement());
      if (moved != null) {
        events.warning(group, moved.reason().name(), "Validate", moved.message());
        return patchIfChanged(
            group, context, unobserved(generation, spec.getReplicas(), previous, moved), null);
      }
      boolean linked = spec.effectiveCloneMode() == VmGroupSpec.CloneMode.linked;
      TemplateResolver.Result template =
          needsTemplate(group, seen)
              ? ep.templates().resolve(seen.placement(), spec.getTemplate(), linked)
              : new TemplateResolver.Skipped();
      ReplicaPlan.Desired desired = desired(group, template instanceof TemplateResolver.Found);
      if (!seen.live() && seen.foreign().stream().anyMatch(vm -> replicaNamed(group, vm))) {
        // Which names are free for new VMs is decided on vCenter's word, not the cache's: a VM
        // of ours that the cache shows without its markers must not be taken for a stranger's.
        seen = lookAgain(ep, group, seen, "VMs it shows as not ours: " + names(seen.foreign()));
      } else if (!seen.live() && seen.undescribed() > 0) {
        // Nor for one it shows without a name: the simulator announces a clone to the feed before
        // it names it and never tells the feed the name. Real vCenter never shows a VM without a
        // name, so this costs it nothing.
        seen = lookAgain(ep, group, seen, seen.undescribed() + " VMs it shows without a name");
      } else if (!seen.live() && !vanished(tracker, uid, seen).isEmpty()) {
        // Nor from a cache that lost VMs the group's last look showed, with no deletion of ours
        // to explain it. In 1,000-VM bursts on the simulator, groups cloned names already taken
        // (refused as DuplicateName, 2-46 times a burst): one had read vCenter directly while the
        // feed trailed, seen its clone and forgotten the clone's task, then counted from a cache
        // the feed had not yet brought the VM to; another's cached view lost three VMs it had
        // shown half a second before. A VM deleted by someone else costs one direct look.
        seen = readLive(vcenter, group, seen);
      }
      seen = effectsShown(ep, group, seen);
      reportForeign(group, seen);
      Problem groupProblem =
          template instanceof TemplateResolver.Missing missing ? missing.problem() : null;

      ReplicaPlan.Result plan =
          ReplicaPlan.compute(
              desired, seen.owned(), busy(tracker, uid, seen), names(seen.foreign()));
      if (plan.spendsAvailability() && !seen.live()) {
        // A running VM goes down only on vCenter's word that enough others run: counted from a
        // feed that lost a change, a VM that was off counted as available and a rollout with
        // maxUnavailable 1 had two down.
        seen = lookAgain(ep, group, seen, "the power states of the VMs it would take down");
        plan =
            ReplicaPlan.compute(
                desired, seen.owned(), busy(tracker, uid, seen), names(seen.foreign()));
      }
      lastShown.put(uid, names(seen.owned()));
      ep.ledger()
          .observed(
              uid,
              group.getMetadata().getNamespace(),
              usage(tracker, uid, seen),
              names(seen.owned()));
      if (spec(ep).map(VCenterSpec::hasQuotas).orElse(false)) {
        seedLedger(ep, group, context);
      }
      List<Action> actions = plan.actions();
      tracker.forgetFailuresExcept(uid, keptFailures(desired, seen));
      tracker.forgetFailuresOf(
          uid,
          seen.owned().stream()
              .filter(vm -> ReplicaPlan.ready(vm, desired))
              .map(VmInfo::name)
              .toList());
      // A paused group is observed and reported, but nothing is started in vCenter.
      Acted acted =
          group.paused() ? new Acted(List.of(), 0, null) : act(ep, group, actions, seen, template);
      int pending = group.paused() ? actions.size() : acted.deferred();

      Problem problem =
          groupProblem != null
              ? groupProblem
              : tracker
                  .lastFailure(uid)
                  .map(TaskTracker.Failure::problem)
                  .orElse(acted.quotaRefused());
      if (problem != null && plan.outdated() > 0) {
        // Old VMs are only removed while new ones come up, so a failing new VM halts the rollout.
        problem =
            new Problem(
                problem.reason(),
                "rollout halted with "
                    + plan.outdated()
                    + " VMs still on the old template: "
                    + problem.message());
      }
      int ready = readyCount(desired, seen);
      int updated =
          (int) seen.owned().stream().filter(vm -> ReplicaPlan.upToDate(vm, desired)).count();
      int inFlight = tracker.inFlight(uid).size();
      StatusBuilder.Observation observation =
          new StatusBuilder.Observation(
              generation,
              desired.replicas(),
              seen.owned().size(),
              ready,
              updated,
              inFlight,
              pending,
              plan.resizesWaiting(),
              activity(tracker.inFlight(uid).values()),
              problem,
              group.paused(),
              StatusBuilder.vms(
                  desired,
                  seen.owned(),
                  tracker.inFlight(uid).values().stream()
                      .collect(
                          Collectors.toMap(
                              TaskTracker.InFlight::target, TaskTracker.InFlight::action)),
                  tracker.failures(uid).values().stream()
                      .collect(
                          Collectors.toMap(
                              TaskTracker.Failure::vmName, f -> f.problem().message()))));
      errorStreak.remove(uid);
      ep.reachable();
      boolean converged =
          ready == desired.replicas()
              && seen.owned().size() == desired.replicas()
              && plan.outdated() == 0
              && plan.resizesWaiting() == 0;
      VmGroupStatus status = StatusBuilder.build(observation, previous, clock.instant());
      status.setPlacement(seen.placement().describe());
      status.setVcenter(ep.name());
      return patchIfChanged(
          group,
          context,
          status,
          nextCheck(
              tracker,
              uid,
              acted,
              inFlight,
              groupProblem != null ? groupProblem : acted.quotaRefused(),
              converged,
              vcenter.covers(seen.placement())));
    } catch (PlacementException e) {
      Problem problem = new Problem(Problem.Reason.PlacementFailed, e.getMessage());
      events.warning(group, problem.reason().name(), "Resolve", problem.message());
      return patchIfChanged(
          group,
          context,
          unobserved(generation, spec.getReplicas(), previous, problem),
          PROBLEM_RETRY);
    } catch (VsphereException e) {
      Problem problem = classify(ep, e);
      if (e instanceof VsphereException.Transport) {
        ep.unreachable(e.getMessage());
      }
      events.warning(group, problem.reason().name(), "Reconcile", problem.message());
      // While the credentials are refused the client doesn't even try them again (its own
      // backoff), so a short, flat retry costs nothing and notices a rotated password quickly.
      Duration retry =
          e instanceof VsphereException.InvalidLogin ? CREDENTIALS_RETRY : errorBackoff(uid);
      return patchIfChanged(
          group, context, unobserved(generation, spec.getReplicas(), previous, problem), retry);
    } finally {
      ep.probed();
    }
  }

  /** Reconciles run so far (for tests and metrics). */
  public long reconcileCount() {
    return reconciles.get();
  }

  @Override
  public DeleteControl cleanup(VmGroup group, Context<VmGroup> context) {
    String uid = group.getMetadata().getUid();
    // The VMs are where the status says they were made, whatever the group maps to now.
    String name = recordedVcenter(group.getStatus());
    if (name == null) {
      EndpointSelector.Choice choice = choose(group);
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
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(PROBLEM_RETRY.toMillis());
    }
    Endpoint ep = endpoint.get();
    String paused = ep.pausedBecause();
    if (paused != null) {
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(Endpoint.UNREACHABLE_PAUSE.toMillis());
    }
    TaskTracker tracker = ep.tracker();
    VcenterState vcenter = ep.state();
    VsphereClient client = ep.client();
    try {
      List<TaskTracker.Finished> done = tracker.poll(uid, vcenter::tasks);
      report(ep, group, done);
      if (done.stream().anyMatch(VmGroupReconciler::folderDestroyed)) {
        // vCenter destroyed the folder with everything in it; the inventory may still show it.
        return finished(ep, group);
      }
      Observed seen = observe(ep, group);
      ep.reachable();
      if (seen.folder().isEmpty()
          && client
              .findByInventoryPath(seen.placement().groupFolderPath(folderName(group)))
              .isEmpty()) {
        // Letting the group go leaves whatever is in its folder behind for good, so "no folder"
        // is taken on vCenter's word, not the inventory's: one call, once per deletion.
        return finished(ep, group);
      }
      if (seen.folder().isEmpty()) {
        log.debug("deletion: the inventory has no folder for the group, vCenter has");
        vcenter.contradicted("the inventory has no folder for group " + folderName(group));
        return DeleteControl.noFinalizerRemoval()
            .rescheduleAfter(settings.taskPollInterval().toMillis());
      }
      if (group.paused()) {
        events.warning(
            group,
            "DeletionPaused",
            "Delete",
            "deletion waits: the group is paused by " + VmGroup.PAUSED_ANNOTATION);
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(PROBLEM_RETRY.toMillis());
      }
      // A VM whose power-off or destroy just succeeded may still look untouched in the inventory;
      // acting on it again costs a task and vCenter work for nothing.
      seen = effectsShown(ep, group, seen);
      Set<String> busy = busy(tracker, uid, seen);
      String folderName = folderName(group);
      if (seen.owned().isEmpty() && busy.isEmpty()) {
        // Next comes letting the group go or destroying its folder (with whatever is in it), so
        // the last look is vCenter's own: the inventory may not show a VM cloned a moment ago.
        Observed live = readLive(vcenter, group, seen);
        if (!live.owned().isEmpty() || live.foreign().size() != seen.foreign().size()) {
          vcenter.contradicted("the inventory is behind on folder " + folderName);
        }
        seen = live;
      }
      if (group.getSpec() != null
          && group.getSpec().effectiveDeletionPolicy() == VmGroupSpec.DeletionPolicy.Retain) {
        return retain(ep, group, seen, busy);
      }
      List<Action> actions = new ArrayList<>(ReplicaPlan.teardown(seen.owned(), busy));
      if (seen.owned().isEmpty() && busy.isEmpty()) {
        if (!seen.foreign().isEmpty() || !client.childFolders(seen.folder().get()).isEmpty()) {
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
      Acted acted = act(ep, group, actions, seen, new TemplateResolver.Skipped());
      errorStreak.remove(uid);
      if (log.isDebugEnabled()) {
        log.debug(
            "deletion: {} VMs left, busy {}, started {}, waiting for the budget {}",
            seen.owned().size(),
            busy,
            acted.started().size(),
            acted.deferred());
      }
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(settings.taskPollInterval().toMillis());
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
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(errorBackoff(uid).toMillis());
    } finally {
      ep.probed();
    }
  }

  /**
   * Deletion with the Retain policy: the VMs and the folder stay; removing the ownership markers
   * makes them ordinary VMs that no later group (or this operator) will ever touch.
   */
  private DeleteControl retain(Endpoint ep, VmGroup group, Observed seen, Set<String> busy) {
    if (seen.owned().isEmpty() && busy.isEmpty()) {
      events.normal(
          group,
          "Retained",
          "Delete",
          "VMs kept in folder '"
              + seen.placement().groupFolderPath(folderName(group))
              + "' as ordinary VMs (deletionPolicy Retain); ownership markers removed");
      return finished(ep, group);
    }
    List<Action> release =
        seen.owned().stream()
            .filter(vm -> !busy.contains(vm.name()))
            .<Action>map(Action.Release::new)
            .toList();
    act(ep, group, release, seen, new TemplateResolver.Skipped());
    return DeleteControl.noFinalizerRemoval()
        .rescheduleAfter(settings.taskPollInterval().toMillis());
  }

  /** Lets the group go; {@code ep} is null when it never had a vCenter. */
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
    errorStreak.remove(uid);
    foreignSeen.remove(uid);
    statusWritten.remove(uid);
    lastShown.remove(uid);
    events.forget(uid);
    return DeleteControl.defaultDelete();
  }

  private Observed observe(Endpoint ep, VmGroup group) {
    Placement p =
        ep.placement().resolve(group.getSpec() == null ? null : group.getSpec().getPlacement());
    String folderName = folderName(group);
    VcenterState vcenter = ep.state();
    Optional<MoRef> folder = vcenter.groupFolder(p, folderName);
    ep.scope().remember(group, folderName, folder.orElse(null));
    boolean live = !vcenter.covers(p) || vcenter.distrusts(group.getMetadata().getUid());
    return classify(
        group,
        p,
        folder,
        folder.map(f -> live ? vcenter.vmsInLive(f) : vcenter.vmsIn(f)).orElse(List.of()),
        live);
  }

  /**
   * @param live whether {@code all} was read from vCenter rather than the inventory
   */
  private static Observed classify(
      VmGroup group, Placement p, Optional<MoRef> folder, List<VmInfo> all, boolean live) {
    String uid = group.getMetadata().getUid();
    List<VmInfo> owned = all.stream().filter(vm -> Ownership.ownedBy(vm, uid)).toList();
    // A VM the change feed has announced but not yet described (no name, no extraConfig) is
    // usually our own clone of a moment ago: neither ours nor a stranger's until it is known.
    List<VmInfo> foreign =
        all.stream()
            .filter(vm -> !Ownership.ownedBy(vm, uid))
            .filter(vm -> vm.name() != null && !vm.name().isEmpty())
            .toList();
    int undescribed = all.size() - owned.size() - foreign.size();
    return new Observed(p, folder, owned, foreign, undescribed, live);
  }

  private ReplicaPlan.Desired desired(VmGroup group, boolean canClone) {
    VmGroupSpec spec = group.getSpec();
    long memoryMiB = spec.getMemory() * 1024L;
    return new ReplicaPlan.Desired(
        group.getMetadata().getName(),
        spec.getReplicas(),
        spec.getCpu(),
        memoryMiB,
        canClone,
        SpecHash.of(spec.getTemplate(), spec.effectiveCloneMode().name(), spec.getCpu(), memoryMiB),
        ReplicaPlan.Strategy.resolve(spec.getUpdateStrategy(), spec.getReplicas()));
  }

  /**
   * The VMs are found through their folder, so a group whose placement resolves somewhere else than
   * where its VMs were made (an edited spec.placement on an API server without the CRD's rule, or
   * changed operator defaults) would lose them; it changes nothing until that is undone.
   */
  private static Problem placementChanged(VmGroupStatus previous, Placement now) {
    boolean hadVms =
        (previous != null
                && previous.getCurrentReplicas() != null
                && previous.getCurrentReplicas() > 0)
            || (previous != null && !previous.getVms().isEmpty());
    if (!hadVms
        || previous.getPlacement() == null
        || previous.getPlacement().equals(now.describe())) {
      return null;
    }
    return new Problem(
        Problem.Reason.InvalidSpec,
        "placement changed from "
            + previous.getPlacement()
            + " to "
            + now.describe()
            + "; VMs are not moved: restore spec.placement (or the operator's settings), or"
            + " scale the group to 0 first");
  }

  private static boolean replicaNamed(VmGroup group, VmInfo vm) {
    return Naming.indexOf(group.getMetadata().getName(), vm.name()).isPresent();
  }

  /** VMs of the group's last look that this one lacks and that no task of ours deletes. */
  private Set<String> vanished(TaskTracker tracker, String uid, Observed seen) {
    Set<String> missing = new HashSet<>(lastShown.getOrDefault(uid, Set.of()));
    if (missing.isEmpty()) {
      return missing;
    }
    missing.removeAll(names(seen.owned()));
    missing.removeAll(tracker.inFlight(uid).keySet());
    missing.removeAll(tracker.settlingNames(uid));
    return missing;
  }

  private static Set<String> names(List<VmInfo> vms) {
    return vms.stream().map(VmInfo::name).collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  /**
   * Failures worth remembering: those of the group's VMs and of names new VMs may still get;
   * anything else is from before a scale-in and would only hold a name back.
   */
  private static Set<String> keptFailures(ReplicaPlan.Desired desired, Observed seen) {
    Set<String> kept = new HashSet<>(names(seen.owned()));
    int upTo = desired.replicas() + desired.strategy().maxSurge() + seen.foreign().size();
    IntStream.range(0, upTo).forEach(i -> kept.add(Naming.vmName(desired.groupName(), i)));
    return kept;
  }

  /**
   * VMs in the group's folder that the operator didn't create are never touched, and their names
   * are never given to new VMs; the user hears about them once each time the set changes.
   */
  private void reportForeign(VmGroup group, Observed seen) {
    Set<String> foreign = names(seen.foreign());
    String uid = group.getMetadata().getUid();
    Set<String> before =
        foreign.isEmpty() ? foreignSeen.remove(uid) : foreignSeen.put(uid, foreign);
    if (!foreign.isEmpty() && !foreign.equals(before)) {
      events.warning(
          group,
          "ForeignVms",
          "Observe",
          "folder '"
              + seen.placement().groupFolderPath(folderName(group))
              + "' holds VMs the operator didn't create; they are left alone and their names"
              + " are skipped: "
              + foreign);
    }
  }

  /** VMs the plan must leave alone this round. */
  private static Set<String> busy(TaskTracker tracker, String uid, Observed seen) {
    Set<String> busy = new HashSet<>(tracker.inFlight(uid).keySet());
    busy.addAll(tracker.backingOff(uid).keySet());
    busy.addAll(tracker.unsettled(uid, byName(seen.owned())));
    return busy;
  }

  /**
   * The observation, read from vCenter if the inventory still doesn't show the effect of a task
   * vCenter reported done over {@link TaskTracker#EFFECT_GRACE} ago: the feed lost a change (the
   * simulator loses those made while a feed is opened), and waiting for it would stall the group
   * until the safety net, then act on the stale state.
   */
  private Observed effectsShown(Endpoint ep, VmGroup group, Observed seen) {
    String uid = group.getMetadata().getUid();
    Set<String> late = ep.tracker().overdue(uid, byName(seen.owned()));
    if (seen.live() || late.isEmpty() || seen.folder().isEmpty()) {
      return seen;
    }
    ep.state().distrust(uid, "tasks on " + late + " ended, their effect is not in the inventory");
    return lookAgain(ep, group, seen, null);
  }

  private static Map<String, VmInfo> byName(List<VmInfo> vms) {
    return vms.stream().collect(Collectors.toMap(VmInfo::name, vm -> vm, (a, b) -> a));
  }

  /**
   * The group's VMs as vCenter has them now. Where they differ from what the inventory showed, on
   * VMs without a task of ours in flight or just ended (whose changes may well be on their way),
   * the feed lost a change: the group is read from vCenter until the feed is rebuilt.
   *
   * @param what what a difference is about, for the log; null when the caller distrusted already
   */
  private Observed lookAgain(Endpoint ep, VmGroup group, Observed cached, String what) {
    VcenterState vcenter = ep.state();
    Observed live = readLive(vcenter, group, cached);
    if (what != null) {
      String uid = group.getMetadata().getUid();
      Set<String> expected = new HashSet<>(ep.tracker().inFlight(uid).keySet());
      expected.addAll(ep.tracker().settlingNames(uid));
      Set<String> differ = differing(cached, live);
      differ.removeAll(expected);
      if (!differ.isEmpty()) {
        vcenter.distrust(uid, "vCenter contradicts the inventory about " + what + ": " + differ);
      }
    }
    return live;
  }

  /**
   * The same look, made at vCenter itself rather than the inventory. A folder the inventory lacks
   * is looked up there as well: a group whose last look showed VMs may find neither them nor their
   * folder after vCenter came back from a backup, and the inventory may just be behind.
   */
  private static Observed readLive(VcenterState vcenter, VmGroup group, Observed seen) {
    Optional<MoRef> folder = seen.folder();
    if (folder.isEmpty()) {
      String name = folderName(group);
      folder = vcenter.groupFolderLive(seen.placement(), name);
      folder.ifPresent(
          f -> {
            vcenter.folderMade(seen.placement(), name, f);
            vcenter.contradicted("the inventory has no folder for group " + name);
          });
    }
    return classify(
        group, seen.placement(), folder, folder.map(vcenter::vmsInLive).orElse(List.of()), true);
  }

  /** Names of the VMs whose identity, ownership, power state or size differ between two looks. */
  private static Set<String> differing(Observed a, Observed b) {
    Map<MoRef, String> first = fingerprints(a);
    Map<MoRef, String> second = fingerprints(b);
    Set<String> differ = new java.util.TreeSet<>();
    for (Map<MoRef, String> m : List.of(first, second)) {
      Map<MoRef, String> other = m == first ? second : first;
      m.forEach(
          (ref, f) -> {
            if (!f.equals(other.get(ref))) {
              differ.add(f.substring(0, f.indexOf('|')));
            }
          });
    }
    return differ;
  }

  private static Map<MoRef, String> fingerprints(Observed seen) {
    Map<MoRef, String> f = new HashMap<>();
    seen.owned().forEach(vm -> f.put(vm.ref(), fingerprint(vm, true)));
    seen.foreign().forEach(vm -> f.put(vm.ref(), fingerprint(vm, false)));
    return f;
  }

  private static String fingerprint(VmInfo vm, boolean owned) {
    return vm.name()
        + "|"
        + owned
        + "|"
        + vm.powerState()
        + "|"
        + vm.cpu()
        + "|"
        + vm.memoryMiB()
        + "|"
        + vm.extraConfig().get(Ownership.SOURCE_HASH);
  }

  private static int readyCount(ReplicaPlan.Desired desired, Observed seen) {
    return (int) seen.owned().stream().filter(vm -> ReplicaPlan.ready(vm, desired)).count();
  }

  /** When to look again if no event comes first. */
  private Duration nextCheck(
      TaskTracker tracker,
      String uid,
      Acted acted,
      int inFlight,
      Problem groupProblem,
      boolean converged,
      boolean changeFed) {
    if (acted.deferred() > 0) {
      // The tracker wakes the group when a slot frees; this is only a safety net.
      return settings.taskPollInterval().multipliedBy(4);
    }
    if (inFlight > 0 || !acted.started().isEmpty()) {
      // With the change feed in sync, each task's end arrives as an event; the timer only
      // covers a feed that breaks meanwhile.
      return changeFed ? TASK_SAFETY_NET : settings.taskPollInterval();
    }
    if (groupProblem != null) {
      return PROBLEM_RETRY;
    }
    if (tracker.lastFailure(uid).isPresent()) {
      return untilRetry(tracker.backingOff(uid));
    }
    if (!converged) {
      return settings.taskPollInterval();
    }
    // Outside the change feed's folder only a look at vCenter notices drift.
    return changeFed ? settings.resyncInterval() : min(settings.resyncInterval(), UNFED_RESYNC);
  }

  /**
   * Looking the template up costs vCenter calls, so a group whose VMs all exist and come from the
   * spec's template and clone mode skips it, unless the spec changed since the last status or the
   * group is degraded (e.g. the template was the last problem).
   */
  private static boolean needsTemplate(VmGroup group, Observed seen) {
    VmGroupStatus status = group.getStatus();
    long generation = Optional.ofNullable(group.getMetadata().getGeneration()).orElse(0L);
    if (status == null || !Long.valueOf(generation).equals(status.getObservedGeneration())) {
      return true;
    }
    var degraded = StatusBuilder.find(status.getConditions(), StatusBuilder.DEGRADED);
    if (degraded != null && "True".equals(degraded.getStatus())) {
      return true;
    }
    VmGroupSpec spec = group.getSpec();
    SpecHash hash =
        SpecHash.of(
            spec.getTemplate(),
            spec.effectiveCloneMode().name(),
            spec.getCpu(),
            spec.getMemory() * 1024L);
    return seen.owned().size() < spec.getReplicas()
        || seen.owned().stream().anyMatch(vm -> !hash.sameSource(vm));
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
   * @param quotaRefused why the namespace's quota held actions back, or null
   */
  private record Acted(List<Action> started, int deferred, Problem quotaRefused) {}

  private Acted act(
      Endpoint ep,
      VmGroup group,
      List<Action> actions,
      Observed seen,
      TemplateResolver.Result template) {
    String uid = group.getMetadata().getUid();
    String namespace = group.getMetadata().getNamespace();
    TaskTracker tracker = ep.tracker();
    List<Action> started = new ArrayList<>();
    int deferred = 0;
    Problem quotaRefused = null;
    List<TaskRef> startedTasks = new ArrayList<>();
    MoRef folder = seen.folder().orElse(null);
    VCenterQuota quota = spec(ep).map(s -> s.quotaFor(namespace)).orElse(null);
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
          folder = ensureFolder(ep, seen.placement(), folderName(group));
        }
        TaskRef task = start(ep.client(), group, action, seen.placement(), folder, template);
        if (action instanceof Action.Clone) {
          ep.ledger().cloning(uid, action.target(), more);
        }
        tracker.started(uid, action, task);
        ep.state().started(group, task);
        started.add(action);
        startedTasks.add(task);
        events.step(group, verb(action), "vCenter", describe(action));
      } catch (VsphereException e) {
        tracker.release();
        if (e instanceof VsphereException.InvalidLogin || e instanceof VsphereException.Transport) {
          throw e;
        }
        failed(ep, group, action, e);
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

  private TaskRef start(
      VsphereClient client,
      VmGroup group,
      Action action,
      Placement p,
      MoRef folder,
      TemplateResolver.Result template) {
    if (action instanceof Action.Clone c && template instanceof TemplateResolver.Found t) {
      ReplicaPlan.Desired desired = desired(group, true);
      return client.cloneVm(
          new CloneRequest(
              t.ref(),
              folder,
              p.resourcePool(),
              p.datastore(),
              c.target(),
              desired.cpu(),
              desired.memoryMiB(),
              Ownership.markers(
                  group.getMetadata().getUid(),
                  group.getMetadata().getNamespace(),
                  group.getMetadata().getName(),
                  c.index(),
                  desired.hash()),
              t.linkedSnapshot(),
              true));
    } else if (action instanceof Action.Reconfigure r) {
      return client.reconfigureVm(
          r.vm().ref(),
          r.cpu(),
          r.memoryMiB(),
          r.specHash() == null ? Map.of() : Map.of(Ownership.SPEC_HASH, r.specHash()));
    } else if (action instanceof Action.PowerOn on) {
      return client.powerOnVm(on.vm().ref());
    } else if (action instanceof Action.PowerOff off) {
      return client.powerOffVm(off.vm().ref());
    } else if (action instanceof Action.Destroy d) {
      return client.destroy(d.vm().ref());
    } else if (action instanceof Action.DestroyFolder f) {
      return client.destroy(f.folder());
    } else if (action instanceof Action.Release r) {
      Map<String, String> cleared = new java.util.HashMap<>();
      r.vm().extraConfig().keySet().forEach(k -> cleared.put(k, ""));
      return client.setExtraConfig(r.vm().ref(), cleared);
    }
    throw new IllegalArgumentException("unknown action " + action);
  }

  private static boolean folderDestroyed(TaskTracker.Finished f) {
    return f.task().action() instanceof Action.DestroyFolder
        && f.info().state() == TaskInfo.State.SUCCESS;
  }

  /** Turns finished tasks into events and, for failures, into a backoff of that VM. */
  private void report(Endpoint ep, VmGroup group, List<TaskTracker.Finished> finished) {
    ep.state().finished(finished.stream().map(f -> f.task().task()).toList());
    TaskTracker tracker = ep.tracker();
    String uid = group.getMetadata().getUid();
    for (TaskTracker.Finished f : finished) {
      Action action = f.task().action();
      if (f.info().state() == TaskInfo.State.SUCCESS) {
        tracker.settling(uid, action, clock.instant().plus(TASK_SAFETY_NET));
        continue;
      }
      if (f.info().state() == TaskInfo.State.ERROR) {
        failed(
            ep,
            group,
            action,
            f.info().error() != null
                ? f.info().error()
                : new VsphereException("Unknown", "task failed without a fault", false));
      }
    }
  }

  /**
   * One place decides what a failed action means, whether vCenter refused the call or the task
   * failed later: a name already taken, vCenter having changed under us, or a real failure that
   * backs the VM off and is reported.
   */
  private void failed(Endpoint ep, VmGroup group, Action action, VsphereException e) {
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
    }
    if (e instanceof VsphereException.DuplicateName && action instanceof Action.Clone) {
      // The name is taken in our folder: by our own VM the inventory hasn't shown yet (then a
      // full resync brings it), or by a foreign one (then the next observation says so).
      vcenter.contradicted("vCenter already has a VM named '" + action.target() + "'");
      tracker.settling(uid, action, clock.instant().plus(TASK_SAFETY_NET));
      return;
    }
    if (e instanceof VsphereException.ManagedObjectNotFound && !(action instanceof Action.Clone)) {
      // The inventory showed a VM (or folder) vCenter no longer has: the change feed missed its
      // removal. The simulator drops changes made while a feed is being opened, so after a feed
      // rebuilt during a mass deletion a group kept destroying a VM that was gone, forever. Such a
      // VM no longer counts (see VcenterState.gone); anything else is left alone until a full
      // resync brings the inventory back to vCenter's word.
      log.debug("{} of {}: {}", verb(action), action.target(), e.getMessage());
      MoRef vm = action.vm() == null ? null : action.vm().ref();
      if (vm != null && vm.equals(((VsphereException.ManagedObjectNotFound) e).object())) {
        vcenter.gone(vm);
      } else {
        vcenter.contradicted(
            "vCenter no longer has " + action.target() + ", which the inventory shows");
        tracker.settling(uid, action, clock.instant().plus(TASK_SAFETY_NET));
      }
      return;
    }
    if (e instanceof VsphereException.InvalidPowerState) {
      // Planned from a power state vCenter doesn't have: from a feed that lost a change, the
      // group asked again four times a second, each time for the same refusal.
      vcenter.distrust(
          uid, verb(action) + " of " + action.target() + " refused: " + e.getMessage());
    }
    if (e instanceof VsphereException.DuplicateName || benign(e)) {
      // The VM was already where the action wanted it, or changed under us: not a failure, the
      // next observation plans from what is there.
      log.debug("{} of {}: {}", verb(action), action.target(), e.getMessage());
      return;
    }
    Problem problem = failureOf(action, e);
    tracker.failed(uid, action.target(), problem);
    events.warning(group, problem.reason().name(), verb(action), problem.message());
  }

  /** Faults that mean "vCenter changed under us", not "this can't be done". */
  private static boolean benign(VsphereException e) {
    return e instanceof VsphereException.ManagedObjectNotFound
        || e instanceof VsphereException.InvalidPowerState
        || e instanceof VsphereException.TaskInProgress;
  }

  private static Problem failureOf(Action action, VsphereException e) {
    Problem.Reason reason =
        action instanceof Action.Clone ? Problem.Reason.CloneFailed : Problem.Reason.TaskFailed;
    return new Problem(
        reason,
        verb(action)
            + " '"
            + action.target()
            + "' failed: "
            + e.faultType()
            + ": "
            + e.getMessage());
  }

  /** What an action adds to the namespace's usage: a new VM, or a VM grown in place. */
  private static QuotaLedger.Usage growth(Action action, VmGroupSpec spec) {
    if (action instanceof Action.Clone) {
      return new QuotaLedger.Usage(1, spec.getCpu(), spec.getMemory() * 1024L);
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
  private static QuotaLedger.Usage usage(TaskTracker tracker, String uid, Observed seen) {
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
  private static void seedLedger(Endpoint ep, VmGroup group, Context<VmGroup> context) {
    String namespace = group.getMetadata().getNamespace();
    context
        .getPrimaryCache()
        .list(
            g ->
                namespace.equals(g.getMetadata().getNamespace())
                    && g.getStatus() != null
                    && ep.name().equals(recordedVcenter(g.getStatus()))
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
  private static Problem quotaExceeded(Endpoint ep, VmGroup group, String limit, Observed seen) {
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

  private static Problem classify(Endpoint ep, VsphereException e) {
    if (e instanceof VsphereException.InvalidLogin) {
      return new Problem(
          Problem.Reason.CredentialsRejected,
          "vCenter rejected the credentials ("
              + (ep.isOwn() ? "VC_USER/VC_PASS" : "the Secret of VCenter '" + ep.name() + "'")
              + "): "
              + e.getMessage());
    }
    String which = ep.isOwn() ? "vCenter" : "vCenter '" + ep.name() + "'";
    if (e instanceof VsphereException.Transport
        || e instanceof VsphereException.CertificateRejected) {
      return new Problem(
          Problem.Reason.VcenterUnreachable, which + " unreachable: " + e.getMessage());
    }
    return new Problem(
        Problem.Reason.VcenterError, which + " error " + e.faultType() + ": " + e.getMessage());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private Duration errorBackoff(String uid) {
    int streak = errorStreak.merge(uid, 1, Integer::sum);
    long millis = Math.min(1000L << Math.min(streak - 1, 6), MAX_ERROR_BACKOFF.toMillis());
    // Jitter spreads the retries of many groups hitting the same outage.
    return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
  }

  private Duration untilRetry(Map<String, TaskTracker.Failure> backingOff) {
    Instant now = clock.instant();
    return backingOff.values().stream()
        .map(f -> Duration.between(now, f.notBefore()))
        .min(Duration::compareTo)
        .map(d -> d.compareTo(Duration.ofMillis(200)) < 0 ? Duration.ofMillis(200) : d)
        .orElse(settings.taskPollInterval());
  }

  /** A status for a reconcile that couldn't look at vCenter: counts stay as last observed. */
  private static StatusBuilder.Observation unobserved(
      long generation, Integer desired, VmGroupStatus previous, Problem problem) {
    int current =
        previous != null && previous.getCurrentReplicas() != null
            ? previous.getCurrentReplicas()
            : 0;
    int ready =
        previous != null && previous.getReadyReplicas() != null ? previous.getReadyReplicas() : 0;
    int updated =
        previous != null && previous.getUpdatedReplicas() != null
            ? previous.getUpdatedReplicas()
            : ready;
    return new StatusBuilder.Observation(
        generation, desired, current, ready, updated, 0, 0, 0, null, problem, false, null);
  }

  private UpdateControl<VmGroup> patchIfChanged(
      VmGroup group,
      Context<VmGroup> context,
      StatusBuilder.Observation observation,
      Duration next) {
    return patchIfChanged(
        group, context, StatusBuilder.build(observation, group.getStatus(), clock.instant()), next);
  }

  /**
   * Writes the status only when it changed, as a JSON merge patch of the status subresource: a JSON
   * Patch computed against a cached copy misapplies or fails on lists (conditions, vms) once the
   * cache lags behind, a merge patch replaces them whole. The written status is cached, so the next
   * reconcile reads its own write. Progress alone is written at most once a second ({@link
   * StatusPacing}); the reconcile that holds it back runs again when it is due.
   */
  private UpdateControl<VmGroup> patchIfChanged(
      VmGroup group, Context<VmGroup> context, VmGroupStatus status, Duration next) {
    if (!status.equals(group.getStatus())) {
      String uid = group.getMetadata().getUid();
      Instant now = clock.instant();
      Duration hold = StatusPacing.hold(group.getStatus(), status, statusWritten.get(uid), now);
      if (hold != null) {
        next = next == null ? hold : min(next, hold);
      } else {
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
            group,
            context,
            g -> {
              g.setStatus(status);
              return g;
            });
        statusWritten.put(uid, now);
      }
    }
    UpdateControl<VmGroup> control = UpdateControl.noUpdate();
    return next == null ? control : control.rescheduleAfter(next);
  }

  static String folderName(VmGroup group) {
    return Naming.folderName(group.getMetadata().getNamespace(), group.getMetadata().getName());
  }

  private static String activity(java.util.Collection<TaskTracker.InFlight> running) {
    if (running.isEmpty()) {
      return null;
    }
    return running.stream()
            .map(f -> verb(f.action()).toLowerCase() + " " + f.target())
            .sorted()
            .limit(5)
            .collect(Collectors.joining(", "))
        + (running.size() > 5 ? " and " + (running.size() - 5) + " more" : "");
  }

  private static String verb(Action action) {
    return action.getClass().getSimpleName();
  }

  private static String describe(Action action) {
    return action.describe();
  }
}
