package com.codeconnect.vmgroup.operator;

import com.codeconnect.vmgroup.vcenter.VCenterReconciler;
import com.codeconnect.vmgroup.vcenter.VCenterSettings;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.cache.Inventory;
import com.codeconnect.vmgroup.vsphere.cache.InventoryWatcher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.time.Clock;
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

  private final VCenterReconciler vcenters;

  private OperatorRuntime(
      Operator operator,
      TaskTracker tracker,
      InventoryWatcher watcher,
      VmGroupReconciler reconciler,
      VCenterReconciler vcenters) {
    this.operator = operator;
    this.tracker = tracker;
    this.watcher = watcher;
    this.reconciler = reconciler;
    this.vcenters = vcenters;
  }

  /**
   * Why the operator isn't ready, or null when it is: the informers have synced and, with change
   * notifications on, the inventory too (which needs a working vCenter session).
   */
  public String notReadyReason() {
    if (!operator.getRuntimeInfo().isStarted()) {
      return "operator not started";
    }
    if (!operator.getRuntimeInfo().allEventSourcesAreHealthy()) {
      return "Kubernetes informers not healthy";
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
   * @param metrics where JOSDK reports reconciles (e.g. Micrometer), or null for none
   */
  public static OperatorRuntime start(
      KubernetesClient kube,
      VsphereClient vcenter,
      OperatorSettings settings,
      io.javaoperatorsdk.operator.api.monitoring.Metrics metrics) {
    return start(kube, vcenter, settings, metrics, null);
  }

  /**
   * @param vcenterResources settings of the VCenter controller, or null to run without it (the
   *     VCenter CRD then need not be installed)
   */
  public static OperatorRuntime start(
      KubernetesClient kube,
      VsphereClient vcenter,
      OperatorSettings settings,
      io.javaoperatorsdk.operator.api.monitoring.Metrics metrics,
      VCenterSettings vcenterResources) {
    Clock clock = Clock.systemUTC();
    TaskTracker tracker = new TaskTracker(settings.taskBudget(), clock);
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
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false);
              if (metrics != null) {
                o.withMetrics(metrics);
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
    return new OperatorRuntime(operator, tracker, watcher, reconciler, vcenters);
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
