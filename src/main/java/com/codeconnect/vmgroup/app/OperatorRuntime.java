package com.codeconnect.vmgroup.app;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.controller.vcenter.VCenterReconciler;
import com.codeconnect.vmgroup.controller.vcenter.VCenterSettings;
import com.codeconnect.vmgroup.controller.vmgroup.VmGroupReconciler;
import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.FleetCounts;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.endpoint.Endpoints;
import com.codeconnect.vmgroup.endpoint.TaskTracker;
import com.codeconnect.vmgroup.endpoint.VcenterEventSource;
import com.codeconnect.vmgroup.observability.EventRecorder;
import com.codeconnect.vmgroup.observability.OperatorMetrics;
import com.codeconnect.vmgroup.vsphere.SessionState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.cache.Inventory;
import com.codeconnect.vmgroup.vsphere.soap.SoapClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * The running operator: JOSDK with the VmGroup reconciler, wired to one Kubernetes client and one
 * vCenter client. Main, the demo and the integration tests all start it the same way.
 */
public final class OperatorRuntime implements AutoCloseable {
  private final Operator operator;
  private final Endpoints endpoints;
  private final VmGroupReconciler reconciler;
  private final VCenterReconciler vcenters;
  private final EventRecorder events;

  private OperatorRuntime(
      Operator operator,
      Endpoints endpoints,
      VmGroupReconciler reconciler,
      VCenterReconciler vcenters,
      EventRecorder events) {
    this.operator = operator;
    this.endpoints = endpoints;
    this.reconciler = reconciler;
    this.vcenters = vcenters;
    this.events = events;
  }

  /**
   * Why the operator isn't ready, or null when it is: the informers have synced, the last login to
   * its own vCenter didn't fail and, with change notifications on, that inventory is in sync too
   * (which needs a working vCenter session). VCenter resources report their own health in their
   * status: one vCenter down must not take the operator out of its Service.
   */
  public String notReadyReason() {
    if (!operator.getRuntimeInfo().isStarted()) {
      return "operator not started";
    }
    if (!operator.getRuntimeInfo().allEventSourcesAreHealthy()) {
      return "Kubernetes informers not healthy";
    }
    Endpoint own = endpoints.own().orElse(null);
    if (own == null) {
      return null;
    }
    // Only a failed login counts: without change notifications nothing logs in until a group
    // needs vCenter, and an operator with no groups yet is ready.
    SessionState session = own.client().sessionState();
    if (session == SessionState.REJECTED || session == SessionState.LOGIN_FAILED) {
      return "no vCenter session: the last login failed (" + session.label() + ")";
    }
    if (own.watcher() != null && !own.watcher().inventory().synced()) {
      return "vCenter inventory not synced (no session or change feed yet)";
    }
    return null;
  }

  /** Reconciles run so far. */
  public long reconcileCount() {
    return reconciler.reconcileCount();
  }

  /** True once the own vCenter's change feed has delivered its full state (tests wait for it). */
  public boolean inventorySynced() {
    return endpoints
        .own()
        .map(e -> e.watcher() != null && e.watcher().inventory().synced())
        .orElse(false);
  }

  /**
   * True when the own vCenter's inventory is synced, no rebuild of its feed is pending and the feed
   * doesn't trail vCenter: what the operator knows is current (benchmarks wait for it).
   */
  public boolean inventoryCurrent() {
    return endpoints
        .own()
        .map(
            e ->
                e.watcher() != null
                    && e.watcher().inventory().synced()
                    && !e.watcher().resyncPending()
                    && !e.state().lagging())
        .orElse(false);
  }

  /** The vCenters groups can use now, by name (for tests). */
  public Endpoints endpoints() {
    return endpoints;
  }

  public static OperatorRuntime start(
      KubernetesClient kube, VsphereClient vcenter, OperatorSettings settings) {
    return start(kube, vcenter, settings, null);
  }

  /**
   * @param registry where JOSDK's reconcile metrics and the operator's own ({@link
   *     OperatorMetrics}) go, or null for none
   */
  public static OperatorRuntime start(
      KubernetesClient kube,
      VsphereClient vcenter,
      OperatorSettings settings,
      MeterRegistry registry) {
    return start(kube, vcenter, settings, registry, null);
  }

  /**
   * @param vcenterResources settings of the VCenter controller, or null to run without it (the
   *     VCenter CRD then need not be installed)
   */
  public static OperatorRuntime start(
      KubernetesClient kube,
      VsphereClient vcenter,
      OperatorSettings settings,
      MeterRegistry registry,
      VCenterSettings vcenterResources) {
    Clock clock = Clock.systemUTC();
    OperatorMetrics metrics = registry == null ? null : new OperatorMetrics(registry);
    EventRecorder events =
        new EventRecorder(
            kube, clock, "vmgroup-operator-" + UUID.randomUUID().toString().substring(0, 8));
    if (metrics != null) {
      events.listener(eventCounter(metrics));
    }
    VcenterEventSource eventSource = new VcenterEventSource();
    Endpoints endpoints = new Endpoints(settings, eventSource, clock);
    if (metrics != null) {
      // before an endpoint's first task, so every task is counted
      endpoints.onAdded(e -> e.tracker().listener(taskCounter(metrics)));
    }
    if (vcenter != null) {
      endpoints.own(vcenter);
    }
    VmGroupReconciler reconciler =
        new VmGroupReconciler(
            endpoints,
            eventSource,
            events,
            settings,
            clock,
            vcenterResources != null,
            VmGroupReconciler.secretsOf(kube));
    // Server-side apply is off for the primary resource: merge patches work on every API server,
    // including the mock the tests use, so production and tests take the same path.
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(kube)
                  .withConcurrentReconciliationThreads(settings.reconcileThreads())
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false);
              if (registry != null) {
                o.withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              }
              if (settings.leaderElection() != null) {
                OperatorSettings.LeaderElection le = settings.leaderElection();
                o.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(le.leaseName())
                        .withLeaseNamespace(le.leaseNamespace())
                        .withLeaseDuration(le.leaseDuration())
                        .withRenewDeadline(le.renewDeadline())
                        .withRetryPeriod(le.retryPeriod())
                        .withExitOnStopLeading(le.exitOnLoss())
                        .build());
              }
            });
    RegisteredController<VmGroup> registered =
        operator.register(
            reconciler,
            c -> {
              c.withRetry(unexpectedErrorRetry());
              if (!settings.namespaces().isEmpty()) {
                c.settingNamespaces(settings.namespaces());
              }
              if (settings.labelSelector() != null) {
                c.withLabelSelector(settings.labelSelector());
              }
            });
    if (metrics != null) {
      bindGauges(metrics, endpoints, registered);
    }
    VCenterReconciler vcenters = null;
    if (vcenterResources != null) {
      vcenters =
          new VCenterReconciler(
              vcenterResources, new SoapClients(), endpoints, settings.namespaces(), events, clock);
      operator.register(vcenters, c -> c.withRetry(unexpectedErrorRetry()));
    }
    operator.start();
    return new OperatorRuntime(operator, endpoints, reconciler, vcenters, events);
  }

  /**
   * How JOSDK retries a reconcile that threw (the reconcilers turn vCenter's faults into status and
   * their own requeues, so this is an API server that failed a write, or a bug): for as long as it
   * lasts, at most a minute apart. JOSDK's default gives up after five tries, about 25 s; a group
   * whose reconcile threw after a vCenter restart then stayed stuck with its VMs gone until someone
   * edited it.
   */
  static GenericRetry unexpectedErrorRetry() {
    return new GenericRetry()
        .withoutMaxAttempts()
        .setInitialInterval(1_000)
        .setIntervalMultiplier(2)
        .setMaxInterval(60_000);
  }

  private static TaskTracker.Listener taskCounter(OperatorMetrics metrics) {
    return new TaskTracker.Listener() {
      @Override
      public void started(Action action) {
        metrics.taskStarted(kind(action));
      }

      @Override
      public void finished(Action action, TaskInfo info) {
        if (info.state() == TaskInfo.State.ERROR) {
          VsphereException error = info.error();
          metrics.taskFailed(kind(action), error == null ? null : error.faultType());
        }
      }
    };
  }

  private static EventRecorder.Listener eventCounter(OperatorMetrics metrics) {
    return new EventRecorder.Listener() {
      @Override
      public void refused(String kind) {
        metrics.eventRefused(kind);
      }

      @Override
      public void dropped() {
        metrics.eventDropped();
      }
    };
  }

  private static String kind(Action action) {
    return action.getClass().getSimpleName();
  }

  /**
   * Gauges over what the operator already holds in memory: each vCenter's tracker, session and
   * change-fed inventory, and the informer cache of VmGroups. A scrape makes no remote call.
   */
  private static void bindGauges(
      OperatorMetrics metrics, Endpoints endpoints, RegisteredController<VmGroup> registered) {
    metrics.groups(() -> FleetCounts.byReadiness(cachedGroups(registered)));
    java.util.function.Consumer<Endpoint> bind =
        e -> {
          String name = e.name();
          metrics.tasksRunning(name, e.tracker()::running).session(name, e.client()::sessionState);
          if (e.watcher() != null) {
            Inventory inventory = e.watcher().inventory();
            metrics.inventorySynced(name, inventory::synced);
            // Unsynced, the inventory may be half rebuilt: keep the last full count instead.
            metrics.managedVms(
                name,
                () ->
                    inventory.synced()
                        ? FleetCounts.managedVmsByPowerState(
                            cachedGroups(registered), inventory.vms())
                        : null);
          }
        };
    endpoints.all().forEach(bind);
    endpoints.onRemoved(e -> metrics.forgetVcenter(e.name()));
    endpoints.onAdded(
        e -> {
          e.tracker().listener(taskCounter(metrics));
          metrics.forgetVcenter(e.name());
          bind.accept(e);
        });
  }

  /** The VmGroups in the controller's informer cache; empty before the informer has started. */
  private static List<VmGroup> cachedGroups(RegisteredController<VmGroup> registered) {
    if (!(registered instanceof Controller<VmGroup> controller)) {
      return List.of();
    }
    try {
      return controller.getEventSourceManager().getControllerEventSource().list(g -> true).toList();
    } catch (RuntimeException notStartedYet) {
      return List.of();
    }
  }

  /** Tasks in flight across all groups and vCenters (for tests and metrics). */
  public int tasksInFlight() {
    return endpoints.all().stream().mapToInt(e -> e.tracker().inUse()).sum();
  }

  @Override
  public void close() {
    operator.stop();
    if (vcenters != null) {
      vcenters.close();
    }
    endpoints.close();
    // after the reconciles stopped, so their last Events are written (or given up on) here
    events.close();
  }
}
