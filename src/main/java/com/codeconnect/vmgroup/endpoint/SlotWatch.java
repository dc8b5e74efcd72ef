package com.codeconnect.vmgroup.endpoint;

import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While groups wait for the task budget, looks at the tasks holding its slots, so that each slot
 * goes to a waiting group as soon as its task ends rather than when the change feed reports the
 * end.
 *
 * <p>Why: with more work than budget, every round of the budget otherwise loses the feed's delivery
 * delay (in the simulator 0.3 s at 200 VMs and over 1 s at 1,000, because it re-reads the whole
 * filter for every change). One call covers all of a vCenter's tasks in flight. The first look is
 * 50 ms after the wait began, then each gap grows by half up to a quarter of the youngest task's
 * age (at least 250 ms, at most 5 s): short tasks are caught within a few tens of milliseconds,
 * while a backlog of clones taking minutes costs about one call every 5 s. Nothing waits, nothing
 * is called: steady state stays at zero calls. The tasks' outcomes still reach their groups the
 * usual way; this only hands slots on. Each look also passes on free slots whose waiting group was
 * woken for them and hasn't asked within {@link TaskTracker#WAKE_PROMISE} (no vCenter call), and
 * while groups wait with every slot free, only that is done, once per promise period.
 */
public final class SlotWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SlotWatch.class);

  static final Duration FIRST = Duration.ofMillis(50);
  static final Duration MIN_CAP = Duration.ofMillis(250);
  static final Duration MAX_CAP = Duration.ofSeconds(5);

  private final TaskTracker tracker;
  private final Function<List<TaskRef>, List<TaskInfo>> lookup;
  private final Consumer<List<TaskRef>> sawEnded;
  private final Supplier<String> pausedBecause;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  // guarded by this
  private boolean scheduled;
  private Duration gap = FIRST;

  /**
   * @param lookup the states of tasks, in the order asked (one vCenter call)
   * @param sawEnded told which tasks a look found ended (the change feed's lag is judged by them)
   * @param pausedBecause why calls to this vCenter are paused now, or null
   */
  SlotWatch(
      String vcenter,
      TaskTracker tracker,
      Function<List<TaskRef>, List<TaskInfo>> lookup,
      Consumer<List<TaskRef>> sawEnded,
      Supplier<String> pausedBecause,
      Clock clock) {
    this.tracker = tracker;
    this.lookup = lookup;
    this.sawEnded = sawEnded;
    this.pausedBecause = pausedBecause;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "slot-watch-" + vcenter);
              t.setDaemon(true);
              return t;
            });
    tracker.onWaiting(this::waiting);
  }

  /** A group was refused a slot: make sure a look is coming. Called under the tracker's lock. */
  private synchronized void waiting() {
    if (!scheduled) {
      scheduled = true;
      gap = FIRST;
      schedule(FIRST);
    }
  }

  private void schedule(Duration delay) {
    try {
      timer.schedule(this::look, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      scheduled = false;
    }
  }

  private void look() {
    // Slots are promised to one waiting group each; one whose group never came back goes to the
    // next in line here.
    tracker.wakeWaiting();
    List<TaskTracker.InFlight> holding = tracker.holdingSlots();
    if (!tracker.hasWaiting()) {
      synchronized (this) {
        scheduled = false;
      }
      // a group refused between the check and here has called waiting() and found us scheduled
      if (tracker.hasWaiting()) {
        waiting();
      }
      return;
    }
    if (holding.isEmpty()) {
      // every slot is free and promised: nothing to ask vCenter, only promises to watch
      synchronized (this) {
        gap = TaskTracker.WAKE_PROMISE;
        schedule(gap);
      }
      return;
    }
    boolean freed = false;
    if (pausedBecause.get() == null) {
      try {
        freed = handOn(holding.stream().map(TaskTracker.InFlight::task).toList());
      } catch (RuntimeException e) {
        // Anything thrown is caught, VsphereException or not: an exception escaping a scheduled
        // run would silently end the looks for good.
        log.debug("looking at the tasks holding the budget failed: {}", e.getMessage());
      }
    }
    synchronized (this) {
      gap = freed ? FIRST : next(gap, holding, clock.instant());
      schedule(gap);
    }
  }

  /**
   * One call for the states of {@code tasks}; the slots of those vCenter has finished go to waiting
   * groups now. Only a shortcut: the feed and the groups' own polls still see every task end. Also
   * used right after a reconcile started tasks while others wait (fast tasks end within the call).
   *
   * @return whether a slot came free
   */
  public boolean handOn(List<TaskRef> tasks) {
    List<TaskInfo> infos = lookup.apply(tasks);
    List<TaskRef> ended = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      if (infos.get(i).done()) {
        tracker.ended(tasks.get(i));
        ended.add(tasks.get(i));
      }
    }
    sawEnded.accept(ended);
    return !ended.isEmpty();
  }

  /** The gap after a look that freed nothing. */
  static Duration next(Duration gap, List<TaskTracker.InFlight> holding, Instant now) {
    Instant youngest =
        holding.stream().map(TaskTracker.InFlight::started).max(Instant::compareTo).orElse(now);
    Duration cap = Duration.between(youngest, now).dividedBy(4);
    if (cap.compareTo(MIN_CAP) < 0) {
      cap = MIN_CAP;
    } else if (cap.compareTo(MAX_CAP) > 0) {
      cap = MAX_CAP;
    }
    Duration grown = gap.plus(gap.dividedBy(2));
    return grown.compareTo(cap) > 0 ? cap : grown;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
