package com.codeconnect.vmgroup.operator;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.observability.OperatorMetrics;
import com.codeconnect.vmgroup.vcenter.VCenterReconciler;
import com.codeconnect.vmgroup.vcenter.VCenterSettings;
import com.codeconnect.vmgroup.vsphere.SessionState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.cache.Inventory;
import com.codeconnect.vmgroup.vsphere.cache.InventoryWatcher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.Controller;
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
  private final TaskTracker tracker;

  private final InventoryWatcher watcher;

  private final VmGroupReconciler reconciler;

  private final VsphereClient vcenter;
  private final VCenterReconciler vcenters;

  private OperatorRuntime(
      Operator operator,
      TaskTracker tracker,
      InventoryWatcher watcher,
      VmGroupReconciler reconciler,
      VsphereClient vcenter,
      VCenterReconciler vcenters) {
    this.operator = operator;
    this.tracker = tracker;
    this.watcher = watcher;
    this.reconciler = reconciler;
    this.vcenter = vcenter;
    this.vcenters = vcenters;
  }

  /**
   * Why the operator isn't ready, or null when it is: the informers have synced, the last vCenter
   * login didn't fail and, with change notifications on, the inventory is in sync too (which needs
   * a working vCenter session).
   */
  public String notReadyReason() {
    if (!operator.getRuntimeInfo().isStarted()) {
      return "operator not started";
    }
    if (!operator.getRuntimeInfo().allEventSourcesAreHealthy()) {
      return "Kubernetes informers not healthy";
    }
    // Only a failed login counts: without change notifications nothing logs in until a group
    // needs vCenter, and an operator with no groups yet is ready.
    SessionState session = vcenter.sessionState();
    if (session == SessionState.REJECTED || session == SessionState.LOGIN_FAILED) {
      return "no vCenter session: the last login failed (" + session.label() + ")";
    }
    if (watcher != null && !watcher.inventory().synced()) {
      return "vCenter inventory not synced (no session or change feed yet)";
    }
    return null;
  }

  /** Reconciles run so far. */
  public long reconcileCount() {
    return reconciler.reconcileCount();
  }

  /** True once the change feed has delivered vCenter's full state (tests wait for it). */
  public boolean inventorySynced() {
    return watcher != null && watcher.inventory().synced();
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
    TaskTracker tracker = new TaskTracker(settings.taskBudget(), clock);
    OperatorMetrics metrics = registry == null ? null : new OperatorMetrics(registry);
    if (metrics != null) {
      // before the first reconcile, so every task is counted
      tracker.listener(taskCounter(metrics));
    }
    EventRecorder events =
        new EventRecorder(
            kube, clock, "vmgroup-operator-" + UUID.randomUUID().toString().substring(0, 8));
    PlacementResolver placement = new PlacementResolver(vcenter, settings);
    VcenterEventSource eventSource = new VcenterEventSource();
    tracker.onSlotFreed(eventSource::wake);
    eventSource.onTaskEnded(tracker::ended);
    InventoryWatcher watcher =
        settings.changeNotifications()
            ? new InventoryWatcher(
                vcenter,
                () -> placement.withRoot(placement.resolve()).rootFolder(),
                new Inventory(),
                eventSource,
                settings.fullResyncInterval(),
                clock)
            : null;
    VmGroupReconciler reconciler =
        new VmGroupReconciler(
            vcenter, placement, watcher, eventSource, tracker, events, settings, clock);
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
              if (!settings.namespaces().isEmpty()) {
                c.settingNamespaces(settings.namespaces());
              }
              if (settings.labelSelector() != null) {
                c.withLabelSelector(settings.labelSelector());
              }
            });
    if (metrics != null) {
      bindGauges(metrics, tracker, vcenter, watcher, registered);
    }
    VCenterReconciler vcenters = null;
    if (vcenterResources != null) {
      vcenters =
          new VCenterReconciler(
              vcenterResources,
              new EventRecorder(
                  kube,
                  clock,
                  "vmgroup-operator-" + UUID.randomUUID().toString().substring(0, 8),
                  vcenterResources.namespace()),
              clock);
      operator.register(vcenters);
    }
    operator.start();
    if (watcher != null) {
      watcher.start();
    }
    return new OperatorRuntime(operator, tracker, watcher, reconciler, vcenter, vcenters);
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

  private static String kind(Action action) {
    return action.getClass().getSimpleName();
  }

  /**
   * Gauges over what the operator already holds in memory: the tracker, the client's session, the
   * informer cache of VmGroups and the change-fed inventory. A scrape makes no remote call.
   */
  private static void bindGauges(
      OperatorMetrics metrics,
      TaskTracker tracker,
      VsphereClient vcenter,
      InventoryWatcher watcher,
      RegisteredController<VmGroup> registered) {
    metrics.tasksRunning(tracker::running).session(vcenter::sessionState);
    metrics.groups(() -> FleetCounts.byReadiness(cachedGroups(registered)));
    if (watcher != null) {
      Inventory inventory = watcher.inventory();
      metrics.inventorySynced(inventory::synced);
      // Unsynced, the inventory may be half rebuilt: keep the last full count instead.
      metrics.managedVms(
          () ->
              inventory.synced()
                  ? FleetCounts.managedVmsByPowerState(cachedGroups(registered), inventory.vms())
                  : null);
    }
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

  /** Tasks in flight across all groups (for tests and metrics). */
  public int tasksInFlight() {
    return tracker.inUse();
  }

  @Override
  public void close() {
    operator.stop();
    if (watcher != null) {
      watcher.close();
    }
    if (vcenters != null) {
      vcenters.close();
    }
  }
}
