package com.codeconnect.vmgroup.endpoint;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Placement;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.cache.Inventory;
import com.codeconnect.vmgroup.vsphere.cache.InventoryWatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What reconciles read about vCenter: the change-fed {@link Inventory} while it is in sync, and
 * vCenter itself otherwise (before the first sync, or while the feed is being rebuilt), so a broken
 * feed slows the operator down but never makes it act on stale data for long.
 */
public final class VcenterState {
  private static final Logger log = LoggerFactory.getLogger(VcenterState.class);
  private final VsphereClient client;
  private final InventoryWatcher watcher;
  private final java.util.function.Supplier<MoRef> watchedRoot;
  private final VcenterEventSource.Scope events;
  private final Clock clock;
  private final java.util.function.IntSupplier tasksRunning;
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
  // group folders made by this operator that the change feed hasn't shown yet, by root/name
  private final Map<String, MoRef> madeNotFed = new java.util.concurrent.ConcurrentHashMap<>();
  // Ends of tasks a direct look saw, until their group's poll takes them: an ended task's info
  // never changes, and that poll comes right after the look that woke its group.
  private final Map<TaskRef, TaskInfo> endedSeen = new java.util.concurrent.ConcurrentHashMap<>();
  // VMs and folders vCenter reported not found while the inventory still showed them, and when
  private final Map<MoRef, Instant> gone = new java.util.concurrent.ConcurrentHashMap<>();
  // groups whose VMs vCenter contradicted the inventory about, and when (see distrust)
  private final Map<String, Instant> distrusted = new java.util.concurrent.ConcurrentHashMap<>();

  static final Duration TRUST_FEED_FOR = Duration.ofSeconds(10);

  /**
   * @param watcher the change feed's watcher, or null to always ask vCenter
   * @param tasksRunning how many of this operator's tasks run on this vCenter now
   */
  VcenterState(
      VsphereClient client,
      InventoryWatcher watcher,
      java.util.function.Supplier<MoRef> watchedRoot,
      VcenterEventSource.Scope events,
      Clock clock,
      java.util.function.IntSupplier tasksRunning) {
    this.client = client;
    this.watchedRoot = watchedRoot;
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

  /** True when reads come from the inventory and changes arrive as events. */
  boolean cached() {
    return watcher != null && watcher.inventory().synced() && !lagging();
  }

  /**
   * True while the change feed trails vCenter by more than {@link #FEED_LAG_LIMIT}, judged by the
   * tasks whose end a direct look saw first. Reads then go to vCenter, as before the first sync:
   * the simulator's feed fell 30 s behind in a 1,000-VM burst, and groups reading the inventory
   * reported "1 of 10 VMs ready" with all ten running, and cloned names already taken. Once the
   * feed delivers those ends (it delivers in order), the inventory is trusted again. Without tasks
   * in flight nothing is ever lagging, so this costs nothing in steady state.
   */
  public boolean lagging() {
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
  private boolean quiet(Instant now) {
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
    if (watcher == null) {
      return;
    }
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
    if (unwatchOnReport.remove(task) && watcher != null) {
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

  /**
   * True when the placement's root folder is the one the change feed watches: its groups are read
   * from the inventory and learn of changes by events. Others (a spec.placement elsewhere) ask
   * vCenter each time.
   */
  public boolean covers(Placement p) {
    return cached() && p.rootFolder() != null && p.rootFolder().equals(watchedRoot.get());
  }

  public Optional<MoRef> groupFolder(Placement p, String folderName) {
    if (p.rootFolder() == null) {
      return Optional.empty();
    }
    String key = p.rootFolder().value() + "/" + folderName;
    if (!covers(p)) {
      if (trailing(p)) {
        // A folder's identity outlives the seconds the feed is behind: its contents are read from
        // vCenter (see vmsIn), only the lookup by path is saved, one call per reconcile.
        Optional<MoRef> fed =
            watcher.inventory().childFolder(p.rootFolder(), folderName).filter(f -> !isGone(f));
        if (fed.isPresent()) {
          return fed;
        }
        MoRef made = madeNotFed.get(key);
        if (made != null) {
          return Optional.of(made);
        }
      }
      return client.findByInventoryPath(p.groupFolderPath(folderName));
    }
    Optional<MoRef> fed = watcher.inventory().childFolder(p.rootFolder(), folderName);
    if (fed.isPresent()) {
      // from now on the inventory knows it, including its removal
      madeNotFed.remove(key);
      return fed;
    }
    return Optional.ofNullable(madeNotFed.get(key));
  }

  /** The group's folder as vCenter has it now, bypassing the inventory. */
  public Optional<MoRef> groupFolderLive(Placement p, String folderName) {
    return p.rootFolder() == null
        ? Optional.empty()
        : client.findByInventoryPath(p.groupFolderPath(folderName));
  }

  /**
   * A group folder the operator has just created (or found taken) that the change feed may not show
   * yet. Without this, a lagging feed made the group look folderless, hence empty, so it cloned
   * names its folder already held (refused as duplicates: at 1,000 VMs over 1,400 wasted clones and
   * 2,000 CreateFolder calls in one burst). Its VMs are read from vCenter until the feed shows it.
   */
  public void folderMade(Placement rooted, String folderName, MoRef folder) {
    if (rooted.rootFolder() != null) {
      madeNotFed.put(rooted.rootFolder().value() + "/" + folderName, folder);
    }
  }

  /** The feed watches this placement's root but trails vCenter (see {@link #lagging}). */
  private boolean trailing(Placement p) {
    return watcher != null
        && watcher.inventory().synced()
        && p.rootFolder().equals(watchedRoot.get())
        && lagging();
  }

  /**
   * vCenter reported this VM not found although the inventory shows it: the change feed lost its
   * removal (the simulator drops changes made while a feed is being opened). Reads of the inventory
   * leave it out from now on; a resync is asked for as well, but it comes only with the feed's next
   * batch, and a deletion waiting for the last VM of its group waited up to 30 s for it. Managed
   * object IDs are never reused, so the entry is simply dropped after {@link #WATERMARK_TTL}.
   */
  public void gone(MoRef vm) {
    gone.put(vm, clock.instant());
    contradicted("vCenter no longer has " + vm.value() + ", which the inventory shows");
  }

  private boolean isGone(MoRef ref) {
    pruneGone();
    return gone.containsKey(ref);
  }

  private void pruneGone() {
    if (!gone.isEmpty()) {
      Instant expired = clock.instant().minus(WATERMARK_TTL);
      gone.values().removeIf(at -> at.isBefore(expired));
    }
  }

  public List<VmInfo> vmsIn(MoRef folder) {
    if (fed(folder)) {
      List<VmInfo> vms = watcher.inventory().vmsIn(folder);
      if (gone.isEmpty()) {
        return vms;
      }
      pruneGone();
      return vms.stream().filter(vm -> !gone.containsKey(vm.ref())).toList();
    }
    return vmsInLive(folder);
  }

  private boolean fed(MoRef folder) {
    return cached() && watcher.inventory().hasFolder(folder);
  }

  /** The folder's VMs as vCenter has them now, bypassing the inventory. */
  public List<VmInfo> vmsInLive(MoRef folder) {
    try {
      return client.vmsInFolder(folder);
    } catch (VsphereException.ManagedObjectNotFound notFound) {
      if (!madeNotFed.values().remove(folder)) {
        if (watcher != null && watcher.inventory().hasFolder(folder)) {
          // deleted behind the trailing feed's back: looked up by path from now on
          gone.put(folder, clock.instant());
        }
        throw notFound;
      }
      // a folder made here and deleted before the feed ever showed it: it holds nothing
      return List.of();
    }
  }

  /**
   * Task states: from the inventory where the feed reported them, else from vCenter. A task the
   * feed still shows running after {@link #TRUST_FEED_FOR} is asked about directly, so a lost
   * update can delay a group but never stall it.
   */
  public List<TaskInfo> tasks(List<TaskTracker.InFlight> inFlight) {
    Instant now = clock.instant();
    Map<TaskRef, TaskInfo> known = new HashMap<>();
    List<TaskRef> ask = new ArrayList<>();
    for (TaskTracker.InFlight f : inFlight) {
      TaskInfo ended = endedSeen.get(f.task());
      if (ended != null) {
        known.put(f.task(), ended);
        continue;
      }
      Optional<TaskInfo> info = cached() ? watcher.inventory().task(f.task()) : Optional.empty();
      boolean trusted =
          info.isPresent() && (info.get().done() || f.started().plus(TRUST_FEED_FOR).isAfter(now));
      if (trusted) {
        known.put(f.task(), info.get());
      } else {
        ask.add(f.task());
      }
    }
    if (!ask.isEmpty()) {
      List<TaskInfo> asked = client.tasks(ask);
      List<TaskRef> ended = new ArrayList<>();
      for (int i = 0; i < ask.size(); i++) {
        known.put(ask.get(i), asked.get(i));
        if (asked.get(i).done()) {
          ended.add(ask.get(i));
        }
      }
      sawEnded(ended);
    }
    return inFlight.stream().map(f -> known.get(f.task())).toList();
  }

  /**
   * Task states asked of vCenter for a look outside a group's poll (the budget's hand-on): the
   * ended ones are kept for that poll, which then needn't ask again.
   */
  List<TaskInfo> lookAt(List<TaskRef> tasks) {
    List<TaskInfo> infos = client.tasks(tasks);
    if (endedSeen.size() > 10_000) {
      // only tasks of groups deleted before their poll pile up here; losing the rest costs a call
      endedSeen.clear();
    }
    for (int i = 0; i < tasks.size(); i++) {
      if (infos.get(i).done()) {
        endedSeen.put(tasks.get(i), infos.get(i));
      }
    }
    return infos;
  }

  /**
   * vCenter contradicted what the inventory shows of a group's VMs (a task refused for a state the
   * inventory doesn't show, an effect that doesn't arrive, a direct look that disagrees): that
   * group's VMs are read from vCenter until a feed built after now has brought its full state, and
   * the feed is rebuilt. A lost change is not noticed by anything else: the simulator's feed, which
   * loses changes made while it is opened, kept showing a VM running that was off, the group
   * counted it as available and took a second VM down in a rollout with maxUnavailable 1.
   */
  public void distrust(String group, String why) {
    if (watcher == null) {
      return;
    }
    Instant now = clock.instant();
    distrusted.values().removeIf(at -> at.isBefore(now.minus(WATERMARK_TTL)));
    distrusted.put(group, now);
    watcher.requestResync(why, quiet(now));
  }

  /** Whether the group's VMs are to be read from vCenter (see {@link #distrust}). */
  public boolean distrusts(String group) {
    Instant at = distrusted.get(group);
    if (at == null) {
      return false;
    }
    if (watcher.syncedFrom().isAfter(at) || at.isBefore(clock.instant().minus(WATERMARK_TTL))) {
      distrusted.remove(group, at);
      return false;
    }
    return true;
  }

  /** vCenter contradicted what the inventory says: have the feed fetch a full state again. */
  public void contradicted(String what) {
    if (cached()) {
      watcher.requestResync(what, quiet(clock.instant()));
    }
  }

  public void started(VmGroup group, TaskRef task) {
    lastBusy = clock.instant();
    events.rememberTask(group, task);
    if (watcher != null) {
      watcher.watchTasks(List.of(task));
    }
  }

  public void finished(List<TaskRef> tasks) {
    tasks.forEach(events::forgetTask);
    tasks.forEach(endedSeen::remove);
    if (watcher == null || tasks.isEmpty()) {
      return;
    }
    // A task whose end only a direct look has seen stays in the feed's view until the feed reports
    // it: the simulator reads a view as it is when it gets to a change, so a task that already
    // left the view is never reported, and its end would count as the feed's lag until it expires.
    List<TaskRef> now = new ArrayList<>();
    for (TaskRef t : tasks) {
      if (seenEndedFirst.containsKey(t)) {
        unwatchOnReport.add(t);
      } else {
        now.add(t);
      }
    }
    if (!now.isEmpty()) {
      watcher.unwatchTasks(now);
    }
  }
}
