package com.codeconnect.vmgroup.endpoint;

import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The vCenter tasks the operator started and hasn't seen finish, per group, plus the budget of
 * tasks in flight and the backoff of VMs whose last task failed.
 *
 * <p>Only memory: after a restart a running task is found again through the VM it works on (its
 * deterministic name and ownership marker), and a repeated clone is refused by vCenter as a
 * duplicate name, so nothing is created twice.
 */
public final class TaskTracker {
  static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  static final Duration STALE_WAIT = Duration.ofSeconds(30);

  /**
   * How long a free slot stays promised to the waiting group woken for it. A group that hasn't
   * asked again by then (its reconcile queued behind others, or it no longer needs the slot) loses
   * the promise, and the next look of the {@link SlotWatch} wakes another.
   */
  static final Duration WAKE_PROMISE = Duration.ofSeconds(1);

  /**
   * How long after a task's end its effect may take to reach the change feed before the feed is
   * suspected of having lost it: normally well under a second (the simulator's 250 ms tick).
   */
  public static final Duration EFFECT_GRACE = Duration.ofSeconds(3);

  /** A task in flight. */
  public record InFlight(String target, Action action, TaskRef task, Instant started) {}

  /** The last failure of a VM's task, and when to try again. */
  public record Failure(String vmName, Problem problem, int attempts, Instant notBefore) {}

  private volatile int budget;
  private final AtomicInteger used = new AtomicInteger();
  private final Clock clock;
  // only groups with tasks in flight: a group's map goes when its last task does, so what looks at
  // every group in flight (the fair share, every slot's hand-over) costs the budget, not the fleet
  private final Map<String, Map<String, InFlight>> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Failure>> failures = new ConcurrentHashMap<>();
  // groups refused a slot, in the order they first asked, with when they last asked (guarded by
  // this)
  private final Map<String, Instant> waiting = new LinkedHashMap<>();
  // the same groups in the order they last asked, so the stale ones are found at its head instead
  // of by a look at every waiting group on every request (guarded by this)
  private final Map<String, Instant> byLastAsked = new LinkedHashMap<>();
  // waiting groups woken for a free slot that haven't asked again yet (guarded by this)
  private final Map<String, Instant> woken = new HashMap<>();
  private final Map<String, Map<String, Settling>> settling = new ConcurrentHashMap<>();
  private volatile Consumer<String> wake = g -> {};
  private volatile Runnable onWait = () -> {};
  // every task in some group's inFlight map, so a task's end reported by the change feed is known
  // as ours by one lookup, not by a look at every task in flight (the budget's worth)
  private final Set<TaskRef> tracked = ConcurrentHashMap.newKeySet();
  // Tasks whose end the change feed reported before their group looked: their slot is back.
  private final Set<TaskRef> released = ConcurrentHashMap.newKeySet();
  private volatile Listener listener = new Listener() {};

  /**
   * Hears about tasks as the tracker sees them start and end, e.g. for metrics. Called on reconcile
   * threads; must be quick and must not throw.
   */
  public interface Listener {
    default void started(Action action) {}

    /** A task ended ({@link TaskInfo#done()}); seen once per task. */
    default void finished(Action action, TaskInfo info) {}
  }

  public TaskTracker(int budget, Clock clock) {
    this.budget = budget;
    this.clock = clock;
  }

  /**
   * Takes one slot of the budget for {@code group}; false when the budget is used up or the group
   * already holds its fair share while other groups wait. A refused group is woken through the
   * callback of {@link #onSlotFreed} once a slot comes free.
   */
  public boolean tryAcquire(String group) {
    boolean slotLeftFree;
    synchronized (this) {
      Instant now = clock.instant();
      dropStale(now);
      // Whatever this group was woken for, it has asked now: the promise is kept or void.
      woken.remove(group);
      int mine = inFlight.getOrDefault(group, Map.of()).size();
      // the share only matters while a slot is free: in a burst the budget is mostly used up
      if (used.get() < budget && mine < share(group)) {
        waiting.remove(group);
        byLastAsked.remove(group);
        used.incrementAndGet();
        return true;
      }
      // a put keeps a group's place in the queue; only its time of last asking moves
      waiting.put(group, now);
      byLastAsked.remove(group);
      byLastAsked.put(group, now);
      onWait.run();
      slotLeftFree = used.get() < budget;
    }
    if (slotLeftFree) {
      // refused for its share, not for want of a slot: the slot goes to the next in line
      wakeWaiting(group);
    }
    return false;
  }

  /**
   * The slots each group may hold now: the budget split evenly among the groups waiting or with
   * tasks in flight, {@code asking} included. Called under this object's lock.
   */
  private int share(String asking) {
    // the size of the union of the waiting groups, those in flight and the asking one
    int active = waiting.size();
    for (Map.Entry<String, Map<String, InFlight>> e : inFlight.entrySet()) {
      if (!e.getValue().isEmpty() && !waiting.containsKey(e.getKey())) {
        active++;
      }
    }
    if (asking != null
        && !waiting.containsKey(asking)
        && inFlight.getOrDefault(asking, Map.of()).isEmpty()) {
      active++;
    }
    return Math.max(1, (budget + active - 1) / Math.max(1, active));
  }

  /**
   * Forgets waiting groups that haven't asked within {@link #STALE_WAIT}: they are at the head of
   * {@link #byLastAsked} (the clock is taken as not running backwards). Called under this lock.
   */
  private void dropStale(Instant now) {
    Instant cutoff = now.minus(STALE_WAIT);
    var it = byLastAsked.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Instant> e = it.next();
      if (!e.getValue().isBefore(cutoff)) {
        return;
      }
      it.remove();
      waiting.remove(e.getKey());
    }
  }

  /** Changes the budget (a VCenter's spec.taskBudget was edited); running tasks keep theirs. */
  public void budget(int budget) {
    if (budget < 1) {
      throw new IllegalArgumentException("budget must be >= 1");
    }
    int before = this.budget;
    this.budget = budget;
    if (budget > before) {
      wakeWaiting();
    }
  }

  public int budget() {
    return budget;
  }

  /** Returns a slot taken by {@link #tryAcquire(String)} whose task never started. */
  public void release() {
    used.decrementAndGet();
    wakeWaiting();
  }

  /** Sets who is told, quickly and without blocking, that a group was refused a slot. */
  public void onWaiting(Runnable onWait) {
    this.onWait = onWait;
  }

  /** True while some group that was refused a slot still asks for one. */
  public synchronized boolean hasWaiting() {
    dropStale(clock.instant());
    woken.keySet().retainAll(waiting.keySet());
    return !waiting.isEmpty();
  }

  /** Tasks holding a slot: started, not seen ended by a poll, the feed or {@link #ended}. */
  public List<InFlight> holdingSlots() {
    List<InFlight> tasks = new ArrayList<>();
    for (Map<String, InFlight> mine : inFlight.values()) {
      for (InFlight f : mine.values()) {
        if (!released.contains(f.task())) {
          tasks.add(f);
        }
      }
    }
    return tasks;
  }

  /** Sets who is told that a group refused a slot may now try again. */
  public void onSlotFreed(Consumer<String> wake) {
    this.wake = wake;
  }

  /**
   * Wakes as many waiting groups as there are free slots not yet promised, longest waiting first.
   * Waking them all, as this once did, had a hundred groups reconcile for each slot in a 1,000-VM
   * burst, one of them to get it: each of those reconciles read vCenter and most wrote a status.
   * Groups stay counted as waiting (so their share holds) until they get a slot, give up (no longer
   * ask within {@link #STALE_WAIT}) or are forgotten.
   */
  void wakeWaiting() {
    wakeWaiting(null);
  }

  private void wakeWaiting(String except) {
    List<String> toWake = new ArrayList<>();
    synchronized (this) {
      Instant now = clock.instant();
      List<String> lapsed = new ArrayList<>();
      woken.forEach(
          (g, at) -> {
            if (at.plus(WAKE_PROMISE).isBefore(now)) {
              lapsed.add(g);
            }
          });
      for (String g : lapsed) {
        woken.remove(g);
        // to the back of the line: a group that no longer asks must not keep the slot idle
        Instant since = waiting.remove(g);
        if (since != null) {
          waiting.put(g, since);
        }
      }
      int free = budget - used.get() - woken.size();
      int share = free > 0 ? share(null) : 0;
      for (String g : waiting.keySet()) {
        if (free <= 0) {
          break;
        }
        // one already at its fair share would only be refused again
        boolean atShare = inFlight.getOrDefault(g, Map.of()).size() >= share;
        if (!g.equals(except) && !atShare && woken.putIfAbsent(g, now) == null) {
          toWake.add(g);
          free--;
        }
      }
    }
    toWake.forEach(wake);
  }

  /** Sets who hears about tasks starting and ending. */
  public void listener(Listener listener) {
    this.listener = listener;
  }

  public int inUse() {
    return used.get();
  }

  /**
   * Tasks started and not yet seen finished, across all groups: neither by their group's poll nor
   * by the change feed ({@link #ended}).
   */
  public int running() {
    int n = 0;
    for (Map<String, InFlight> tasks : inFlight.values()) {
      n += tasks.size();
    }
    // a moment's race between the two reads can't make a gauge negative
    return Math.max(0, n - released.size());
  }

  public void started(String group, Action action, TaskRef task) {
    InFlight f = new InFlight(action.target(), action, task, clock.instant());
    // atomic with poll's removal of an emptied map, so a task is never put in a map just dropped
    InFlight[] replaced = new InFlight[1];
    inFlight.compute(
        group,
        (g, tasks) -> {
          Map<String, InFlight> m = tasks == null ? new ConcurrentHashMap<>() : tasks;
          replaced[0] = m.put(f.target(), f);
          return m;
        });
    if (replaced[0] != null) {
      tracked.remove(replaced[0].task());
    }
    tracked.add(task);
    listener.started(action);
  }

  public Map<String, InFlight> inFlight(String group) {
    return Map.copyOf(inFlight.getOrDefault(group, Map.of()));
  }

  /**
   * Asks vCenter about the group's tasks in one call, forgets the finished ones (returning their
   * budget slots) and records failures with a backoff per VM.
   *
   * @return the tasks that finished since the last poll, with their outcome
   */
  public List<Finished> poll(String group, Function<List<InFlight>, List<TaskInfo>> lookup) {
    Map<String, InFlight> tasks = inFlight.get(group);
    if (tasks == null || tasks.isEmpty()) {
      return List.of();
    }
    List<InFlight> pending = new ArrayList<>(tasks.values());
    List<TaskInfo> infos = lookup.apply(pending);
    List<Finished> finished = new ArrayList<>();
    boolean freed = false;
    for (int i = 0; i < pending.size(); i++) {
      InFlight f = pending.get(i);
      TaskInfo info = infos.get(i);
      if (!info.done()) {
        continue;
      }
      if (tasks.remove(f.target(), f)) {
        tracked.remove(f.task());
        if (!released.remove(f.task())) {
          used.decrementAndGet();
        }
        // only the poll that removes a task tells the listener, so each end is counted once
        listener.finished(f.action(), info);
      }
      finished.add(new Finished(f, info));
      freed = true;
      if (info.state() == TaskInfo.State.SUCCESS) {
        Optional.ofNullable(failures.get(group)).ifPresent(m -> m.remove(f.target()));
      }
    }
    inFlight.computeIfPresent(group, (g, m) -> m.isEmpty() ? null : m);
    if (freed) {
      wakeWaiting();
    }
    return finished;
  }

  /** A task that finished, successfully or not. */
  public record Finished(InFlight task, TaskInfo info) {}

  /**
   * Remembers that an action's task succeeded, so its VM is left alone until the observed state
   * shows the effect (the change feed may deliver the task's end before the VM's new state), or
   * until {@code until}.
   */
  public void settling(String group, Action action, Instant until) {
    settling
        .computeIfAbsent(group, g -> new ConcurrentHashMap<>())
        .put(action.target(), new Settling(action, until, clock.instant()));
  }

  /**
   * Names of the VMs whose last task ended and whose effect wasn't observed yet when last asked.
   */
  public Set<String> settlingNames(String group) {
    return Set.copyOf(settling.getOrDefault(group, Map.of()).keySet());
  }

  /**
   * Names of VMs whose last action's effect isn't observed yet; forgets those observed or overdue.
   *
   * @param observed the group's own VMs as now observed, by name
   */
  public Set<String> unsettled(String group, Map<String, VmInfo> observed) {
    Map<String, Settling> mine = settling.get(group);
    if (mine == null) {
      return Set.of();
    }
    Instant now = clock.instant();
    mine.entrySet()
        .removeIf(
            e ->
                e.getValue().until().isBefore(now)
                    || e.getValue().action().settledBy(observed.get(e.getKey())));
    return Set.copyOf(mine.keySet());
  }

  /**
   * Names of VMs whose last task ended over {@link #EFFECT_GRACE} ago and whose effect the observed
   * state still doesn't show (call after {@link #unsettled}, which forgets the settled ones).
   */
  public Set<String> overdue(String group, Map<String, VmInfo> observed) {
    Map<String, Settling> mine = settling.get(group);
    if (mine == null) {
      return Set.of();
    }
    Instant cutoff = clock.instant().minus(EFFECT_GRACE);
    Set<String> late = new java.util.TreeSet<>();
    mine.forEach(
        (name, s) -> {
          if (s.ended().isBefore(cutoff) && !s.action().settledBy(observed.get(name))) {
            late.add(name);
          }
        });
    return late;
  }

  private record Settling(Action action, Instant until, Instant ended) {}

  /** Records a failure of a VM's action and schedules its retry with exponential backoff. */
  public void failed(String group, String vmName, Problem problem) {
    failures
        .computeIfAbsent(group, g -> new ConcurrentHashMap<>())
        .compute(
            vmName,
            (name, old) -> {
              int attempts = old == null ? 1 : old.attempts() + 1;
              long factor = 1L << Math.min(attempts - 1, 20);
              Duration delay = MIN_BACKOFF.multipliedBy(factor);
              if (delay.compareTo(MAX_BACKOFF) > 0) {
                delay = MAX_BACKOFF;
              }
              return new Failure(name, problem, attempts, clock.instant().plus(delay));
            });
  }

  /** Every VM of the group whose last task failed, by name. */
  public Map<String, Failure> failures(String group) {
    return Map.copyOf(failures.getOrDefault(group, Map.of()));
  }

  /** VMs whose last task failed and whose backoff hasn't run out. */
  public Map<String, Failure> backingOff(String group) {
    Instant now = clock.instant();
    Map<String, Failure> result = new HashMap<>();
    failures
        .getOrDefault(group, Map.of())
        .forEach(
            (name, failure) -> {
              if (failure.notBefore().isAfter(now)) {
                result.put(name, failure);
              }
            });
    return result;
  }

  /** The most recent failure of any of the group's VMs, kept until a task for it succeeds. */
  public Optional<Failure> lastFailure(String group) {
    return failures.getOrDefault(group, Map.of()).values().stream()
        .max(java.util.Comparator.comparing(Failure::notBefore));
  }

  /** Forgets failures of VMs now observed healthy: whatever failed was fixed meanwhile. */
  public void forgetFailuresOf(String group, java.util.Collection<String> healthy) {
    Optional.ofNullable(failures.get(group)).ifPresent(m -> m.keySet().removeAll(healthy));
  }

  /** Forgets failures of VMs that are no longer wanted. */
  public void forgetFailuresExcept(String group, java.util.Set<String> wanted) {
    Optional.ofNullable(failures.get(group)).ifPresent(m -> m.keySet().retainAll(wanted));
  }

  /**
   * The change feed (or a look right after starting it) saw this task end: its budget slot goes to
   * a waiting group at once, instead of after the owning group's next reconcile has looked at it.
   * Unknown or already released tasks are ignored.
   */
  public void ended(TaskRef task) {
    if (tracked.contains(task) && released.add(task)) {
      used.decrementAndGet();
      wakeWaiting();
    }
  }

  /** Drops everything about a group, e.g. after its deletion finished. */
  public void forget(String group) {
    Map<String, InFlight> tasks = inFlight.remove(group);
    if (tasks != null) {
      for (InFlight f : tasks.values()) {
        tracked.remove(f.task());
        if (!released.remove(f.task())) {
          used.decrementAndGet();
        }
      }
    }
    failures.remove(group);
    settling.remove(group);
    synchronized (this) {
      waiting.remove(group);
      byLastAsked.remove(group);
      woken.remove(group);
    }
    wakeWaiting();
  }
}
