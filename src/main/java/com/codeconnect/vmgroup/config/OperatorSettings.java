package com.codeconnect.vmgroup.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Operator-wide behaviour, independent of how it was configured (flags, environment, tests).
 *
 * @param datacenter datacenter name, or null to use the only one
 * @param resourcePool resource pool inventory path or name, or null to use the only one
 * @param rootFolder folder under the datacenter's VM folder that holds the group folders
 * @param namespaces namespaces to watch; empty means all
 * @param maxReplicas largest spec.replicas accepted, so a typo can't clone thousands of VMs
 * @param taskBudget vCenter tasks in flight at once, across all groups
 * @param resyncInterval how often an in-sync group is checked against vCenter
 * @param taskPollInterval how soon a group with tasks in flight looks at them again, when no change
 *     notification will tell
 * @param changeNotifications keep an inventory through vCenter's change notifications (else every
 *     reconcile asks vCenter)
 * @param fullResyncInterval how often the change feed is rebuilt from a full state anyway, and how
 *     often a group's tag associations (which no feed reports) are read again
 * @param leaderElection leader election on a Lease, or null for a single instance
 * @param labelSelector only VmGroups matching this label selector, or null for all (sharding:
 *     several operator deployments can split one cluster)
 * @param datastore datastore name or path for new VMs, or null for the template's
 * @param reconcileThreads reconciles running at once (JOSDK's pool). A reconcile never waits for a
 *     task, only for single vCenter calls, so a few threads keep up with the task budget; each one
 *     costs memory for good once it exists
 */
public record OperatorSettings(
    String datacenter,
    String resourcePool,
    String rootFolder,
    Set<String> namespaces,
    int maxReplicas,
    int taskBudget,
    Duration resyncInterval,
    Duration taskPollInterval,
    boolean changeNotifications,
    Duration fullResyncInterval,
    LeaderElection leaderElection,
    String labelSelector,
    String datastore,
    int reconcileThreads) {

  /**
   * Only the holder of the Lease reconciles; the others wait, warm, to take over.
   *
   * @param exitOnLoss end the process when the lease is lost (in a pod: the kubelet restarts it,
   *     and a restarted instance can't act on stale state); tests keep the JVM
   */
  public record LeaderElection(
      String leaseName,
      String leaseNamespace,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod,
      boolean exitOnLoss) {
    /** Kubernetes' own controllers use these durations. */
    public static LeaderElection standard(String namespace) {
      return new LeaderElection(
          "vmgroup-operator",
          namespace,
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          Duration.ofSeconds(2),
          true);
    }
  }

  public static final String DEFAULT_ROOT_FOLDER = "vm-operator";

  /**
   * JOSDK's default is 50. Measured at 300 managed VMs (docs/operations.md): 10 converged as fast
   * and the process used about 10 MiB less.
   */
  public static final int DEFAULT_RECONCILE_THREADS = 10;

  public OperatorSettings {
    Objects.requireNonNull(rootFolder, "rootFolder");
    namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
    if (maxReplicas < 0 || taskBudget < 1 || reconcileThreads < 1) {
      throw new IllegalArgumentException(
          "maxReplicas must be >= 0, taskBudget and reconcileThreads >= 1");
    }
  }

  public static OperatorSettings defaults() {
    return new OperatorSettings(
        null,
        null,
        DEFAULT_ROOT_FOLDER,
        Set.of(),
        100,
        8,
        Duration.ofSeconds(60),
        Duration.ofMillis(500),
        true,
        Duration.ofMinutes(10),
        null,
        null,
        null,
        DEFAULT_RECONCILE_THREADS);
  }

  public OperatorSettings withResyncInterval(Duration interval) {
    return with(b -> b.resyncInterval = interval);
  }

  public OperatorSettings withFullResyncInterval(Duration interval) {
    return with(b -> b.fullResyncInterval = interval);
  }

  public OperatorSettings withTaskBudget(int budget) {
    return with(b -> b.taskBudget = budget);
  }

  public OperatorSettings withLeaderElection(LeaderElection election) {
    return with(b -> b.leaderElection = election);
  }

  public OperatorSettings withDatastore(String datastore) {
    return with(b -> b.datastore = datastore);
  }

  /** The same settings with another vCenter's placement defaults (null: the only candidate). */
  public OperatorSettings withPlacementDefaults(
      String datacenter, String resourcePool, String datastore, String rootFolder) {
    return with(
        b -> {
          b.datacenter = datacenter;
          b.resourcePool = resourcePool;
          b.datastore = datastore;
          b.rootFolder = rootFolder == null ? DEFAULT_ROOT_FOLDER : rootFolder;
        });
  }

  /** Without change notifications, every reconcile reads vCenter (troubleshooting, tests). */
  public OperatorSettings withChangeNotifications(boolean on) {
    return with(b -> b.changeNotifications = on);
  }

  public OperatorSettings withLabelSelector(String selector) {
    return with(b -> b.labelSelector = selector);
  }

  public OperatorSettings withReconcileThreads(int threads) {
    return with(b -> b.reconcileThreads = threads);
  }

  /** A copy with some fields changed; the record stays immutable and validated. */
  private OperatorSettings with(java.util.function.Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return new OperatorSettings(
        c.datacenter,
        c.resourcePool,
        c.rootFolder,
        c.namespaces,
        c.maxReplicas,
        c.taskBudget,
        c.resyncInterval,
        c.taskPollInterval,
        c.changeNotifications,
        c.fullResyncInterval,
        c.leaderElection,
        c.labelSelector,
        c.datastore,
        c.reconcileThreads);
  }

  private static final class Copy {
    String datacenter;
    String resourcePool;
    String rootFolder;
    Set<String> namespaces;
    int maxReplicas;
    int taskBudget;
    Duration resyncInterval;
    Duration taskPollInterval;
    boolean changeNotifications;
    Duration fullResyncInterval;
    LeaderElection leaderElection;
    String labelSelector;
    String datastore;
    int reconcileThreads;

    Copy(OperatorSettings s) {
      datacenter = s.datacenter;
      resourcePool = s.resourcePool;
      rootFolder = s.rootFolder;
      namespaces = s.namespaces;
      maxReplicas = s.maxReplicas;
      taskBudget = s.taskBudget;
      resyncInterval = s.resyncInterval;
      taskPollInterval = s.taskPollInterval;
      changeNotifications = s.changeNotifications;
      fullResyncInterval = s.fullResyncInterval;
      leaderElection = s.leaderElection;
      labelSelector = s.labelSelector;
      datastore = s.datastore;
      reconcileThreads = s.reconcileThreads;
    }
  }
}
