package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.testing.TestClock;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.GuestCustomization;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmChange;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The state behind {@link InMemoryVcenter}: inventory, tasks, open feeds, injected faults and
 * counters, all guarded by one lock. One lock keeps every call atomic, like a vCenter that
 * serializes changes of an object, and lets feeds wait on a condition of that lock instead of
 * polling.
 */
final class VcenterCore implements FakeInventory.ChangeSink {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  final ReentrantLock lock = new ReentrantLock();
  final Condition changed = lock.newCondition();
  final Clock clock;
  final String prefix;
  final Duration feedWaitCap;
  final int maxBatch;
  final FakeInventory inventory;
  final VmSpecs specs;
  final FakeTasks tasks = new FakeTasks();
  final FakeGuests guests;
  final FakeClusters clusters = new FakeClusters(this);
  final FakeMetadata metadata = new FakeMetadata();
  final FakeLibraries libraries = new FakeLibraries(this);
  final FakeCloning cloning = new FakeCloning(this);
  final Faults faults = new Faults(this::wakeFeeds);

  private final List<InMemoryChangeFeed> feeds = new ArrayList<>();
  private final Map<TaskKind, Duration> durations = new EnumMap<>(TaskKind.class);
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> started = new ConcurrentHashMap<>();
  private boolean cloneHonoursSpec;
  // CPU time spent inside the client's and the feeds' calls, so a benchmark running the operator
  // beside this vCenter in one process can tell the two apart; off unless asked for (a thread-CPU
  // read costs about a microsecond per call)
  private final boolean accountCpu;
  private final LongAdder cpuNanos = new LongAdder();
  // the session of the client side, as SessionState reports it
  boolean closed;
  boolean loggedIn;
  boolean lastLoginFailed;

  VcenterCore(
      Clock clock,
      String prefix,
      FakeInventory.ModelSpec model,
      Map<TaskKind, Duration> durations,
      boolean cloneHonoursSpec,
      Duration feedWaitCap,
      int maxBatch,
      boolean accountCpu,
      Duration guestReadyAfter) {
    this.clock = clock;
    this.guests = new FakeGuests(guestReadyAfter);
    this.accountCpu = accountCpu;
    this.prefix = prefix;
    this.feedWaitCap = feedWaitCap;
    this.maxBatch = maxBatch;
    this.durations.putAll(durations);
    this.cloneHonoursSpec = cloneHonoursSpec;
    this.inventory = new FakeInventory(model, this);
    this.specs = new VmSpecs(inventory.networks);
    if (clock instanceof TestClock manual) {
      // a moved clock may end tasks or lags that a feed waits for
      manual.onAdvance(this::wakeFeeds);
    }
  }

  // ---------------------------------------------------------------- calls

  /**
   * Runs one client call: counted, refused while vCenter is unreachable or a fault is injected for
   * it, and with every task that has ended by now applied first, so the call sees their effects.
   */
  <T> T call(String method, boolean needsSession, Supplier<T> body) {
    long cpu = cpuStart();
    count(method);
    lock.lock();
    try {
      if (closed) {
        throw new VsphereException("ClientClosed", "the vCenter client is closed", false);
      }
      if (faults.isUnreachable()) {
        if (needsSession && !loggedIn) {
          lastLoginFailed = true; // the login this call needed could not reach vCenter
        }
        throw transport(method);
      }
      VsphereException injected = faults.takeCallFault(method);
      if (injected != null) {
        throw injected;
      }
      if (needsSession && !loggedIn) {
        loggedIn = true;
        lastLoginFailed = false;
        count("login");
      }
      settle();
      return body.get();
    } finally {
      lock.unlock();
      cpuEnd(cpu);
    }
  }

  /** Runs an administrator's action: no counting, no faults, but reported to feeds. */
  <T> T admin(Supplier<T> body) {
    lock.lock();
    try {
      settle();
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  /** The calling thread's CPU time now, if this vCenter accounts its CPU; pair with cpuEnd. */
  long cpuStart() {
    return accountCpu ? THREADS.getCurrentThreadCpuTime() : 0;
  }

  void cpuEnd(long start) {
    if (accountCpu) {
      cpuNanos.add(THREADS.getCurrentThreadCpuTime() - start);
    }
  }

  /** CPU time spent inside calls so far, if accounted (see the builder's accountCpu). */
  long cpuNanos() {
    return cpuNanos.sum();
  }

  void count(String method) {
    calls.computeIfAbsent(method, k -> new LongAdder()).increment();
  }

  VsphereException transport(String method) {
    return new VsphereException.Transport(method + ": in-memory vCenter is unreachable", null);
  }

  boolean unreachable() {
    return faults.isUnreachable();
  }

  // ---------------------------------------------------------------- tasks

  /**
   * Applies every task that has ended by now, and every guest that became ready, in the order they
   * happened.
   */
  void settle() {
    Instant now = clock.instant();
    while (true) {
      Instant taskEnd = tasks.nextEnd();
      Instant guestReady = guests.nextAt();
      if (guestReady != null
          && !guestReady.isAfter(now)
          && (taskEnd == null || guestReady.isBefore(taskEnd))) {
        FakeGuests.Ready r = guests.nextDue(now);
        Entity e = r == null ? null : inventory.get(r.vm());
        if (e != null && e.isVm() && e.vm.power() == PowerState.POWERED_ON) {
          inventory.updateVm(e, FakeGuests.ready(e.vm, e.ref), r.at());
        }
        continue;
      }
      FakeTasks.Task t = tasks.nextDue(now);
      if (t == null) {
        return;
      }
      endTask(t);
    }
  }

  private void endTask(FakeTasks.Task t) {
    try {
      if (t.injected != null) {
        throw t.injected;
      }
      t.result = t.effect.apply(t.endsAt);
      t.state = TaskInfo.State.SUCCESS;
    } catch (VsphereException e) {
      t.state = TaskInfo.State.ERROR;
      t.error = e;
    }
    t.onEnd.run();
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("state", t.state);
    if (t.result != null) {
      values.put("result", t.result);
    }
    if (t.error != null) {
      values.put("error", t.error);
    }
    for (InMemoryChangeFeed f : feeds) {
      f.taskChanged(t.ref.ref(), values, t.endsAt);
    }
    changed.signalAll();
  }

  /** When the next task ends or guest becomes ready, whichever is first; null if none will. */
  Instant nextTimed() {
    Instant a = tasks.nextEnd();
    Instant b = guests.nextAt();
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  TaskRef startTask(TaskKind kind, Duration extra, FakeTasks.Effect effect, Runnable onEnd) {
    started.computeIfAbsent(kind.name(), k -> new LongAdder()).increment();
    Instant end = clock.instant().plus(durations.getOrDefault(kind, Duration.ZERO)).plus(extra);
    return tasks.start(
            inventory.newRef("Task", "task"), kind, end, effect, onEnd, faults.takeTaskFault(kind))
        .ref;
  }

  /** A task that fails as it starts, as vCenter's name check does for a clone. */
  TaskRef failedTask(TaskKind kind, VsphereException error) {
    started.computeIfAbsent(kind.name(), k -> new LongAdder()).increment();
    return tasks.failed(inventory.newRef("Task", "task"), kind, clock.instant(), error).ref;
  }

  // ---------------------------------------------------------------- task work

  /**
   * A name a VM in the folder holds, or another clone into it is creating, fails the task as it
   * starts.
   */
  TaskRef clone(CloneRequest r) {
    return cloning.clone(r, cloneHonoursSpec);
  }

  Duration duration(TaskKind kind) {
    return durations.getOrDefault(kind, Duration.ZERO);
  }

  TaskRef powerOn(MoRef ref) {
    Entity vm = requireVm(ref, "PowerOnVM_Task");
    if (vm.vm.template()) {
      // refused by the call itself, as vCenter does
      throw new VsphereException("InvalidState", "InvalidState: cannot powerOn a template", false);
    }
    return startTask(
        TaskKind.POWER_ON,
        Duration.ZERO,
        at -> {
          Entity e = inventory.require(ref);
          if (faults.powerOnRefused() || e.vm.power() == PowerState.POWERED_ON) {
            throw invalidPowerState(e);
          }
          poweredOn(e, at);
          return null;
        },
        () -> {});
  }

  TaskRef powerOff(MoRef ref) {
    requireVm(ref, "PowerOffVM_Task");
    return startTask(
        TaskKind.POWER_OFF,
        Duration.ZERO,
        at -> {
          Entity e = inventory.require(ref);
          if (e.vm.power() != PowerState.POWERED_ON) {
            throw invalidPowerState(e);
          }
          poweredOff(e, at);
          return null;
        },
        () -> {});
  }

  /**
   * Powers a VM on; its guest boots and applies a pending customization, which the VM's address
   * reports.
   */
  void poweredOn(Entity e, Instant at) {
    VmSpecs.Boot boot = specs.boot(e.hardware);
    e.hardware = boot.hardware();
    inventory.updateVm(e, boot.applied(e.vm.withPower(PowerState.POWERED_ON)), at);
    guests.booted(e.ref, at);
  }

  /** Powers a VM off; where guests are played, its guest then reports nothing, as in vCenter. */
  void poweredOff(Entity e, Instant at) {
    VmState off = e.vm.withPower(PowerState.POWERED_OFF);
    if (guests.simulated()) {
      guests.cancel(e.ref);
      off = FakeGuests.off(off);
    }
    inventory.updateVm(e, off, at);
  }

  TaskRef reconfigure(MoRef ref, VmChange change) {
    requireVm(ref, "ReconfigVM_Task");
    return startTask(
        TaskKind.RECONFIGURE,
        Duration.ZERO,
        at -> {
          Entity e = inventory.require(ref);
          if (e.vm.template()) {
            throw new VsphereException(
                "NotSupported",
                "NotSupported: template reconfigure only allows name changes",
                false);
          }
          if (e.vm.power() == PowerState.POWERED_ON) {
            VmSpecs.hotPlugCheck(e, change.cpu(), change.memoryMiB());
          }
          e.hardware =
              specs.changed(e.hardware, change, e.name, inventory.get(e.vm.datastore()).name);
          inventory.updateVm(
              e,
              e.vm.withSize(change.cpu(), change.memoryMiB()).withExtraConfig(change.extraConfig()),
              at);
          return null;
        },
        () -> {});
  }

  /**
   * CustomizeVM_Task, as the simulator runs it: on a powered-off VM without a pending
   * customization, one adapter setting per NIC; the guest applies it at its next boot. Counted as a
   * reconfigure.
   */
  TaskRef customize(MoRef ref, GuestCustomization c) {
    requireVm(ref, "CustomizeVM_Task");
    return startTask(
        TaskKind.RECONFIGURE,
        Duration.ZERO,
        at -> {
          Entity e = inventory.require(ref);
          if (e.vm.power() == PowerState.POWERED_ON) {
            throw invalidPowerState(e);
          }
          if (e.hardware.pending() != null) {
            throw new VsphereException(
                "CustomizationPending",
                "CustomizationPending: " + e.name + " has a customization its guest hasn't applied",
                false);
          }
          e.hardware = specs.customized(e.hardware, c);
          return null;
        },
        () -> {});
  }

  TaskRef destroy(MoRef ref) {
    Entity target = inventory.require(ref);
    boolean vm = target.isVm();
    return startTask(
        TaskKind.DESTROY,
        Duration.ZERO,
        at -> {
          Entity e = inventory.require(ref);
          if (vm && e.vm.power() == PowerState.POWERED_ON) {
            throw invalidPowerState(e);
          }
          if (!vm && (!e.isFolder() || e.parent == null || !inventory.get(e.parent).isFolder())) {
            // a datacenter's own folders, the root folder, hosts and pools are not the operator's
            throw new VsphereException(
                "NotSupported", "NotSupported: " + ref + " cannot be destroyed", false);
          }
          inventory.remove(e, at);
          return null;
        },
        () -> {});
  }

  Entity requireVm(MoRef ref, String method) {
    Entity e = inventory.require(ref);
    if (!e.isVm()) {
      throw new VsphereException(
          "MethodNotFound", "MethodNotFound: " + ref + " does not implement: " + method, false);
    }
    return e;
  }

  static VsphereException.InvalidPowerState invalidPowerState(Entity vm) {
    return new VsphereException.InvalidPowerState(
        "InvalidPowerState: " + vm.name + " (" + vm.ref + ") is " + vm.vm.power());
  }

  static VsphereException.DuplicateName duplicateName(String name, MoRef existing) {
    return new VsphereException.DuplicateName(
        "DuplicateName: The name '" + name + "' already exists. (held by " + existing + ")",
        existing);
  }

  // ---------------------------------------------------------------- feeds

  @Override
  public void objectChanged(Entity.Snapshot before, Entity.Snapshot after, Instant at) {
    if (before == null && after == null) {
      return; // not a VM or folder: no feed watches it
    }
    for (InMemoryChangeFeed f : feeds) {
      f.objectChanged(before, after, at);
    }
    changed.signalAll();
  }

  /** A watched cluster's DRS or rules changed. */
  void clusterChanged(MoRef cluster, Map<String, Object> values, Instant at) {
    for (InMemoryChangeFeed f : feeds) {
      f.clusterChanged(cluster, values, at);
    }
    changed.signalAll();
  }

  void register(InMemoryChangeFeed feed) {
    lock.lock();
    try {
      feeds.add(feed);
    } finally {
      lock.unlock();
    }
  }

  void unregister(InMemoryChangeFeed feed) {
    feeds.remove(feed);
  }

  List<InMemoryChangeFeed> feeds() {
    lock.lock();
    try {
      return List.copyOf(feeds);
    } finally {
      lock.unlock();
    }
  }

  void wakeFeeds() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- settings

  void setDuration(TaskKind kind, Duration d) {
    withLock(() -> durations.put(kind, d));
  }

  void setCloneHonoursSpec(boolean honour) {
    withLock(() -> cloneHonoursSpec = honour);
  }

  /** Under the lock, with its CPU time accounted as a call's. */
  void accounted(Runnable r) {
    long cpu = cpuStart();
    try {
      withLock(r);
    } finally {
      cpuEnd(cpu);
    }
  }

  void withLock(Runnable r) {
    lock.lock();
    try {
      r.run();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- counters

  long callCount(String method) {
    LongAdder a = calls.get(method);
    return a == null ? 0 : a.sum();
  }

  Map<String, Long> callCounts() {
    Map<String, Long> out = new TreeMap<>();
    calls.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  long tasksStarted(TaskKind kind) {
    LongAdder a = started.get(kind.name());
    return a == null ? 0 : a.sum();
  }

  void resetCounters() {
    calls.clear();
    started.clear();
  }
}
