package com.codeconnect.vmgroup.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** Operator behaviour options, shared by the operator command and the demo. */
public class OperatorOptions {
  @Option(
      names = "--datacenter",
      defaultValue = "${env:VC_DATACENTER}",
      description = "Datacenter for the VMs; default: the only one. Env: VC_DATACENTER")
  String datacenter;

  @Option(
      names = "--resource-pool",
      defaultValue = "${env:VC_RESOURCE_POOL}",
      description =
          "Resource pool (inventory path or unique name); default: the only one. Env:"
              + " VC_RESOURCE_POOL")
  String resourcePool;

  @Option(
      names = "--datastore",
      defaultValue = "${env:VC_DATASTORE}",
      description =
          "Datastore (name or inventory path) for new VMs; default: the template's. Env:"
              + " VC_DATASTORE")
  String datastore;

  @Option(
      names = "--root-folder",
      defaultValue = "${env:VC_ROOT_FOLDER:-" + OperatorSettings.DEFAULT_ROOT_FOLDER + "}",
      description =
          "Folder under the datacenter's VM folder that holds one folder per group (created when"
              + " missing). Env: VC_ROOT_FOLDER. Default: ${DEFAULT-VALUE}")
  String rootFolder;

  @Option(
      names = "--namespaces",
      defaultValue = "${env:WATCH_NAMESPACES}",
      description = "Comma-separated namespaces to watch; default: all. Env: WATCH_NAMESPACES")
  String namespaces;

  @Option(
      names = "--max-replicas",
      defaultValue = "${env:MAX_REPLICAS:-100}",
      description = "Largest spec.replicas accepted. Env: MAX_REPLICAS. Default: ${DEFAULT-VALUE}")
  int maxReplicas;

  @Option(
      names = "--task-budget",
      defaultValue = "${env:VC_TASK_BUDGET:-8}",
      description =
          "vCenter tasks in flight at once, across all groups. Env: VC_TASK_BUDGET. Default:"
              + " ${DEFAULT-VALUE}")
  int taskBudget;

  @Option(
      names = "--reconcile-threads",
      defaultValue = "${env:RECONCILE_THREADS:-10}",
      description = "Reconciles running at once. Env: RECONCILE_THREADS. Default: ${DEFAULT-VALUE}")
  int reconcileThreads;

  @Option(
      names = "--resync-interval",
      defaultValue = "${env:RESYNC_INTERVAL:-60s}",
      description =
          "How often an in-sync group is compared with vCenter (e.g. 30s, 5m). Env:"
              + " RESYNC_INTERVAL. Default: ${DEFAULT-VALUE}")
  String resyncInterval;

  @Option(
      names = "--full-resync-interval",
      defaultValue = "${env:FULL_RESYNC_INTERVAL:-10m}",
      description =
          "How often the vCenter change feed is rebuilt from a full state, as a safety net. Env:"
              + " FULL_RESYNC_INTERVAL. Default: ${DEFAULT-VALUE}")
  String fullResyncInterval;

  @Option(
      names = "--no-change-notifications",
      defaultValue = "${env:VC_NO_CHANGE_NOTIFICATIONS:-false}",
      description =
          "Ask vCenter on every reconcile instead of keeping an inventory through its change"
              + " notifications (for troubleshooting). Env: VC_NO_CHANGE_NOTIFICATIONS")
  boolean noChangeNotifications;

  @Option(
      names = "--selector",
      defaultValue = "${env:WATCH_SELECTOR}",
      description =
          "Label selector: reconcile only VmGroups that match it (e.g. shard=a), so several"
              + " deployments can split a cluster. Env: WATCH_SELECTOR")
  String selector;

  @Option(
      names = "--leader-election",
      defaultValue = "${env:LEADER_ELECTION:-false}",
      description = "Run several instances; only the holder of a Lease acts. Env: LEADER_ELECTION")
  boolean leaderElection;

  @Option(
      names = "--lease-namespace",
      defaultValue = "${env:POD_NAMESPACE}",
      description =
          "Namespace of the leader-election Lease (in a pod: its own namespace, from the downward"
              + " API). Env: POD_NAMESPACE")
  String leaseNamespace;

  public OperatorSettings toSettings() {
    if (rootFolder == null || rootFolder.isBlank() || rootFolder.contains("/")) {
      throw new ConfigException(
          "VC_ROOT_FOLDER (--root-folder)", "must be a folder name without '/'");
    }
    if (maxReplicas < 0) {
      throw new ConfigException("MAX_REPLICAS (--max-replicas)", "must be 0 or more");
    }
    if (taskBudget < 1) {
      throw new ConfigException("VC_TASK_BUDGET (--task-budget)", "must be at least 1");
    }
    if (reconcileThreads < 1) {
      throw new ConfigException("RECONCILE_THREADS (--reconcile-threads)", "must be at least 1");
    }
    Set<String> watched =
        namespaces == null
            ? Set.of()
            : Arrays.stream(namespaces.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    OperatorSettings defaults = OperatorSettings.defaults();
    return new OperatorSettings(
        blankToNull(datacenter),
        blankToNull(resourcePool),
        rootFolder,
        watched,
        maxReplicas,
        taskBudget,
        duration("RESYNC_INTERVAL (--resync-interval)", resyncInterval),
        defaults.taskPollInterval(),
        !noChangeNotifications,
        duration("FULL_RESYNC_INTERVAL (--full-resync-interval)", fullResyncInterval),
        leaderElection(),
        blankToNull(selector),
        blankToNull(datastore),
        reconcileThreads);
  }

  private OperatorSettings.LeaderElection leaderElection() {
    if (!leaderElection) {
      return null;
    }
    if (blankToNull(leaseNamespace) == null) {
      throw new ConfigException(
          "POD_NAMESPACE (--lease-namespace)", "is required with LEADER_ELECTION");
    }
    return OperatorSettings.LeaderElection.standard(leaseNamespace.trim());
  }

  static Duration duration(String setting, String value) {
    String v = value.trim().toLowerCase();
    try {
      if (v.startsWith("pt")) {
        return positive(setting, Duration.parse(v.toUpperCase()));
      }
      if (v.endsWith("ms")) {
        return positive(setting, Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return positive(
          setting,
          switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new NumberFormatException();
          });
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new ConfigException(setting, "must be a duration such as 500ms, 30s, 5m or 1h");
    }
  }

  private static Duration positive(String setting, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException(setting, "must be longer than zero");
    }
    return d;
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
