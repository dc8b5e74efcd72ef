package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import com.codeconnect.vmgroup.api.v1alpha1.VmStatus;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
   * @param updated of those, with the spec's template (or library item version), clone mode, CPU
   *     and memory
   * @param inFlight tasks still running for the group
   * @param pending changes planned but not yet started (e.g. waiting for the task budget)
   * @param resizesWaiting running VMs that need a power cycle for the new size, held back by
   *     maxUnavailable
   * @param activity what is going on, e.g. "cloning vg-1-2", or null
   * @param problem why the group can't converge, or null
   * @param paused the pause annotation holds back every change
   * @param vms the per-VM list
   */
  public record Observation(
      long generation,
      Integer desired,
      int current,
      int ready,
      int updated,
      int inFlight,
      int pending,
      int resizesWaiting,
      String activity,
      Problem problem,
      boolean paused,
      List<VmStatus> vms) {

    /** An observation without per-VM detail and not paused (e.g. when vCenter wasn't asked). */
    public Observation(
        long generation,
        Integer desired,
        int current,
        int ready,
        int inFlight,
        int pending,
        String activity,
        Problem problem) {
      this(
          generation,
          desired,
          current,
          ready,
          ready,
          inFlight,
          pending,
          0,
          activity,
          problem,
          false,
          null);
    }
  }

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
            : o.ready()
                + " of "
                + o.desired()
                + " VMs ready ("
                + o.current()
                + " exist"
                + (o.updated() < o.current() ? ", " + o.updated() + " up to date" : "")
                + ")";
    Condition ready =
        condition(
            READY,
            converged,
            converged ? "AllReplicasReady" : "ReplicasNotReady",
            readyMessage,
            o.generation(),
            before,
            timestamp);
    boolean held = o.paused() && o.pending() > 0 && o.inFlight() == 0;
    boolean resizeBlocked = !progressing && !degraded && o.resizesWaiting() > 0;
    Condition progressingCondition =
        condition(
            PROGRESSING,
            progressing && !held,
            held
                ? "Paused"
                : progressing
                    ? "Reconciling"
                    : degraded ? "Blocked" : resizeBlocked ? "ResizeBlocked" : "Converged",
            resizeBlocked
                ? o.resizesWaiting()
                    + " running VMs need a power cycle to take the new CPU or memory, and"
                    + " maxUnavailable allows no VM to go down: set updateStrategy.rollingUpdate"
                    + ".maxUnavailable to 1 or more, or enable CPU/memory hot-add on the VMs"
                : held
                    ? "paused by the annotation "
                        + VmGroup.PAUSED_ANNOTATION
                        + "; "
                        + o.pending()
                        + " vCenter changes are waiting"
                    : progressing
                        ? Objects.requireNonNullElse(
                            o.activity(), o.inFlight() + " vCenter tasks running")
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
    status.setUpdatedReplicas(o.updated());
    // where the VMs are is known from the last look at vCenter; the reconciler sets it anew
    status.setPlacement(previous == null ? null : previous.getPlacement());
    status.setVcenter(previous == null ? null : previous.getVcenter());
    // the same for what new VMs come from, and the deploys waiting for their markers
    status.setSource(previous == null ? null : previous.getSource());
    status.setDeploys(previous == null ? null : previous.getDeploys());
    status.setConditions(new ArrayList<>(List.of(ready, progressingCondition, degradedCondition)));
    if (o.vms() != null) {
      status.setVms(new ArrayList<>(o.vms()));
    } else if (previous != null) {
      // Not observed this time (e.g. vCenter unreachable): keep the last known list.
      status.setVms(new ArrayList<>(previous.getVms()));
    }
    if (degraded) {
      status.setPhase(VmGroupStatus.PHASE_ERROR);
      status.setLastMessage(o.problem().message());
    } else if (converged) {
      status.setPhase(VmGroupStatus.PHASE_RUNNING);
      status.setLastMessage(readyMessage);
    } else {
      status.setPhase(VmGroupStatus.PHASE_PENDING);
      status.setLastMessage(
          progressing || held || resizeBlocked ? progressingCondition.getMessage() : readyMessage);
    }
    return status;
  }

  /**
   * The per-VM list: every VM of the group, plus clones still in flight, sorted by name; a VM's
   * assigned addresses are those recorded on it, a clone's those of its index.
   *
   * @param running the action in flight per VM name
   * @param errors the last error per VM name, for VMs whose last task failed
   */
  public static List<VmStatus> vms(
      ReplicaPlan.Desired desired,
      List<VmInfo> owned,
      Map<String, Action> running,
      Map<String, String> errors) {
    return vms(desired, owned, running, errors, Map.of());
  }

  /**
   * The per-VM list, with the static addresses assigned to each VM as the caller knows them.
   *
   * @param assigned the assigned addresses per VM name, in the order of spec.networks; a VM missing
   *     from it shows what its marker ({@link Ownership#ADDRESSES}) or, for a clone, its index says
   */
  public static List<VmStatus> vms(
      ReplicaPlan.Desired desired,
      List<VmInfo> owned,
      Map<String, Action> running,
      Map<String, String> errors,
      Map<String, List<String>> assigned) {
    Map<String, VmStatus> byName = new TreeMap<>();
    for (VmInfo vm : owned) {
      byName.put(
          vm.name(),
          new VmStatus(
                  vm.name(),
                  vm.instanceUuid(),
                  powerState(vm.powerState()),
                  vm.cpu(),
                  vm.memoryMiB(),
                  vm.ipAddress(),
                  phase(desired, vm, running.get(vm.name()), errors.containsKey(vm.name())),
                  errors.get(vm.name()))
              .withAssignedAddresses(assigned.getOrDefault(vm.name(), Ownership.addresses(vm))));
    }
    running.forEach(
        (name, action) -> {
          if (action instanceof Action.Clone c && !byName.containsKey(name)) {
            byName.put(
                name,
                new VmStatus(name, null, null, null, null, null, VmStatus.CLONING, errors.get(name))
                    .withAssignedAddresses(
                        assigned.getOrDefault(name, desired.addresses().addressesOf(c.index()))));
          } else if (action instanceof Action.Deploy d && !byName.containsKey(name)) {
            byName.put(
                name,
                new VmStatus(
                        name, null, null, null, null, null, VmStatus.DEPLOYING, errors.get(name))
                    .withAssignedAddresses(
                        assigned.getOrDefault(name, desired.addresses().addressesOf(d.index()))));
          }
        });
    errors.forEach(
        (name, error) ->
            byName.putIfAbsent(
                name, new VmStatus(name, null, null, null, null, null, VmStatus.FAILED, error)));
    return new ArrayList<>(byName.values());
  }

  private static String phase(
      ReplicaPlan.Desired desired, VmInfo vm, Action running, boolean failed) {
    if (running instanceof Action.Clone) {
      return VmStatus.CLONING;
    }
    if (running instanceof Action.Deploy) {
      return VmStatus.DEPLOYING;
    }
    if (running instanceof Action.Destroy
        || (running instanceof Action.PowerOff off
            && off.purpose() == Action.PowerOff.Purpose.DELETE)) {
      return VmStatus.DELETING;
    }
    if (running instanceof Action.PowerOff || running instanceof Action.GrowDisk) {
      return VmStatus.UPDATING;
    }
    if (running != null) {
      return VmStatus.CONFIGURING;
    }
    if (failed) {
      return VmStatus.FAILED;
    }
    if (desired.hash() != null
        && !ReplicaPlan.frozen(vm, desired)
        && !desired.hash().sameSource(vm)) {
      return VmStatus.UPDATING; // waits for its turn to be replaced
    }
    return ReplicaPlan.ready(vm, desired) ? VmStatus.RUNNING : VmStatus.CONFIGURING;
  }

  private static String powerState(PowerState p) {
    return switch (p) {
      case POWERED_ON -> "poweredOn";
      case POWERED_OFF -> "poweredOff";
      case SUSPENDED -> "suspended";
      case UNKNOWN -> "unknown";
    };
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
