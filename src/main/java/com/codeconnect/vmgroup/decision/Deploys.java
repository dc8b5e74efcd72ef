package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.DeployStatus;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * VMs made from a content library item. A deploy call can't carry extraConfig, so a deployed VM
 * starts without the markers that make it the group's, and a VM with a replica's name but no marker
 * is foreign, never touched. The operator's own record of each deploy it started bridges the gap:
 * written (status.deploys) before the deploy call, so it outlives a crash or a change of leader; a
 * VM that matches a record by name, folder and (once the task reported it) identity is the group's,
 * and gets its markers ({@link Action.MarkDeployed}) before anything powers it on or resizes it.
 * The crash windows:
 *
 * <ul>
 *   <li>recorded, deploy not yet started or still running: the record holds the VM's index, so no
 *       second VM is deployed for it;
 *   <li>deployed, not yet marked: recognised by the record and marked;
 *   <li>marked, not yet powered on: an ordinary VM of the group, which {@link ReplicaPlan} sizes
 *       and powers on as it does a fresh clone.
 * </ul>
 */
public final class Deploys {
  /**
   * How long a record is kept when vCenter knows nothing of its task (it was never started, or
   * vCenter has forgotten it) and no VM of its name has shown: it holds an index meanwhile.
   */
  public static final Duration UNKNOWN_TASK_GRACE = Duration.ofHours(1);

  private Deploys() {}

  /**
   * The operator's record of one deploy.
   *
   * @param folder the managed object id of the group folder the VM is deployed into
   * @param task the deploy's vCenter task, or null until the deploy call has returned it
   * @param vmRef the managed object id of the VM the task made, or null until it reported one
   * @param markers what {@link Action.MarkDeployed} writes: a clone's markers for the spec the VM
   *     was deployed from (not the spec when it is marked, which may have changed meanwhile)
   */
  public record Record(
      String vm,
      String folder,
      String task,
      String vmRef,
      Instant started,
      Map<String, String> markers) {
    public Record {
      markers = Map.copyOf(markers);
    }

    public Record withTask(String deployTask) {
      return new Record(vm, folder, deployTask, vmRef, started, markers);
    }

    public Record withVmRef(String madeVm) {
      return new Record(vm, folder, task, madeVm, started, markers);
    }
  }

  /**
   * The record to keep before deploying VM {@code vm} into {@code folder}.
   *
   * @param cloneMarkers the markers a clone of this VM would carry ({@link Ownership#markers})
   */
  public static Record record(
      String vm, MoRef folder, Map<String, String> cloneMarkers, Instant now) {
    return new Record(vm, folder.value(), null, null, now, cloneMarkers);
  }

  /** The markers a recognised VM gets: the record's, and the task that made the VM. */
  public static Map<String, String> markers(Record r) {
    Map<String, String> all = new HashMap<>(r.markers());
    if (r.task() != null) {
      all.put(Ownership.DEPLOY_TASK, r.task());
    }
    return Map.copyOf(all);
  }

  /**
   * Whether {@code vm}, seen without the group's marker, is the VM the record's deploy made: no
   * owner marker at all (one of another group is that group's VM), not a template, the record's
   * name, in the record's folder, and the VM the task reported when it reported one.
   */
  public static boolean madeBy(VmInfo vm, Record r) {
    return !vm.extraConfig().containsKey(Ownership.OWNER_UID)
        && !vm.template()
        && vm.name().equals(r.vm())
        && vm.parent() != null
        && vm.parent().value().equals(r.folder())
        && (r.vmRef() == null || r.vmRef().equals(vm.ref().value()));
  }

  /**
   * The VMs of a group folder without the group's marker, split by the records.
   *
   * @param unmarked deployed by the operator for the group, not yet marked
   * @param foreign everything else: never touched, their names never used
   */
  public record Seen(List<VmInfo> unmarked, List<VmInfo> foreign) {
    public Seen {
      unmarked = List.copyOf(unmarked);
      foreign = List.copyOf(foreign);
    }
  }

  /** Splits the VMs the controller found in the group's folder without the group's marker. */
  public static Seen recognise(List<VmInfo> withoutMarker, Collection<Record> records) {
    List<VmInfo> unmarked = new ArrayList<>();
    List<VmInfo> foreign = new ArrayList<>();
    for (VmInfo vm : withoutMarker) {
      (records.stream().anyMatch(r -> madeBy(vm, r)) ? unmarked : foreign).add(vm);
    }
    return new Seen(unmarked, foreign);
  }

  /**
   * The group's plan when deploys may be under way ({@link ReplicaPlan#compute} with them): each
   * recorded deploy whose VM isn't marked yet holds its index like a clone under way; a recognised
   * VM is marked first, unless busy (its deploy still running); with a library source, the new VMs
   * are {@link Action.Deploy}s. Without records or unmarked VMs it is exactly ReplicaPlan's.
   *
   * @param busy as for ReplicaPlan, including the names of deploys whose task still runs
   * @param fromLibrary new VMs come from the content library item, not a template
   */
  public static ReplicaPlan.Result plan(
      ReplicaPlan.Desired desired,
      List<VmInfo> owned,
      Seen seen,
      Collection<Record> records,
      Set<String> busy,
      boolean fromLibrary) {
    Set<String> ownedNames = names(owned);
    Set<String> waiting = new HashSet<>(busy);
    records.stream().map(Record::vm).filter(n -> !ownedNames.contains(n)).forEach(waiting::add);
    ReplicaPlan.Result planned =
        ReplicaPlan.compute(desired, owned, waiting, names(seen.foreign()));
    List<Action> actions = new ArrayList<>();
    Map<String, Record> byName =
        records.stream().collect(Collectors.toMap(Record::vm, Function.identity(), (a, b) -> b));
    for (VmInfo vm : seen.unmarked()) {
      Record r = byName.get(vm.name());
      if (r != null && !busy.contains(vm.name())) {
        actions.add(new Action.MarkDeployed(vm, markers(r)));
      }
    }
    for (Action a : planned.actions()) {
      actions.add(
          fromLibrary && a instanceof Action.Clone c
              ? new Action.Deploy(c.index(), c.target())
              : a);
    }
    return new ReplicaPlan.Result(
        actions,
        planned.resizesWaiting(),
        planned.outdated(),
        planned.spendsAvailability(),
        planned.addressesWaiting());
  }

  /**
   * Everything needed to remove a group's VMs on deletion, deployed-but-unmarked ones included:
   * they are the group's by its own record and would otherwise be left behind.
   */
  public static List<Action> teardown(List<VmInfo> owned, Seen seen, Set<String> busy) {
    List<VmInfo> all = new ArrayList<>(owned);
    all.addAll(seen.unmarked());
    return ReplicaPlan.teardown(all, busy);
  }

  /** What the controller knows of a record's task. */
  public enum TaskOutcome {
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** No task id yet, or vCenter no longer knows the task. */
    UNKNOWN
  }

  /**
   * The records still needed: not those whose VM carries the group's markers (done), nor those
   * whose task failed (whatever has the name now is not the deploy's VM), nor those whose task is
   * unknown, with no VM of the name in sight, past {@link #UNKNOWN_TASK_GRACE}.
   *
   * @param outcomes by task id; a record without a task, or whose task is missing here, is UNKNOWN
   * @param unmarked the recognised VMs ({@link Seen#unmarked})
   */
  public static List<Record> kept(
      Collection<Record> records,
      List<VmInfo> owned,
      List<VmInfo> unmarked,
      Map<String, TaskOutcome> outcomes,
      Instant now) {
    Set<String> marked = names(owned);
    Set<String> landed = names(unmarked);
    List<Record> kept = new ArrayList<>();
    for (Record r : records) {
      TaskOutcome outcome =
          r.task() == null
              ? TaskOutcome.UNKNOWN
              : outcomes.getOrDefault(r.task(), TaskOutcome.UNKNOWN);
      boolean expired =
          outcome == TaskOutcome.UNKNOWN
              && !landed.contains(r.vm())
              && r.started().plus(UNKNOWN_TASK_GRACE).isBefore(now);
      if (!marked.contains(r.vm()) && outcome != TaskOutcome.FAILED && !expired) {
        kept.add(r);
      }
    }
    return kept;
  }

  /** The records as status.deploys keeps them. */
  public static List<DeployStatus> toStatus(Collection<Record> records) {
    return records.stream()
        .map(
            r ->
                new DeployStatus(
                    r.vm(), r.folder(), r.task(), r.vmRef(), r.started().toString(), r.markers()))
        .toList();
  }

  /**
   * The records kept in status.deploys; an entry that can't be read (edited by hand) is dropped: it
   * can't prove a VM is the group's, and its VM then stays foreign.
   */
  public static List<Record> fromStatus(List<DeployStatus> entries) {
    List<Record> records = new ArrayList<>();
    if (entries == null) {
      return records;
    }
    for (DeployStatus d : entries) {
      if (d == null
          || d.getVm() == null
          || d.getFolder() == null
          || d.getStarted() == null
          || d.getMarkers() == null
          || d.getMarkers().entrySet().stream()
              .anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
        continue;
      }
      try {
        records.add(
            new Record(
                d.getVm(),
                d.getFolder(),
                d.getTask(),
                d.getVmRef(),
                Instant.parse(d.getStarted()),
                d.getMarkers()));
      } catch (DateTimeParseException e) {
        // unreadable: dropped, as documented above
      }
    }
    return records;
  }

  private static Set<String> names(List<VmInfo> vms) {
    return vms.stream().map(VmInfo::name).collect(Collectors.toSet());
  }
}
