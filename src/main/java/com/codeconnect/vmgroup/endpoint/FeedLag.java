package com.codeconnect.vmgroup.endpoint;

import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.cache.InventoryWatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the change feed trails vCenter, judged by the tasks of ours whose end a direct look saw
 * before the feed reported it (watermarks), and what to do about it: read vCenter directly while it
 * trails ({@link #lagging}), stop the feed while it can't keep up with our own tasks, rebuild it
 * once they are done. Only for a vCenter with a change feed; {@link VcenterState} holds one.
 */
final class FeedLag {
  private static final Logger log = LoggerFactory.getLogger(FeedLag.class);
  private final InventoryWatcher watcher;
  private final VcenterEventSource.Scope events;
  private final Clock clock;
  private final IntSupplier tasksRunning;
  // when a task of ours was last seen running here (see quiet())
  private volatile Instant lastBusy = Instant.EPOCH;
  private final Map<TaskRef, Instant> seenEndedFirst =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Set<TaskRef> reportedByFeed =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  // the entries of seenEndedFirst in the order they were made (oldest first); stale ones are
  // skipped and dropped when they reach the head
  private final java.util.concurrent.ConcurrentLinkedDeque<Map.Entry<TaskRef, Instant>> watermarks =
      new java.util.concurrent.ConcurrentLinkedDeque<>();
  private volatile boolean wasLagging;
  // ended tasks kept in the feed's view until it reports them (see finished)
  private final java.util.Set<TaskRef> unwatchOnReport =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param tasksRunning how many of this operator's tasks run on this vCenter now
   */
  FeedLag(
      InventoryWatcher watcher,
      VcenterEventSource.Scope events,
      Clock clock,
      IntSupplier tasksRunning) {
    this.watcher = watcher;
    this.events = events;
    this.clock = clock;
    this.tasksRunning = tasksRunning;
  }

  /**
   * How far the change feed may trail vCenter before reads bypass it: a task seen ended by a direct
   * look longer ago than this, whose end the feed still hasn't delivered.
   */
  static final Duration FEED_LAG_LIMIT = Duration.ofSeconds(2);

  /**
   * How far the change feed may trail vCenter while tasks of ours run before it is stopped until
   * they are done (see {@link #MAX_PAUSE}). Above the simulator's own delay in notifying a burst of
   * out-of-band changes at 1,000 VMs (2.4-3.1 s), so a repair of drift, which runs tasks of ours
   * while the feed still works through the changes that caused it, doesn't stop the feed.
   */
  static final Duration FEED_PAUSE_LIMIT = Duration.ofSeconds(5);

  /**
   * How far the change feed may trail vCenter, once no task of ours runs there, before it is
   * rebuilt, like an informer relisting when its watch fell behind. The watcher rebuilds at most
   * once in 10 s however often asked.
   */
  static final Duration FEED_STALL_LIMIT = Duration.ofSeconds(10);

  /**
   * How long a task seen ended directly counts as a watermark at most. Only a safety net: such a
   * task stays in the feed's view until the feed reports it (see {@link #finished}), and a rebuilt
   * feed settles all older ones. It is long because the simulator's feed falls minutes behind after
   * a 1,000-VM burst (it re-reads every watched object for each change), and trusting it again too
   * early meant acting on VMs it still showed at the template's size.
   */
  static final Duration WATERMARK_TTL = Duration.ofMinutes(5);

  /**
   * True while the change feed trails vCenter by more than {@link #FEED_LAG_LIMIT}, judged by the
   * tasks whose end a direct look saw first. Reads then go to vCenter, as before the first sync:
   * the simulator's feed fell 30 s behind in a 1,000-VM burst, and groups reading the inventory
   * reported "1 of 10 VMs ready" with all ten running, and cloned names already taken. Once the
   * feed delivers those ends (it delivers in order), the inventory is trusted again. Without tasks
   * in flight nothing is ever lagging, so this costs nothing in steady state.
   */
  boolean lagging() {
    if (seenEndedFirst.isEmpty()) {
      if (!watermarks.isEmpty()) {
        // all reported by the feed; an entry just made (map first, then here) is kept
        watermarks.removeIf(e -> !e.getValue().equals(seenEndedFirst.get(e.getKey())));
      }
      return verdict(false);
    }
    Instant now = clock.instant();
    Instant late = now.minus(FEED_LAG_LIMIT);
    Instant expired = now.minus(WATERMARK_TTL);
    // A feed opened after a task was seen ended brought its effect in its full state, and won't
    // report that end if the task stopped being watched before.
    Instant syncedFrom = watcher.syncedFrom();
    // Only the oldest watermark decides, and watermarks are made in time order: asked several times
    // per reconcile with a burst's thousand tasks held, a scan of them all was a hot spot.
    List<TaskRef> settled = new ArrayList<>();
    boolean lagging = false;
    for (Map.Entry<TaskRef, Instant> head; (head = watermarks.peekFirst()) != null; ) {
      Instant at = seenEndedFirst.get(head.getKey());
      if (at == null || !at.equals(head.getValue())) {
        watermarks.remove(head); // the feed reported it meanwhile
        continue;
      }
      if (at.isBefore(expired) || at.isBefore(syncedFrom)) {
        watermarks.remove(head);
        if (seenEndedFirst.remove(head.getKey(), at)) {
          settled.add(head.getKey());
        }
        continue;
      }
      lagging = at.isBefore(late);
      if (at.isBefore(now.minus(FEED_PAUSE_LIMIT))) {
        if (!quiet(now)) {
          // Of no use while our tasks run (their groups read vCenter directly meanwhile), and
          // rebuilt now it would fall behind again at once: stopped until they are done.
          if (!watcher.paused()) {
            watcher.pause(
                "it trails vCenter by over "
                    + FEED_PAUSE_LIMIT.toSeconds()
                    + " s while tasks of ours run",
                resumeCondition(now));
          }
        } else if (at.isBefore(now.minus(FEED_STALL_LIMIT))) {
          // Rebuilt, the feed starts from one full read of what it watches; working through its
          // backlog may take far longer (minutes on the simulator after a 1,000-VM burst).
          watcher.requestResync(
              "it trails vCenter by over " + FEED_STALL_LIMIT.toSeconds() + " s", true);
        }
      }
      break;
    }
    if (!settled.isEmpty()) {
      List<TaskRef> leave = settled.stream().filter(unwatchOnReport::remove).toList();
      if (!leave.isEmpty()) {
        watcher.unwatchTasks(leave);
      }
    }
    return verdict(lagging);
  }

  /**
   * No task of ours has run here for {@link #QUIET_BEFORE_REBUILD}. Only then is the feed rebuilt
   * in a hurry: rebuilt in the middle of a burst it falls behind again at once and looks current
   * meanwhile, so groups trusted it about their tasks and learned of their ends 10 s late (seen
   * when a rebuild came while the budget's slots were briefly all free between two clones).
   */
  boolean quiet(Instant now) {
    if (tasksRunning.getAsInt() > 0) {
      lastBusy = now;
      return false;
    }
    return !lastBusy.plus(QUIET_BEFORE_REBUILD).isAfter(now);
  }

  static final Duration QUIET_BEFORE_REBUILD = Duration.ofSeconds(2);

  /**
   * The longest the feed stays stopped while tasks of ours keep running: a long rollout must not
   * leave changes made by others unnoticed until it ends. Rebuilt, it is stopped again if it falls
   * behind again.
   */
  static final Duration MAX_PAUSE = Duration.ofSeconds(30);

  /** When a feed stopped at {@code pausedAt} is started again (see {@link #lagging}). */
  private java.util.function.BooleanSupplier resumeCondition(Instant pausedAt) {
    Instant latest = pausedAt.plus(MAX_PAUSE);
    return () -> {
      Instant now = clock.instant();
      return quiet(now) || !now.isBefore(latest);
    };
  }

  /** Logs a change of verdict, once. */
  private boolean verdict(boolean lagging) {
    if (lagging != wasLagging) {
      wasLagging = lagging;
      if (lagging) {
        log.info(
            "the vCenter change feed trails vCenter by over {} s: reading vCenter directly until"
                + " it catches up",
            FEED_LAG_LIMIT.toSeconds());
      } else {
        log.info("the vCenter change feed caught up: reading the inventory again");
      }
    }
    return lagging;
  }

  /** A direct look (not the feed) saw these tasks ended. */
  void sawEnded(List<TaskRef> tasks) {
    Instant now = clock.instant();
    List<TaskRef> first = new ArrayList<>();
    for (TaskRef t : tasks) {
      if (!reportedByFeed.contains(t) && seenEndedFirst.putIfAbsent(t, now) == null) {
        watermarks.addLast(Map.entry(t, now));
        first.add(t);
      }
    }
    events.tasksEndedSeen(first);
  }

  /** The change feed delivered this task's end. */
  void feedReportedEnd(TaskRef task) {
    if (unwatchOnReport.remove(task)) {
      watcher.unwatchTasks(List.of(task));
    }
    if (seenEndedFirst.remove(task) == null) {
      // the feed was first: remember briefly, so a later direct look doesn't count as a lag
      reportedByFeed.add(task);
      if (reportedByFeed.size() > 10_000) {
        reportedByFeed.clear();
      }
    }
  }

  /** A task of ours started here now. */
  void busy(Instant now) {
    lastBusy = now;
  }

  /**
   * Of these ended tasks, those the feed may stop watching now. A task whose end only a direct look
   * has seen stays in the feed's view until the feed reports it: the simulator reads a view as it
   * is when it gets to a change, so a task that already left the view is never reported, and its
   * end would count as the feed's lag until it expires.
   */
  List<TaskRef> unwatchNow(List<TaskRef> tasks) {
    List<TaskRef> now = new ArrayList<>();
    for (TaskRef t : tasks) {
      if (seenEndedFirst.containsKey(t)) {
        unwatchOnReport.add(t);
      } else {
        now.add(t);
      }
    }
    return now;
  }
}
