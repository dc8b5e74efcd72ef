package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.decision.StatusPacing;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Step 6 of a reconcile: writes the group's status, only when it changed ({@link StatusBuilder} is
 * the pure part), and says when to look again.
 */
final class StatusWriter {
  private final Clock clock;

  StatusWriter(Clock clock) {
    this.clock = clock;
  }

  /**
   * The status of a reconcile that couldn't look at vCenter (invalid spec, no vCenter, an error):
   * counts stay as last observed, the problem says why.
   *
   * @param desired the replicas asked for, or null when the spec can't say
   */
  UpdateControl<VmGroup> unobserved(
      VmGroup group,
      Context<VmGroup> context,
      Integer desired,
      Problem problem,
      GroupMemory memory,
      Duration next) {
    VmGroupStatus previous = group.getStatus();
    long generation = Optional.ofNullable(group.getMetadata().getGeneration()).orElse(0L);
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
    StatusBuilder.Observation observation =
        new StatusBuilder.Observation(
            generation, desired, current, ready, updated, 0, 0, 0, null, problem, false, null);
    return write(
        group, context, StatusBuilder.build(observation, previous, clock.instant()), memory, next);
  }

  /**
   * Writes the status only when it changed, as a JSON merge patch of the status subresource: a JSON
   * Patch computed against a cached copy misapplies or fails on lists (conditions, vms) once the
   * cache lags behind, a merge patch replaces them whole. The written status is cached, so the next
   * reconcile reads its own write. Progress alone is written at most once a second ({@link
   * StatusPacing}); the reconcile that holds it back runs again when it is due.
   *
   * @param next when to look again, or null for only when something changes
   */
  UpdateControl<VmGroup> write(
      VmGroup group,
      Context<VmGroup> context,
      VmGroupStatus status,
      GroupMemory memory,
      Duration next) {
    if (!status.equals(group.getStatus())) {
      Instant now = clock.instant();
      Duration hold = StatusPacing.hold(group.getStatus(), status, memory.statusWritten(), now);
      if (hold != null) {
        next = next == null ? hold : RequeuePolicy.min(next, hold);
      } else {
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
            group,
            context,
            g -> {
              g.setStatus(status);
              return g;
            });
        memory.statusWritten(now);
      }
    }
    UpdateControl<VmGroup> control = UpdateControl.noUpdate();
    return next == null ? control : control.rescheduleAfter(next);
  }
}
