package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.testing.TestClock;
import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Kind;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Op;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The change feed of {@link InMemoryVcenter}: VMs and folders below a root folder (recursively, the
 * root itself excluded, like a recursive ContainerView), the watched tasks and the watched
 * clusters.
 *
 * <p>The first {@link #next} returns a resync with the full state. Later calls return what changed
 * since, in the order it happened: ENTER with every property, MODIFY with only the properties that
 * changed, LEAVE with none. An object moved out of the root's subtree leaves it, one moved in
 * enters it.
 *
 * <p>Waiting: {@code next} returns at once when changes are ready. Otherwise it waits on a
 * condition of the vCenter's lock, so it uses no CPU, and wakes when a change arrives, the feed is
 * closed, vCenter becomes unreachable or a {@link TestClock} is moved. It gives up when {@code
 * maxWait} has passed in real time or on the injected clock, whichever comes first; the real wait
 * is also capped by {@link InMemoryVcenterBuilder#feedWaitCap}. A test on a hand-moved clock thus
 * never waits for time to pass: changes it caused are pending already, and moving the clock wakes a
 * waiting feed.
 *
 * <p>For tests it can be made to lag (a change is delivered only once it is {@link #lag} old on the
 * injected clock), to lose changes ({@link #dropNext}, as govmomi's simulator loses changes made
 * while a feed is opened) and to resync ({@link #forceResync}, as after InvalidCollectorVersion).
 */
public final class InMemoryChangeFeed implements ChangeFeed {
  private record Pending(ObjectChange change, Instant at) {}

  private final VcenterCore core;
  private final MoRef root;
  private final Set<MoRef> watched = new LinkedHashSet<>();
  private final Set<MoRef> clusters = new LinkedHashSet<>();
  private final Deque<Pending> queue = new ArrayDeque<>();
  // all guarded by core.lock
  private boolean resyncPending = true;
  private boolean closed;
  private Duration lag;
  private int dropNext;
  private long dropped;

  InMemoryChangeFeed(VcenterCore core, MoRef root, Duration lag) {
    this.core = core;
    this.root = root;
    this.lag = lag;
  }

  @Override
  public ChangeBatch next(Duration maxWait) {
    long cpu = core.cpuStart();
    core.count("ChangeFeed.next");
    core.lock.lock();
    try {
      VsphereException injected = closed ? null : core.faults.takeCallFault("ChangeFeed.next");
      if (injected != null) {
        throw injected;
      }
      Duration realWait = maxWait.compareTo(core.feedWaitCap) < 0 ? maxWait : core.feedWaitCap;
      long realDeadline = System.nanoTime() + Math.max(0, nanos(realWait));
      Instant clockDeadline = core.clock.instant().plus(maxWait);
      while (true) {
        if (closed) {
          return ChangeBatch.empty();
        }
        if (core.closed) {
          throw new VsphereException("ClientClosed", "the vCenter client is closed", false);
        }
        if (core.unreachable()) {
          throw core.transport("WaitForUpdatesEx");
        }
        core.settle();
        if (resyncPending) {
          return resync();
        }
        Instant now = core.clock.instant();
        ChangeBatch ready = takeReady(now);
        if (ready != null) {
          return ready;
        }
        long left = realDeadline - System.nanoTime();
        if (left <= 0 || !now.isBefore(clockDeadline)) {
          return ChangeBatch.empty();
        }
        core.changed.awaitNanos(Math.min(left, nanosUntilDue(now)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ChangeBatch.empty();
    } finally {
      core.lock.unlock();
      core.cpuEnd(cpu);
    }
  }

  /**
   * How long until something may become ready by the injected clock: a task's end, a guest's
   * readiness or a lagging change's delivery. With a clock that runs by itself that is a real wait;
   * a {@link TestClock} wakes the wait when moved.
   */
  private long nanosUntilDue(Instant now) {
    long wait = Long.MAX_VALUE;
    Instant next = core.nextTimed();
    if (next != null) {
      wait = Math.min(wait, nanos(Duration.between(now, next)));
    }
    Pending head = queue.peek();
    if (head != null && head.at() != Instant.MIN) {
      wait = Math.min(wait, nanos(Duration.between(now, head.at().plus(lag))));
    }
    // at least a millisecond: a clock that does not run by itself must not make this spin
    return Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1));
  }

  private static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /** The full state; what was queued before is part of it or obsolete. */
  private ChangeBatch resync() {
    core.inventory.require(root);
    queue.clear();
    resyncPending = false;
    List<ObjectChange> all = new ArrayList<>();
    for (Entity e : core.inventory.subtree(root)) {
      all.add(enter(core.inventory.snapshot(e)));
    }
    for (MoRef t : List.copyOf(watched)) {
      all.add(taskEnter(t));
    }
    for (MoRef c : List.copyOf(clusters)) {
      all.add(clusterEnter(c));
    }
    if (all.size() <= core.maxBatch) {
      return new ChangeBatch(true, false, all);
    }
    // the rest follows at once, however the feed lags: it is part of the full state
    for (ObjectChange c : all.subList(core.maxBatch, all.size())) {
      queue.add(new Pending(c, Instant.MIN));
    }
    return new ChangeBatch(true, true, all.subList(0, core.maxBatch));
  }

  private ChangeBatch takeReady(Instant now) {
    List<ObjectChange> out = new ArrayList<>();
    while (out.size() < core.maxBatch && ready(queue.peek(), now)) {
      out.add(queue.poll().change());
    }
    if (out.isEmpty()) {
      return null;
    }
    return new ChangeBatch(false, ready(queue.peek(), now), out);
  }

  private boolean ready(Pending p, Instant now) {
    return p != null && (p.at() == Instant.MIN || !p.at().plus(lag).isAfter(now));
  }

  private ObjectChange enter(Entity.Snapshot s) {
    return new ObjectChange(s.ref(), s.kind(), Op.ENTER, s.values(core.prefix));
  }

  /** A watched task as it is now; one vCenter no longer knows fails with ManagedObjectNotFound. */
  private ObjectChange taskEnter(MoRef task) {
    FakeTasks.Task t = core.tasks.get(task);
    if (t != null) {
      return new ObjectChange(task, Kind.TASK, Op.ENTER, t.values());
    }
    watched.remove(task);
    Map<String, Object> values = new HashMap<>();
    values.put("state", TaskInfo.State.ERROR);
    values.put("result", null);
    values.put("error", FakeInventory.notFound(task));
    return new ObjectChange(task, Kind.TASK, Op.ENTER, values);
  }

  /** A watched cluster with DRS and its rules; one vCenter doesn't know leaves, once. */
  private ObjectChange clusterEnter(MoRef cluster) {
    Entity e = core.inventory.get(cluster);
    if (e == null || e.rules == null) {
      clusters.remove(cluster);
      return new ObjectChange(cluster, Kind.CLUSTER, Op.LEAVE, Map.of());
    }
    return new ObjectChange(cluster, Kind.CLUSTER, Op.ENTER, FakeClusters.values(e, true));
  }

  // ---------------------------------------------------------------- from the vCenter

  /** Called under the vCenter's lock for every change of a VM or folder. */
  void objectChanged(Entity.Snapshot before, Entity.Snapshot after, Instant at) {
    if (resyncPending || closed) {
      return; // the coming resync reads the state as it is then
    }
    boolean was = before != null && before.below(root);
    boolean is = after != null && after.below(root);
    ObjectChange c;
    if (!was && is) {
      c = enter(after);
    } else if (was && !is) {
      c = new ObjectChange(before.ref(), before.kind(), Op.LEAVE, Map.of());
    } else if (was) {
      Map<String, Object> changed = after.changedSince(before, core.prefix);
      if (changed.isEmpty()) {
        return;
      }
      c = new ObjectChange(after.ref(), after.kind(), Op.MODIFY, changed);
    } else {
      return;
    }
    offer(c, at);
  }

  /** Called under the vCenter's lock when a task ends. */
  void taskChanged(MoRef task, Map<String, Object> values, Instant at) {
    if (!resyncPending && !closed && watched.contains(task)) {
      offer(new ObjectChange(task, Kind.TASK, Op.MODIFY, values), at);
    }
  }

  /** Called under the vCenter's lock when a cluster's DRS or rules changed. */
  void clusterChanged(MoRef cluster, Map<String, Object> values, Instant at) {
    if (!resyncPending && !closed && clusters.contains(cluster)) {
      offer(new ObjectChange(cluster, Kind.CLUSTER, Op.MODIFY, values), at);
    }
  }

  private void offer(ObjectChange c, Instant at) {
    if (dropNext > 0) {
      dropNext--;
      dropped++;
      return;
    }
    queue.add(new Pending(c, at));
  }

  // ---------------------------------------------------------------- tasks

  /**
   * Adds tasks; each arrives as an ENTER with its current state. Ignored while vCenter is
   * unreachable, as the SOAP feed then leaves the task to be asked for directly.
   */
  @Override
  public void watchTasks(Collection<TaskRef> tasks) {
    core.count("ChangeFeed.watchTasks");
    core.accounted(
        () -> {
          if (closed || core.unreachable()) {
            return;
          }
          core.settle();
          Instant now = core.clock.instant();
          for (TaskRef t : tasks) {
            if (watched.add(t.ref()) && !resyncPending) {
              offer(taskEnter(t.ref()), now);
            }
          }
          core.changed.signalAll();
        });
  }

  /** Stops watching; no LEAVE is sent, as govmomi's simulator sends none either. */
  @Override
  public void unwatchTasks(Collection<TaskRef> tasks) {
    core.count("ChangeFeed.unwatchTasks");
    core.accounted(() -> tasks.forEach(t -> watched.remove(t.ref())));
  }

  /**
   * Adds clusters; each arrives as an ENTER with DRS and its rules, as the SOAP feed reports it.
   */
  @Override
  public void watchClusters(Collection<MoRef> refs) {
    core.count("ChangeFeed.watchClusters");
    core.accounted(
        () -> {
          if (closed || core.unreachable()) {
            return;
          }
          Instant now = core.clock.instant();
          for (MoRef c : refs) {
            if (clusters.add(c) && !resyncPending) {
              offer(clusterEnter(c), now);
            }
          }
          core.changed.signalAll();
        });
  }

  @Override
  public void unwatchClusters(Collection<MoRef> refs) {
    core.count("ChangeFeed.unwatchClusters");
    core.accounted(() -> refs.forEach(clusters::remove));
  }

  @Override
  public void close() {
    core.accounted(
        () -> {
          if (closed) {
            return;
          }
          core.count("ChangeFeed.close");
          closed = true;
          queue.clear();
          core.unregister(this);
          core.changed.signalAll();
        });
  }

  // ---------------------------------------------------------------- test controls

  /** Delivers each change only once it is this old on the injected clock; zero delivers at once. */
  public InMemoryChangeFeed lag(Duration lag) {
    core.withLock(
        () -> {
          this.lag = lag;
          core.changed.signalAll();
        });
    return this;
  }

  /** Loses the next {@code n} changes (object or task), as if vCenter never sent them. */
  public InMemoryChangeFeed dropNext(int n) {
    core.withLock(() -> dropNext += n);
    return this;
  }

  /** The next {@link #next} returns a resync, as after InvalidCollectorVersion or a new session. */
  public InMemoryChangeFeed forceResync() {
    core.withLock(
        () -> {
          resyncPending = true;
          core.changed.signalAll();
        });
    return this;
  }

  public MoRef root() {
    return root;
  }

  public boolean isClosed() {
    return read(() -> closed);
  }

  /** Changes waiting for delivery (lagging ones included). */
  public int pending() {
    return read(queue::size);
  }

  /** Changes lost through {@link #dropNext} so far. */
  public long dropped() {
    return read(() -> dropped);
  }

  public Set<TaskRef> watchedTasks() {
    return read(
        () -> {
          Set<TaskRef> out = new LinkedHashSet<>();
          watched.forEach(r -> out.add(new TaskRef(r)));
          return out;
        });
  }

  private <T> T read(java.util.function.Supplier<T> s) {
    core.lock.lock();
    try {
      return s.get();
    } finally {
      core.lock.unlock();
    }
  }
}
