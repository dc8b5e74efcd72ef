package com.codeconnect.vmgroup.operator;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
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

/**
 * What reconciles read about vCenter: the change-fed {@link Inventory} while it is in sync, and
 * vCenter itself otherwise (before the first sync, or while the feed is being rebuilt), so a broken
 * feed slows the operator down but never makes it act on stale data for long.
 */
final class VcenterState {
  private final VsphereClient client;
  private final InventoryWatcher watcher;
  private final java.util.function.Supplier<MoRef> watchedRoot;
  private final VcenterEventSource.Scope events;
  private final Clock clock;
  // group folders made by this operator that the change feed hasn't shown yet, by root/name
  private final Map<String, MoRef> madeNotFed = new java.util.concurrent.ConcurrentHashMap<>();

  static final Duration TRUST_FEED_FOR = Duration.ofSeconds(10);

  /**
   * @param watcher the change feed's watcher, or null to always ask vCenter
   */
  VcenterState(
      VsphereClient client,
      InventoryWatcher watcher,
      java.util.function.Supplier<MoRef> watchedRoot,
      VcenterEventSource.Scope events,
      Clock clock) {
    this.client = client;
    this.watchedRoot = watchedRoot;
    this.watcher = watcher;
    this.events = events;
    this.clock = clock;
  }

  /** True when reads come from the inventory and changes arrive as events. */
  boolean cached() {
    return watcher != null && watcher.inventory().synced();
  }

  /**
   * True when the placement's root folder is the one the change feed watches: its groups are read
   * from the inventory and learn of changes by events. Others (a spec.placement elsewhere) ask
   * vCenter each time.
   */
  boolean covers(Placement p) {
    return cached() && p.rootFolder() != null && p.rootFolder().equals(watchedRoot.get());
  }

  Optional<MoRef> groupFolder(Placement p, String folderName) {
    if (p.rootFolder() == null) {
      return Optional.empty();
    }
    if (!covers(p)) {
      return client.findByInventoryPath(p.groupFolderPath(folderName));
    }
    String key = p.rootFolder().value() + "/" + folderName;
    Optional<MoRef> fed = watcher.inventory().childFolder(p.rootFolder(), folderName);
    if (fed.isPresent()) {
      // from now on the inventory knows it, including its removal
      madeNotFed.remove(key);
      return fed;
    }
    return Optional.ofNullable(madeNotFed.get(key));
  }

  /**
   * A group folder the operator has just created (or found taken) that the change feed may not show
   * yet. Without this, a lagging feed made the group look folderless, hence empty, so it cloned
   * names its folder already held (refused as duplicates: at 1,000 VMs over 1,400 wasted clones and
   * 2,000 CreateFolder calls in one burst). Its VMs are read from vCenter until the feed shows it.
   */
  void folderMade(Placement rooted, String folderName, MoRef folder) {
    if (rooted.rootFolder() != null) {
      madeNotFed.put(rooted.rootFolder().value() + "/" + folderName, folder);
    }
  }

  List<VmInfo> vmsIn(MoRef folder) {
    if (fed(folder)) {
      return watcher.inventory().vmsIn(folder);
    }
    try {
      return client.vmsInFolder(folder);
    } catch (VsphereException.ManagedObjectNotFound gone) {
      if (!madeNotFed.values().remove(folder)) {
        throw gone;
      }
      // a folder made here and deleted before the feed ever showed it: it holds nothing
      return List.of();
    }
  }

  private boolean fed(MoRef folder) {
    return cached() && watcher.inventory().hasFolder(folder);
  }

  /** The folder's VMs as vCenter has them now, bypassing the inventory. */
  List<VmInfo> vmsInLive(MoRef folder) {
    return client.vmsInFolder(folder);
  }

  /**
   * Task states: from the inventory where the feed reported them, else from vCenter. A task the
   * feed still shows running after {@link #TRUST_FEED_FOR} is asked about directly, so a lost
   * update can delay a group but never stall it.
   */
  List<TaskInfo> tasks(List<TaskTracker.InFlight> inFlight) {
    Instant now = clock.instant();
    Map<TaskRef, TaskInfo> known = new HashMap<>();
    List<TaskRef> ask = new ArrayList<>();
    for (TaskTracker.InFlight f : inFlight) {
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
      for (int i = 0; i < ask.size(); i++) {
        known.put(ask.get(i), asked.get(i));
      }
    }
    return inFlight.stream().map(f -> known.get(f.task())).toList();
  }

  /** vCenter contradicted what the inventory says: have the feed fetch a full state again. */
  void contradicted(String what) {
    if (cached()) {
      watcher.requestResync(what);
    }
  }

  void started(VmGroup group, TaskRef task) {
    events.rememberTask(group, task);
    if (watcher != null) {
      watcher.watchTasks(List.of(task));
    }
  }

  void finished(List<TaskRef> tasks) {
    tasks.forEach(events::forgetTask);
    if (watcher != null && !tasks.isEmpty()) {
      watcher.unwatchTasks(tasks);
    }
  }
}
