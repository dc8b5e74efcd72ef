package com.codeconnect.vmgroup.operator;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pure: turns what one reconcile observed into the group's status. The seed's phase and lastMessage
 * are derived from the conditions, never set on their own.
 */
public final class StatusBuilder {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";

  private StatusBuilder() {}

  /**
   * What a reconcile saw.
   *
   * @param desired replicas the spec asks for, or null when the spec is invalid
   * @param current VMs of the group that exist in vCenter
   * @param ready of those, powered on with the spec's CPU and memory
   * @param inFlight tasks still running for the group
   * @param pending changes planned but not yet started (e.g. waiting for the task budget)
   * @param activity what is going on, e.g. "cloning vg-1-2", or null
   * @param problem why the group can't converge, or null
   */
  public record Observation(
      long generation,
      Integer desired,
      int current,
      int ready,
      int inFlight,
      int pending,
      String activity,
      Problem problem) {}

  public static VmGroupStatus build(Observation o, VmGroupStatus previous, Instant now) {
    List<Condition> before = previous == null ? List.of() : previous.getConditions();
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    boolean degraded = o.problem() != null;
    boolean converged =
        !degraded
            && o.desired() != null
            && o.current() == o.desired()
            && o.ready() == o.desired()
            && o.inFlight() == 0
            && o.pending() == 0;
    boolean progressing = o.inFlight() > 0 || o.pending() > 0;

    String readyMessage =
        o.desired() == null
            ? "spec is invalid"
            : o.ready() + " of " + o.desired() + " VMs ready (" + o.current() + " exist)";
    Condition ready =
        condition(
            READY,
            converged,
            converged ? "AllReplicasReady" : "ReplicasNotReady",
            readyMessage,
            o.generation(),
            before,
            timestamp);
    Condition progressingCondition =
        condition(
            PROGRESSING,
            progressing,
            progressing ? "Reconciling" : (degraded ? "Blocked" : "Converged"),
            progressing
                ? Objects.requireNonNullElse(o.activity(), o.inFlight() + " vCenter tasks running")
                : (degraded ? "waiting for the problem to be fixed" : "nothing to do"),
            o.generation(),
            before,
            timestamp);
    Condition degradedCondition =
        condition(
            DEGRADED,
            degraded,
            degraded ? o.problem().reason().name() : "AsExpected",
            degraded ? o.problem().message() : "",
            o.generation(),
            before,
            timestamp);

    VmGroupStatus status = new VmGroupStatus();
    status.setObservedGeneration(o.generation());
    status.setDesiredReplicas(o.desired());
    status.setCurrentReplicas(o.current());
    status.setReadyReplicas(o.ready());
    status.setConditions(new ArrayList<>(List.of(ready, progressingCondition, degradedCondition)));
    if (degraded) {
      status.setPhase(VmGroupStatus.PHASE_ERROR);
      status.setLastMessage(o.problem().message());
    } else if (converged) {
      status.setPhase(VmGroupStatus.PHASE_RUNNING);
      status.setLastMessage(readyMessage);
    } else {
      status.setPhase(VmGroupStatus.PHASE_PENDING);
      status.setLastMessage(progressing ? progressingCondition.getMessage() : readyMessage);
    }
    return status;
  }

  /** The condition of that type, or null. */
  public static Condition find(List<Condition> conditions, String type) {
    return conditions == null
        ? null
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private static Condition condition(
      String type,
      boolean status,
      String reason,
      String message,
      long generation,
      List<Condition> before,
      String now) {
    String value = status ? "True" : "False";
    Condition old = find(before, type);
    // lastTransitionTime moves only when the status flips, as the API conventions ask.
    String transition =
        old != null && value.equals(old.getStatus()) && old.getLastTransitionTime() != null
            ? old.getLastTransitionTime()
            : now;
    return new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(transition)
        .build();
  }
}
