package com.codeconnect.vmgroup.endpoint;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Placement;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VmRule;
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

/**
 * What reconciles read about vCenter: the change-fed {@link Inventory} while it is in sync, and
 * vCenter itself otherwise (before the first sync, or while the feed is being rebuilt), so a broken
 * feed slows the operator down but never makes it act on stale data for long.
 */
public final class VcenterState {
  private final VsphereClient client;
  private final InventoryWatcher watcher;
  private final java.util.function.Supplier<MoRef> watchedRoot;
  private final VcenterEventSource.Scope events;
  private final Clock clock;
  // null without a change feed
  private final FeedLag feedLag;
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

  /** How long a watermark, a VM reported gone or a group's distrust counts at most. */
  static final Duration WATERMARK_TTL = FeedLag.WATERMARK_TTL;

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
    this.feedLag = watcher == null ? null : new FeedLag(watcher, events, clock, tasksRunning);
  }

  /** True when reads come from the inventory and changes arrive as events. */
  boolean cached() {
    return watcher != null && watcher.inventory().synced() && !lagging();
  }

  /**
   * True while the change feed trails vCenter too far to be read (see {@link FeedLag#lagging}).
   * Without a feed nothing is ever lagging.
   */
  public boolean lagging() {
    return feedLag != null && feedLag.lagging();
  }

  /** A direct look (not the feed) saw these tasks ended. */
  void sawEnded(List<TaskRef> tasks) {
    if (feedLag != null) {
      feedLag.sawEnded(tasks);
    }
  }

  /** The change feed delivered this task's end. */
  void feedReportedEnd(TaskRef task) {
    if (feedLag != null) {
      feedLag.feedReportedEnd(task);
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
    watcher.requestResync(why, feedLag.quiet(now));
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

  /** A cluster's DRS state and rules as the change feed last reported them. */
  public record FedCluster(boolean drsEnabled, List<VmRule> rules) {}

  /** Watches a cluster's DRS rules through the change feed; without a feed, nothing. */
  public void watchCluster(MoRef cluster) {
    if (watcher != null) {
      watcher.watchClusters(List.of(cluster));
    }
  }

  /** A watched cluster as the feed reported it, while the feed is in sync; else empty. */
  public Optional<FedCluster> fedCluster(MoRef cluster) {
    if (!cached()) {
      return Optional.empty();
    }
    return watcher.inventory().cluster(cluster).map(c -> new FedCluster(c.drsEnabled(), c.rules()));
  }

  /** vCenter contradicted what the inventory says: have the feed fetch a full state again. */
  public void contradicted(String what) {
    if (cached()) {
      watcher.requestResync(what, feedLag.quiet(clock.instant()));
    }
  }

  public void started(VmGroup group, TaskRef task) {
    events.rememberTask(group, task);
    if (watcher != null) {
      feedLag.busy(clock.instant());
      watcher.watchTasks(List.of(task));
    }
  }

  public void finished(List<TaskRef> tasks) {
    tasks.forEach(events::forgetTask);
    tasks.forEach(endedSeen::remove);
    if (watcher == null || tasks.isEmpty()) {
      return;
    }
    List<TaskRef> now = feedLag.unwatchNow(tasks);
    if (!now.isEmpty()) {
      watcher.unwatchTasks(now);
    }
  }
}
