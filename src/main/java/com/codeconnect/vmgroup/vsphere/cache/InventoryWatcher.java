package com.codeconnect.vmgroup.vsphere.cache;

import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the change feed on its own thread and keeps the {@link Inventory} current.
 *
 * <p>When the feed fails (vCenter down, session lost beyond what the client recovers) the inventory
 * is marked unsynced, so readers fall back to asking vCenter, and the feed is rebuilt with
 * exponential backoff. Every {@code fullResync} the feed is rebuilt anyway: a full state is fetched
 * again, as a safety net against any missed update.
 */
public final class InventoryWatcher implements AutoCloseable {
  /**
   * Told about every applied batch, on the watcher thread; must not block. {@code resync} means
   * anything may have changed: after a full state was applied, and when the feed breaks.
   */
  public interface Listener {
    void changed(boolean resync, List<Inventory.Delta> deltas);
  }

  static final Duration MAX_WAIT = Duration.ofSeconds(30);
  static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(InventoryWatcher.class);

  private final VsphereClient client;
  private final Supplier<MoRef> root;
  private final Inventory inventory;
  private final Listener listener;
  private final Duration fullResync;
  private final Clock clock;
  private final Set<TaskRef> watched = ConcurrentHashMap.newKeySet();
  private final Set<MoRef> watchedClusters = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile ChangeFeed feed;
  // a feed requestResync closed from its own thread: its next() returns at once, empty
  private volatile ChangeFeed abandoned;
  // a feed was built and its full state not yet applied
  private volatile boolean fullStatePending;
  // while set, no feed runs until it holds (see pause)
  private volatile java.util.function.BooleanSupplier pausedUntil;
  static final Duration PAUSE_CHECK = Duration.ofMillis(200);
  private volatile boolean resyncRequested;
  private volatile Instant lastRequestedResync;
  // a rebuild asked for within MIN_RESYNC_GAP of the last one: made when the gap ends
  private volatile Instant resyncDue;
  private volatile Instant syncedFrom = Instant.EPOCH;
  static final Duration MIN_RESYNC_GAP = Duration.ofSeconds(10);

  public InventoryWatcher(
      VsphereClient client,
      Supplier<MoRef> root,
      Inventory inventory,
      Listener listener,
      Duration fullResync,
      Clock clock) {
    this.client = client;
    this.root = root;
    this.inventory = inventory;
    this.listener = listener;
    this.fullResync = fullResync;
    this.clock = clock;
    this.thread = new Thread(this::run, "vcenter-watch");
    thread.setDaemon(true);
  }

  public InventoryWatcher start() {
    thread.start();
    return this;
  }

  public Inventory inventory() {
    return inventory;
  }

  /**
   * When the feed whose full state the inventory last took was opened: everything vCenter did
   * before then is in the inventory (once it is synced).
   */
  public Instant syncedFrom() {
    return syncedFrom;
  }

  /** A rebuild was asked for and hasn't happened yet. */
  public boolean resyncPending() {
    return resyncRequested || resyncDue != null;
  }

  /** Starts watching tasks; their completion then arrives as a change. */
  public void watchTasks(Collection<TaskRef> tasks) {
    watched.addAll(tasks);
    ChangeFeed f = feed;
    if (f != null) {
      try {
        f.watchTasks(tasks);
      } catch (RuntimeException e) {
        // The feed is failing; the rebuild re-adds every watched task.
        log.debug("could not watch tasks now: {}", e.getMessage());
      }
    }
  }

  public void unwatchTasks(Collection<TaskRef> tasks) {
    watched.removeAll(tasks);
    inventory.forgetTasks(List.copyOf(tasks));
    ChangeFeed f = feed;
    if (f != null) {
      try {
        f.unwatchTasks(tasks);
      } catch (RuntimeException e) {
        log.debug("could not unwatch tasks now: {}", e.getMessage());
      }
    }
  }

  /**
   * Starts watching clusters (those the operator places VMs on): their DRS rules then arrive as
   * changes and stay current in the inventory, so a rule an administrator deleted or edited is seen
   * without a call. Watched until {@link #unwatchClusters}, across rebuilds of the feed.
   */
  public void watchClusters(Collection<MoRef> clusters) {
    watchedClusters.addAll(clusters);
    ChangeFeed f = feed;
    if (f != null) {
      try {
        f.watchClusters(clusters);
      } catch (RuntimeException e) {
        // The feed is failing; the rebuild re-adds every watched cluster.
        log.debug("could not watch clusters now: {}", e.getMessage());
      }
    }
  }

  public void unwatchClusters(Collection<MoRef> clusters) {
    watchedClusters.removeAll(clusters);
    inventory.forgetClusters(clusters);
    ChangeFeed f = feed;
    if (f != null) {
      try {
        f.unwatchClusters(clusters);
      } catch (RuntimeException e) {
        log.debug("could not unwatch clusters now: {}", e.getMessage());
      }
    }
  }

  /** The clusters watched now. */
  public Set<MoRef> watchedClusters() {
    return Set.copyOf(watchedClusters);
  }

  /**
   * Asks for a full resync soon, e.g. after vCenter contradicted the inventory (a clone refused as
   * a duplicate of a VM the inventory doesn't know). At most once per {@link #MIN_RESYNC_GAP}, so a
   * persistent contradiction can't turn into a resync loop.
   *
   * @param now whether to end the wait in progress rather than rebuild after the feed's next batch,
   *     which may be 30 s away when all is quiet, or far later when the server works through a
   *     backlog (govmomi's simulator re-reads every watched object for each change, and stops only
   *     when its batch is done or the filter destroyed). Best not while the caller's tasks run: a
   *     feed rebuilt in the middle of a burst falls behind again at once, and looks current
   *     meanwhile.
   */
  public void requestResync(String reason, boolean now) {
    if (fullStatePending) {
      return; // a feed was just built: its full state, fetched after this was asked, is on its way
    }
    Instant at = clock.instant();
    Instant last = lastRequestedResync;
    if (last != null && Duration.between(last, at).compareTo(MIN_RESYNC_GAP) < 0) {
      // Put off, never dropped: a contradiction that came right after a rebuild (the simulator
      // loses changes made while a feed is opened) would otherwise wait for the periodic one.
      if (resyncDue == null) {
        resyncDue = last.plus(MIN_RESYNC_GAP);
        log.info(
            "rebuilding the vCenter change feed in {} ms: {}",
            Duration.between(at, resyncDue).toMillis(),
            reason);
      }
      return;
    }
    lastRequestedResync = at;
    log.info("rebuilding the vCenter change feed{}: {}", now ? " now" : "", reason);
    resyncRequested = true;
    if (now) {
      abandonFeed();
    }
  }

  /**
   * Stops the feed until {@code resume} holds (asked every {@link #PAUSE_CHECK} on the watcher's
   * thread), then builds it anew with a full state. For a feed so far behind that it is of no use
   * while the caller reads vCenter directly anyway, and only costs vCenter: govmomi's simulator
   * re-reads every watched object for each change, so a feed open through a 1,000-VM burst kept one
   * of its two cores busy for nothing. The inventory keeps what it had; the caller is expected to
   * know it trails (as the operator does by the task ends it saw first).
   */
  public void pause(String reason, java.util.function.BooleanSupplier resume) {
    if (pausedUntil != null) {
      return;
    }
    pausedUntil = resume;
    log.info("stopping the vCenter change feed for now: {}", reason);
    resyncRequested = true;
    abandonFeed();
  }

  /** How many tasks the feed is asked to watch. */
  public int watchedTasks() {
    return watched.size();
  }

  /** Whether the feed is stopped (see {@link #pause}). */
  public boolean paused() {
    return pausedUntil != null;
  }

  /** Ends the wait in progress at once: the feed is closed, from a thread of its own. */
  private void abandonFeed() {
    ChangeFeed f = feed;
    if (f != null) {
      abandoned = f;
      // closing takes a few calls: not on the caller's (a reconcile's) thread
      Thread closer = new Thread(f::close, "vcenter-watch-close");
      closer.setDaemon(true);
      closer.start();
    }
  }

  private void run() {
    int failures = 0;
    Instant opened = null;
    while (running) {
      try {
        java.util.function.BooleanSupplier until = pausedUntil;
        if (until != null) {
          // a feed built while pause() looked is stopped here (one it closed returns at once)
          closeFeed();
          if (!until.getAsBoolean()) {
            sleep(PAUSE_CHECK);
            continue;
          }
          pausedUntil = null;
          // the feed built now starts with a full state: that answers any resync asked for
          // meanwhile, and a second build right after it would only widen the simulator's window
          // for losing changes (it collects a new feed's state before it queues changes for it)
          resyncRequested = false;
          log.info("starting the vCenter change feed again");
        }
        ChangeFeed f = feed;
        if (f == null) {
          f = client.changeFeed(root.get());
          feed = f;
          fullStatePending = true;
          opened = clock.instant();
          resyncDue = null; // this feed's full state answers it
          if (!watched.isEmpty()) {
            f.watchTasks(List.copyOf(watched));
          }
          if (!watchedClusters.isEmpty()) {
            f.watchClusters(List.copyOf(watchedClusters));
          }
        }
        ChangeBatch batch = f.next(waitFor(resyncDue));
        List<Inventory.Delta> deltas = inventory.apply(batch);
        boolean resynced = inventory.takeResyncCompleted();
        if (resynced) {
          syncedFrom = opened;
          fullStatePending = false;
        }
        if (resynced || !deltas.isEmpty()) {
          listener.changed(resynced, deltas);
        }
        if (batch.truncated()) {
          continue;
        }
        if (failures > 0) {
          log.info("vCenter change feed recovered after {} failures", failures);
          failures = 0;
        }
        Instant due = resyncDue;
        if (due != null && !clock.instant().isBefore(due)) {
          resyncDue = null;
          lastRequestedResync = clock.instant();
          resyncRequested = true;
        }
        if (resyncRequested
            || f == abandoned
            || Duration.between(opened, clock.instant()).compareTo(fullResync) > 0) {
          resyncRequested = false;
          closeFeed();
        }
      } catch (RuntimeException e) {
        if (!running) {
          break;
        }
        boolean wasSynced = inventory.synced();
        inventory.markUnsynced();
        if (wasSynced) {
          // Changes stop arriving, and the rebuild may keep failing (vCenter down, root folder
          // gone): every group takes a look now, reading vCenter directly, instead of at its next
          // periodic resync. Before closing the feed, whose cleanup calls can each take a whole
          // timeout while vCenter doesn't answer.
          listener.changed(true, List.of());
        }
        closeFeed();
        failures++;
        Duration backoff = backoff(failures);
        if (failures == 1 || failures % 10 == 0) {
          log.warn(
              "vCenter change feed failed ({} in a row), retrying in {} ms: {}",
              failures,
              backoff.toMillis(),
              e.getMessage());
        }
        sleep(backoff);
      }
    }
    closeFeed();
  }

  /** How long the next wait for changes may last: until a put-off rebuild is due, if one is. */
  private Duration waitFor(Instant due) {
    if (due == null) {
      return MAX_WAIT;
    }
    Duration left = Duration.between(clock.instant(), due);
    if (left.compareTo(MAX_WAIT) > 0) {
      return MAX_WAIT;
    }
    // vCenter counts a wait in whole seconds, and 0 would mean "don't wait at all"
    return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
  }

  private static Duration backoff(int failures) {
    long base = MIN_BACKOFF.toMillis() << Math.min(failures - 1, 5);
    long capped = Math.min(base, MAX_BACKOFF.toMillis());
    // Jitter keeps many operators (or endpoints) from retrying in lockstep.
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  private void closeFeed() {
    ChangeFeed f = feed;
    feed = null;
    if (f != null) {
      try {
        f.close();
      } catch (RuntimeException e) {
        log.debug("closing the change feed: {}", e.getMessage());
      }
    }
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeFeed();
  }
}
