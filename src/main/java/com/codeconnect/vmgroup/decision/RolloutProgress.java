package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.ProgressStatus;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pure: {@code spec.progressDeadlineSeconds}, as a Deployment has it. While a group isn't complete
 * (fewer VMs of the current spec available than replicas, or old VMs left), it has a mark: the
 * counts at the last look and when they last improved. More VMs of the spec available, or fewer old
 * ones, is progress; a VM replaced again and again without ever becoming ready is not, so a broken
 * template or network runs into the deadline however often healing retries.
 *
 * <p>The mark lives in {@code status.progress}, so a restart of the operator doesn't reset the
 * clock.
 */
public final class RolloutProgress {
  private RolloutProgress() {}

  /**
   * Where the group stood.
   *
   * @param revision the spec hash being rolled out ({@link SpecHash#spec()})
   * @param lastProgress when the counts last improved (or the mark began)
   */
  public record Mark(String revision, int updatedAvailable, int outdated, Instant lastProgress) {}

  /** What the group looks like now, for {@link #next}. */
  public record Counts(int replicas, int updatedAvailable, int outdated) {
    /** Every desired VM of the spec available, none left to replace. */
    public boolean complete() {
      return updatedAvailable >= replicas && outdated == 0;
    }
  }

  /**
   * The counts of a group: VMs up to date and available by {@code context}, and the outdated count
   * of the plan ({@link ReplicaPlan.Result#outdated}).
   */
  public static Counts count(
      ReplicaPlan.Desired desired,
      List<VmInfo> owned,
      Set<String> busy,
      PlanContext context,
      int outdated) {
    int updatedAvailable =
        (int)
            owned.stream()
                .filter(vm -> ReplicaPlan.upToDate(vm, desired))
                .filter(vm -> vm.powerState() == PowerState.POWERED_ON)
                .filter(vm -> !busy.contains(vm.name()))
                .filter(context.available())
                .count();
    return new Counts(desired.replicas(), updatedAvailable, outdated);
  }

  /**
   * The mark after this look: none once the group is complete; a new one for a new revision; the
   * same time unless the counts improved.
   */
  public static Mark next(Mark previous, String revision, Counts now, Instant at) {
    if (now.complete()) {
      return null;
    }
    if (previous == null || !previous.revision().equals(revision)) {
      return new Mark(revision, now.updatedAvailable(), now.outdated(), at);
    }
    boolean progress =
        now.updatedAvailable() > previous.updatedAvailable()
            || now.outdated() < previous.outdated();
    return new Mark(
        revision, now.updatedAvailable(), now.outdated(), progress ? at : previous.lastProgress());
  }

  /** Whether the deadline has passed without progress; never without a deadline or a mark. */
  public static boolean exceeded(Mark mark, Integer deadlineSeconds, Instant now) {
    return mark != null
        && deadlineSeconds != null
        && !now.isBefore(mark.lastProgress().plusSeconds(deadlineSeconds));
  }

  /** When the deadline will pass if nothing improves, for the caller's next look; or null. */
  public static Instant deadline(Mark mark, Integer deadlineSeconds) {
    return mark == null || deadlineSeconds == null
        ? null
        : mark.lastProgress().plusSeconds(deadlineSeconds);
  }

  /**
   * The problem of a group past its deadline.
   *
   * @param notReady why each VM of the spec that isn't available isn't, by name, e.g. {@code vg-1-2
   *     -> HeartbeatRed}
   */
  public static Problem problem(
      Mark mark, int deadlineSeconds, Counts counts, Map<String, String> notReady) {
    StringBuilder b =
        new StringBuilder("no progress for ")
            .append(deadlineSeconds)
            .append("s (progressDeadlineSeconds): ")
            .append(counts.updatedAvailable())
            .append(" of ")
            .append(counts.replicas())
            .append(" VMs of the spec available");
    if (counts.outdated() > 0) {
      b.append(", ").append(counts.outdated()).append(" old VMs kept running");
    }
    if (!notReady.isEmpty()) {
      b.append("; not ready: ");
      notReady.entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .limit(5)
          .forEach(e -> b.append(e.getKey()).append(" (").append(e.getValue()).append("), "));
      b.setLength(b.length() - 2);
      if (notReady.size() > 5) {
        b.append(" and ").append(notReady.size() - 5).append(" more");
      }
    }
    b.append(
        "; the rollout stopped and VMs that never became ready are not replaced: fix the cause"
            + " (template, network, readiness), change the spec, or delete a failed VM in vCenter"
            + " to retry");
    return new Problem(Problem.Reason.ProgressDeadlineExceeded, b.toString());
  }

  /** The mark kept in the status, or null. */
  public static Mark fromStatus(ProgressStatus s) {
    if (s == null
        || s.getRevision() == null
        || s.getUpdatedAvailableReplicas() == null
        || s.getOutdatedReplicas() == null) {
      return null;
    }
    Instant at = Readiness.instant(s.getLastProgressTime());
    return at == null
        ? null
        : new Mark(s.getRevision(), s.getUpdatedAvailableReplicas(), s.getOutdatedReplicas(), at);
  }

  /** The mark as the status keeps it; null for none. */
  public static ProgressStatus toStatus(Mark m) {
    return m == null
        ? null
        : new ProgressStatus(
            m.revision(), m.updatedAvailable(), m.outdated(), Readiness.text(m.lastProgress()));
  }
}
