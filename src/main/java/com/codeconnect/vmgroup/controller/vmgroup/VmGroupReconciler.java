package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.decision.Faults;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.decision.SpecValidator;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.endpoint.Endpoints;
import com.codeconnect.vmgroup.endpoint.PlacementResolver.PlacementException;
import com.codeconnect.vmgroup.endpoint.VcenterEventSource;
import com.codeconnect.vmgroup.observability.EventSink;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps one VmGroup's VMs in vCenter as declared. A reconcile is six steps, each in a class of its
 * own: validate ({@link SpecValidator}) → choose the vCenter ({@link TargetResolver}) → observe
 * ({@link GroupObserver}) → plan ({@link GroupPlanner}) → act ({@link ActionRunner}) → status
 * ({@link GroupReport}, {@link StatusWriter}), with {@link RequeuePolicy} deciding when to look
 * again. Nothing waits for a vCenter task. Deletion is {@link GroupCleanup}'s.
 */
@ControllerConfiguration(name = VmGroupReconciler.NAME)
public class VmGroupReconciler implements Reconciler<VmGroup>, Cleaner<VmGroup> {
  public static final String NAME = "vmgroup";

  private final VcenterEventSource eventSource;
  private final EventSink events;
  private final OperatorSettings settings;
  private final Clock clock;
  private final boolean vcenterResources;
  private final GroupMemory.Memories memories = new GroupMemory.Memories();
  private final TargetResolver targets;
  private final GroupObserver observer;
  private final BootstrapSource bootstraps;
  private final GroupPlanner planner;
  private final ActionRunner runner;
  private final RequeuePolicy requeue;
  private final RuleKeeper rules;
  private final MetadataKeeper metadata;
  private final StatusWriter status;
  private final GroupCleanup cleanup;
  private final AtomicLong reconciles = new AtomicLong();

  /**
   * @param vcenterResources also use VCenter resources (their CRD must be installed), not only the
   *     operator's own vCenter
   * @param secrets reads the Secrets groups name for their bootstrap ({@link #secretsOf})
   */
  public VmGroupReconciler(
      Endpoints endpoints,
      VcenterEventSource eventSource,
      EventSink events,
      OperatorSettings settings,
      Clock clock,
      boolean vcenterResources,
      BootstrapSource.SecretReader secrets) {
    this.eventSource = eventSource;
    this.events = events;
    this.settings = settings;
    this.clock = clock;
    this.vcenterResources = vcenterResources;
    this.targets = new TargetResolver(endpoints);
    this.bootstraps = new BootstrapSource(secrets, clock);
    this.observer = new GroupObserver(events, targets::spec);
    this.planner = new GroupPlanner(observer, clock);
    this.runner = new ActionRunner(events, clock, targets::spec);
    this.requeue = new RequeuePolicy(settings, clock);
    this.status = new StatusWriter(clock);
    this.rules = new RuleKeeper(events, clock);
    this.metadata = new MetadataKeeper(clock, settings.fullResyncInterval());
    this.cleanup =
        new GroupCleanup(
            endpoints, targets, observer, runner, rules, requeue, memories, eventSource, events);
  }

  @Override
  public List<EventSource<?, VmGroup>> prepareEventSources(EventSourceContext<VmGroup> context) {
    List<EventSource<?, VmGroup>> sources = new ArrayList<>(List.of(eventSource));
    if (vcenterResources) {
      sources.addAll(targets.eventSources(context));
    }
    return sources;
  }

  @Override
  public UpdateControl<VmGroup> reconcile(VmGroup group, Context<VmGroup> context) {
    reconciles.incrementAndGet();
    eventSource.remember(group);
    GroupMemory memory = memories.of(group.getMetadata().getUid());
    List<String> invalid = SpecValidator.validateGroup(group, settings.maxReplicas());
    if (!invalid.isEmpty()) {
      // No vCenter call for a spec we can't act on; an edit of the spec brings us back.
      Problem problem =
          new Problem(Problem.Reason.InvalidSpec, "invalid spec: " + String.join("; ", invalid));
      return stopped(group, context, memory, new GroupStopped(problem, "Validate", null), null);
    }
    BootstrapSource.Bootstrap bootstrap;
    try {
      bootstrap = bootstraps.resolve(group);
    } catch (GroupStopped stop) {
      return stopped(group, context, memory, stop);
    }
    TargetResolver.Target target = targets.resolve(group);
    if (target.quiet()) {
      return UpdateControl.<VmGroup>noUpdate().rescheduleAfter(target.retry());
    }
    if (target.problem() != null) {
      return stopped(group, context, memory, stop(target.problem(), "Resolve", target.retry()));
    }
    Endpoint ep = target.endpoint();
    try {
      runner.collect(ep, group, memory);
      Observation seen =
          observer.observe(ep, group, memory, bootstrap, () -> context.getPrimaryCache().list());
      GroupPlanner.Planned planned = planner.plan(ep, group, seen, memory, bootstrap);
      ActionRunner.Acted acted =
          runner.act(ep, group, planned, () -> context.getPrimaryCache().list());
      Problem spread = rules.keep(ep, group, planned.seen(), memory);
      Problem tagging = metadata.keep(ep, group, planned.seen(), acted, memory);
      memory.succeeded();
      ep.reachable();
      GroupReport report =
          GroupReport.of(
              group, ep, planned, acted, spread != null ? spread : tagging, clock.instant());
      announce(group, planned.health().problem());
      Duration next =
          requeue.until(
              requeue.next(
                  ep.tracker(),
                  group.getMetadata().getUid(),
                  acted,
                  report.groupProblem(),
                  report.converged(),
                  ep.state().covers(planned.seen().placement())),
              planned.health().recheckAt());
      return status.write(group, context, report.status(), memory, next);
    } catch (GroupStopped stop) {
      return stopped(group, context, memory, stop);
    } catch (PlacementException e) {
      Problem problem = new Problem(Problem.Reason.PlacementFailed, e.getMessage());
      return stopped(group, context, memory, stop(problem, "Resolve", RequeuePolicy.PROBLEM_RETRY));
    } catch (VsphereException e) {
      if (e instanceof VsphereException.Transport) {
        ep.unreachable(e.getMessage());
      }
      // While the credentials are refused the client doesn't even try them again (its own
      // backoff), so a short, flat retry costs nothing and notices a rotated password quickly.
      Duration retry =
          e instanceof VsphereException.InvalidLogin
              ? RequeuePolicy.CREDENTIALS_RETRY
              : requeue.afterError(memory);
      Problem problem = Faults.ofReconcile(ep.isOwn(), ep.name(), e);
      return stopped(group, context, memory, stop(problem, "Reconcile", retry));
    } finally {
      ep.probed();
    }
  }

  /**
   * A Warning Event when healing's brake or a stopped rollout begins; not again while it holds, as
   * the group is looked at on every change of its VMs' guests.
   */
  private void announce(VmGroup group, Problem problem) {
    if (problem == null) {
      return;
    }
    Condition degraded =
        group.getStatus() == null
            ? null
            : StatusBuilder.find(group.getStatus().getConditions(), StatusBuilder.DEGRADED);
    if (degraded == null || !problem.reason().name().equals(degraded.getReason())) {
      events.warning(group, problem.reason().name(), "Heal", problem.message());
    }
  }

  private static GroupStopped stop(Problem problem, String step, Duration retry) {
    return new GroupStopped(problem, step, retry);
  }

  /** Reports why the group stopped (a Warning Event, the status) without touching vCenter. */
  private UpdateControl<VmGroup> stopped(
      VmGroup group, Context<VmGroup> context, GroupMemory memory, GroupStopped stop) {
    return stopped(group, context, memory, stop, group.getSpec().getReplicas());
  }

  private UpdateControl<VmGroup> stopped(
      VmGroup group,
      Context<VmGroup> context,
      GroupMemory memory,
      GroupStopped stop,
      Integer desired) {
    Problem problem = stop.problem();
    events.warning(group, problem.reason().name(), stop.step(), problem.message());
    return status.unobserved(group, context, desired, problem, memory, stop.retry());
  }

  @Override
  public DeleteControl cleanup(VmGroup group, Context<VmGroup> context) {
    return cleanup.cleanup(group);
  }

  /** Reads bootstrap Secrets through the Kubernetes API, by name. */
  public static BootstrapSource.SecretReader secretsOf(
      io.fabric8.kubernetes.client.KubernetesClient kube) {
    return BootstrapSource.reading(kube);
  }

  /** Reconciles run so far (for tests and metrics). */
  public long reconcileCount() {
    return reconciles.get();
  }
}
