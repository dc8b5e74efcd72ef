package com.codeconnect.vmgroup.observability;

import com.codeconnect.vmgroup.decision.FleetCounts.Readiness;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.SessionState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The operator's own Prometheus metrics, beside the vCenter call timers ({@link VcenterMetrics})
 * and JOSDK's reconcile metrics:
 *
 * <ul>
 *   <li>{@code vcenter_tasks_started_total{kind}}: tasks the operator started, by action ({@code
 *       Clone}, {@code PowerOn}, ...)
 *   <li>{@code vcenter_tasks_running}: tasks started and not yet seen finished
 *   <li>{@code vcenter_tasks_failed_total{kind,fault}}: tasks that ended in an error, by action and
 *       vim25 fault
 *   <li>{@code vcenter_session_state{state}}: 1 for the client's current session state ({@code
 *       valid}, {@code none}, {@code rejected}, {@code login_failed}), 0 for the others
 *   <li>{@code vmgroup_managed_vms{power_state}}: VMs carrying the ownership marker of a watched
 *       group, by power state, as the change-fed inventory has them
 *   <li>{@code vmgroup_groups{ready}}: VmGroups in the informer cache by their Ready condition
 *       ({@code true}, {@code false}, {@code unknown} also for no status yet)
 *   <li>{@code vmgroup_inventory_synced}: 1 while the inventory reflects vCenter
 *   <li>{@code vmgroup_events_refused_total{kind}}: Event writes the API server refused, by the
 *       kind of object they were about (a cluster that refuses them shows it here, not only in the
 *       log)
 *   <li>{@code vmgroup_events_dropped_total}: Events dropped because the API server fell behind
 * </ul>
 *
 * Gauges read in-memory state only, never vCenter or the API server. The VM and group counts walk
 * their caches, so each is computed at most once per {@link #SNAPSHOT_MAX_AGE} and shared by the
 * gauges of one scrape.
 */
public final class OperatorMetrics {
  public static final String TASKS_STARTED = "vcenter.tasks.started";
  public static final String TASKS_FAILED = "vcenter.tasks.failed";
  public static final String TASKS_RUNNING = "vcenter.tasks.running";
  public static final String SESSION_STATE = "vcenter.session.state";
  public static final String MANAGED_VMS = "vmgroup.managed.vms";
  public static final String GROUPS = "vmgroup.groups";
  public static final String INVENTORY_SYNCED = "vmgroup.inventory.synced";
  public static final String EVENTS_REFUSED = "vmgroup.events.refused";
  public static final String EVENTS_DROPPED = "vmgroup.events.dropped";
  static final Duration SNAPSHOT_MAX_AGE = Duration.ofSeconds(1);

  /** The tag naming the vCenter: a VCenter resource, or "default" for the operator's own. */
  public static final String VCENTER = "vcenter";

  private final MeterRegistry registry;
  private final LongSupplier nanoTime;

  public OperatorMetrics(MeterRegistry registry) {
    this(registry, System::nanoTime);
  }

  OperatorMetrics(MeterRegistry registry, LongSupplier nanoTime) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.nanoTime = nanoTime;
  }

  /** Counts a task the operator started, e.g. {@code taskStarted("Clone")}. */
  public void taskStarted(String kind) {
    Counter.builder(TASKS_STARTED)
        .description("vCenter tasks the operator started, by action")
        .tag("kind", orUnknown(kind))
        .register(registry)
        .increment();
  }

  /** Counts a task that ended in an error, with the vim25 fault it ended with. */
  public void taskFailed(String kind, String fault) {
    Counter.builder(TASKS_FAILED)
        .description("vCenter tasks of the operator that ended in an error, by action and fault")
        .tag("kind", orUnknown(kind))
        .tag("fault", orUnknown(fault))
        .register(registry)
        .increment();
  }

  /** Counts an Event write the API server refused, by the kind of object it was about. */
  public void eventRefused(String kind) {
    Counter.builder(EVENTS_REFUSED)
        .description("Event writes the API server refused, by the kind of object they were about")
        .tag("kind", orUnknown(kind))
        .register(registry)
        .increment();
  }

  /** Counts an Event dropped because the API server fell too far behind. */
  public void eventDropped() {
    Counter.builder(EVENTS_DROPPED)
        .description("Events dropped because the API server fell too far behind")
        .register(registry)
        .increment();
  }

  /** Exposes the number of tasks in flight on one vCenter. */
  public OperatorMetrics tasksRunning(String vcenter, IntSupplier running) {
    Gauge.builder(TASKS_RUNNING, running::getAsInt)
        .description("vCenter tasks the operator started and has not seen finish")
        .tag(VCENTER, vcenter)
        .strongReference(true)
        .register(registry);
    return this;
  }

  /** Exposes one vCenter client's session state, one series per state. */
  public OperatorMetrics session(String vcenter, Supplier<SessionState> state) {
    for (SessionState s : SessionState.values()) {
      Gauge.builder(SESSION_STATE, () -> state.get() == s ? 1 : 0)
          .description("1 for the vCenter client's current session state, 0 for the others")
          .tag(VCENTER, vcenter)
          .tag("state", s.label())
          .strongReference(true)
          .register(registry);
    }
    return this;
  }

  /**
   * Exposes the managed VMs by power state.
   *
   * @param counts VMs per power state (missing states count 0), or null when the inventory can't
   *     say right now (e.g. rebuilding): the last counts stay
   */
  public OperatorMetrics managedVms(String vcenter, Supplier<Map<PowerState, Integer>> counts) {
    Snapshot<Map<PowerState, Integer>> snapshot = new Snapshot<>(counts, Map.of());
    for (PowerState p : PowerState.values()) {
      Gauge.builder(MANAGED_VMS, () -> snapshot.get().getOrDefault(p, 0))
          .description("VMs carrying a watched VmGroup's ownership marker, by power state")
          .tag(VCENTER, vcenter)
          .tag("power_state", powerStateLabel(p))
          .strongReference(true)
          .register(registry);
    }
    return this;
  }

  /** Exposes the VmGroups by their Ready condition (missing values count 0). */
  public OperatorMetrics groups(Supplier<Map<Readiness, Integer>> counts) {
    Snapshot<Map<Readiness, Integer>> snapshot = new Snapshot<>(counts, Map.of());
    for (Readiness r : Readiness.values()) {
      Gauge.builder(GROUPS, () -> snapshot.get().getOrDefault(r, 0))
          .description("VmGroups by their Ready condition (unknown: no status yet)")
          .tag("ready", r.label())
          .strongReference(true)
          .register(registry);
    }
    return this;
  }

  /** Exposes whether one vCenter's change-fed inventory is in sync with it. */
  public OperatorMetrics inventorySynced(String vcenter, BooleanSupplier synced) {
    Gauge.builder(INVENTORY_SYNCED, () -> synced.getAsBoolean() ? 1 : 0)
        .description("1 while the change-fed inventory reflects vCenter, 0 while it is rebuilt")
        .tag(VCENTER, vcenter)
        .strongReference(true)
        .register(registry);
    return this;
  }

  /**
   * Removes a vCenter's gauges once the operator stops using it, so a deleted VCenter doesn't
   * linger in every scrape.
   */
  public void forgetVcenter(String vcenter) {
    registry.getMeters().stream()
        .filter(m -> vcenter.equals(m.getId().getTag(VCENTER)))
        .toList()
        .forEach(registry::remove);
  }

  /** vSphere's own names (VirtualMachinePowerState), which operators of vCenter know. */
  static String powerStateLabel(PowerState p) {
    return switch (p) {
      case POWERED_ON -> "poweredOn";
      case POWERED_OFF -> "poweredOff";
      case SUSPENDED -> "suspended";
      case UNKNOWN -> "unknown";
    };
  }

  private static String orUnknown(String s) {
    return s == null || s.isBlank() ? "unknown" : s;
  }

  /**
   * A value computed at most once per {@link #SNAPSHOT_MAX_AGE}: one scrape reads several gauges of
   * the same count, which should walk the cache once and agree with each other.
   */
  private final class Snapshot<T> {
    private final Supplier<T> compute;
    private T value;
    private long takenAt;
    private boolean taken;

    Snapshot(Supplier<T> compute, T initial) {
      this.compute = compute;
      this.value = initial;
    }

    synchronized T get() {
      long now = nanoTime.getAsLong();
      if (!taken || now - takenAt >= SNAPSHOT_MAX_AGE.toNanos()) {
        T fresh = compute.get();
        if (fresh != null) {
          value = fresh;
        }
        takenAt = now;
        taken = true;
      }
      return value;
    }
  }
}
