package com.codeconnect.vmgroup.operator;

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
 * @param fullResyncInterval how often the change feed is rebuilt from a full state anyway
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
    Duration fullResyncInterval) {

  public static final String DEFAULT_ROOT_FOLDER = "vm-operator";

  public OperatorSettings {
    Objects.requireNonNull(rootFolder, "rootFolder");
    namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
    if (maxReplicas < 0 || taskBudget < 1) {
      throw new IllegalArgumentException("maxReplicas must be >= 0 and taskBudget >= 1");
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
        Duration.ofMinutes(10));
  }

  public OperatorSettings withResyncInterval(Duration interval) {
    return new OperatorSettings(
        datacenter,
        resourcePool,
        rootFolder,
        namespaces,
        maxReplicas,
        taskBudget,
        interval,
        taskPollInterval,
        changeNotifications,
        fullResyncInterval);
  }

  public OperatorSettings withChangeNotifications(boolean enabled) {
    return new OperatorSettings(
        datacenter,
        resourcePool,
        rootFolder,
        namespaces,
        maxReplicas,
        taskBudget,
        resyncInterval,
        taskPollInterval,
        enabled,
        fullResyncInterval);
  }

  public OperatorSettings withTaskBudget(int budget) {
    return new OperatorSettings(
        datacenter,
        resourcePool,
        rootFolder,
        namespaces,
        maxReplicas,
        budget,
        resyncInterval,
        taskPollInterval,
        changeNotifications,
        fullResyncInterval);
  }
}
