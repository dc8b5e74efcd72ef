package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.testing.TestClock;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  final Faults faults = new Faults(this::wakeFeeds);

  private final List<InMemoryChangeFeed> feeds = new ArrayList<>();
  private final Map<TaskKind, Duration> durations = new EnumMap<>(TaskKind.class);
  // clone names in flight per folder: vCenter holds a name from the clone's start to its end
  private final Set<List<Object>> reservedNames = new HashSet<>();
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
      boolean accountCpu) {
    this.clock = clock;
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

  /** Applies every task that has ended by now, in the order they ended. */
  void settle() {
    Instant now = clock.instant();
    for (FakeTasks.Task t; (t = tasks.nextDue(now)) != null; ) {
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

  TaskRef clone(CloneRequest r) {
    requireVm(r.source(), "CloneVM_Task");
    Entity taken = inventory.vmNamed(r.folder(), r.name());
    if (taken != null) {
      return failedTask(TaskKind.CLONE, duplicateName(r.name(), taken.ref));
    }
    List<Object> key = List.of(r.folder(), r.name());
    if (!reservedNames.add(key)) {
      // the VM does not exist yet; the folder is the closest object that does
      return failedTask(TaskKind.CLONE, duplicateName(r.name(), r.folder()));
    }
    boolean honour = cloneHonoursSpec;
    // vCenter powers the clone on inside the clone task
    Duration extra =
        honour && r.powerOn()
            ? durations.getOrDefault(TaskKind.POWER_ON, Duration.ZERO)
            : Duration.ZERO;
    return startTask(
        TaskKind.CLONE, extra, at -> finishClone(r, honour, at), () -> reservedNames.remove(key));
  }

  private MoRef finishClone(CloneRequest r, boolean honour, Instant at) {
    Entity folder = inventory.get(r.folder());
    if (folder == null || !folder.isFolder()) {
      throw FakeInventory.notFound(r.folder());
    }
    Entity source = inventory.require(r.source());
    inventory.require(r.pool());
    if (r.datastore() != null) {
      inventory.require(r.datastore());
    }
    Entity taken = inventory.vmNamed(r.folder(), r.name());
    if (taken != null) {
      throw duplicateName(r.name(), taken.ref);
    }
    if (faults.cloneFails(r.name())) {
      throw new VsphereException(
          "NoDiskSpace",
          "NoDiskSpace: There is not enough space on the file system for the selected operation"
              + " (datastore 'LocalDS_0' is full).",
          false);
    }
    VmState s = source.vm;
    if (r.linkedSnapshot() != null && !r.linkedSnapshot().equals(s.snapshot())) {
      throw new VsphereException(
          "InvalidArgument",
          "InvalidArgument: a linked clone needs a snapshot of " + source.name,
          false);
    }
    MoRef datastore = r.datastore() != null ? r.datastore() : s.datastore();
    VmHardware hw = specs.cloned(source.hardware, r, honour, inventory.get(datastore).name);
    boolean on = honour && r.powerOn();
    VmState clone =
        new VmState(
                on ? PowerState.POWERED_ON : PowerState.POWERED_OFF,
                honour && r.cpu() > 0 ? r.cpu() : s.cpu(),
                honour && r.memoryMiB() > 0 ? r.memoryMiB() : s.memoryMiB(),
                false,
                null,
                null,
                s.extraConfig(),
                s.cpuHotAdd(),
                s.memoryHotAdd(),
                null,
                r.pool(),
                datastore)
            .withExtraConfig(r.extraConfig());
    if (on) {
      // the guest boots inside the clone task and applies the customization
      VmSpecs.Boot boot = specs.boot(hw);
      hw = boot.hardware();
      clone = clone.withIpAddress(boot.ipAddress());
    }
    return inventory.addVm(r.folder(), r.name(), clone, hw, at).ref;
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
          inventory.updateVm(e, e.vm.withPower(PowerState.POWERED_OFF), at);
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
    VmState on = e.vm.withPower(PowerState.POWERED_ON);
    inventory.updateVm(e, boot.ipAddress() == null ? on : on.withIpAddress(boot.ipAddress()), at);
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
            hotPlugCheck(e, change.cpu(), change.memoryMiB());
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

  /** vSphere's rule for a running VM: CPU and memory can only grow, and only with hot-add on. */
  private static void hotPlugCheck(Entity e, int cpu, long memoryMiB) {
    VmState s = e.vm;
    if (cpu > 0 && cpu != s.cpu() && (cpu < s.cpu() || !s.cpuHotAdd())) {
      throw new VsphereException(
          "CpuHotPlugNotSupported",
          "CpuHotPlugNotSupported: CPU hot plug of "
              + e.name
              + " from "
              + s.cpu()
              + " to "
              + cpu
              + " not supported",
          false);
    }
    if (memoryMiB > 0
        && memoryMiB != s.memoryMiB()
        && (memoryMiB < s.memoryMiB() || !s.memoryHotAdd())) {
      throw new VsphereException(
          "MemoryHotPlugNotSupported",
          "MemoryHotPlugNotSupported: memory hot plug of "
              + e.name
              + " from "
              + s.memoryMiB()
              + " MB to "
              + memoryMiB
              + " MB not supported",
          false);
    }
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

  private Entity requireVm(MoRef ref, String method) {
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
