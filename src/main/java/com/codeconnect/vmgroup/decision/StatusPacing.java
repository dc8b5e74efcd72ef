package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import com.codeconnect.vmgroup.api.v1alpha1.VmStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Pure: whether a changed status is written now or held back for a moment.
 *
 * <p>While a group's VMs are being made, almost every reconcile changes its status a little (a VM
 * cloning, then powered on; a count one higher), and each of those writes is an etcd write, a watch
 * event to every informer of the group and, here, a round trip before the reconcile thread is free:
 * a 1,000-VM burst wrote 1,477 statuses for 100 groups. Progress alone is therefore written at most
 * once per {@link #PROGRESS_INTERVAL} per group; the reconcile that holds it back asks to run again
 * when the interval ends, so the last progress is never lost. What a user or a tool acts on is
 * written at once: a condition that changes status or reason (Ready, Degraded, Progressing), a new
 * observedGeneration, the phase, the desired count, where the VMs are, and a VM's error.
 */
public final class StatusPacing {
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

  private StatusPacing() {}

  /**
   * How long to hold {@code next} back, or null to write it now.
   *
   * @param written the status as last written (the informer's copy), or null
   * @param lastWrite when this operator last wrote the group's status, or null if it hasn't since
   *     it started
   */
  public static Duration hold(
      VmGroupStatus written, VmGroupStatus next, Instant lastWrite, Instant now) {
    if (lastWrite == null || significant(written, next)) {
      return null;
    }
    Duration left = Duration.between(now, lastWrite.plus(PROGRESS_INTERVAL));
    return left.isNegative() || left.isZero() ? null : left;
  }

  /** Whether the change is one to write at once, not progress that can wait. */
  static boolean significant(VmGroupStatus written, VmGroupStatus next) {
    return written == null
        || !Objects.equals(written.getObservedGeneration(), next.getObservedGeneration())
        || !Objects.equals(written.getPhase(), next.getPhase())
        || !Objects.equals(written.getDesiredReplicas(), next.getDesiredReplicas())
        || !Objects.equals(written.getPlacement(), next.getPlacement())
        || !Objects.equals(written.getVcenter(), next.getVcenter())
        || !states(written.getConditions()).equals(states(next.getConditions()))
        || !errors(written.getVms()).equals(errors(next.getVms()));
  }

  private record State(String status, String reason) {}

  private static Map<String, State> states(List<Condition> conditions) {
    Map<String, State> m = new TreeMap<>();
    for (Condition c : conditions) {
      m.put(c.getType(), new State(c.getStatus(), c.getReason()));
    }
    return m;
  }

  private static Map<String, String> errors(List<VmStatus> vms) {
    return vms.stream()
        .filter(v -> v.getLastError() != null)
        .collect(Collectors.toMap(VmStatus::getName, VmStatus::getLastError, (a, b) -> a));
  }
}
