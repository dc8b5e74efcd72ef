package com.codeconnect.vmgroup.operator;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.cache.Inventory;
import com.codeconnect.vmgroup.vsphere.cache.InventoryWatcher;
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
  private final VcenterEventSource events;

  /**
   * @param watcher the change feed's watcher, or null to always ask vCenter
   */
  VcenterState(VsphereClient client, InventoryWatcher watcher, VcenterEventSource events) {
    this.client = client;
    this.watcher = watcher;
    this.events = events;
  }

  /** True when reads come from the inventory and changes arrive as events. */
  boolean cached() {
    return watcher != null && watcher.inventory().synced();
  }

  Optional<MoRef> groupFolder(Placement p, String folderName) {
    return cached()
        ? watcher.inventory().childFolder(p.rootFolder(), folderName)
        : client.findByInventoryPath(p.groupFolderPath(folderName));
  }

  List<VmInfo> vmsIn(MoRef folder) {
    return cached() ? watcher.inventory().vmsIn(folder) : client.vmsInFolder(folder);
  }

  boolean hasSubfolders(MoRef folder) {
    return cached()
        ? !watcher.inventory().childFolders(folder).isEmpty()
        : !client.childFolders(folder).isEmpty();
  }

  /** Task states: from the inventory where the feed reported them, else from vCenter. */
  List<TaskInfo> tasks(List<TaskRef> tasks) {
    Map<TaskRef, TaskInfo> known = new HashMap<>();
    List<TaskRef> unknown = new ArrayList<>();
    for (TaskRef t : tasks) {
      Optional<TaskInfo> info = cached() ? watcher.inventory().task(t) : Optional.empty();
      if (info.isPresent() && info.get().done()) {
        known.put(t, info.get());
      } else {
        unknown.add(t);
      }
    }
    if (!unknown.isEmpty() && !(cached() && allReported(unknown))) {
      List<TaskInfo> asked = client.tasks(unknown);
      for (int i = 0; i < unknown.size(); i++) {
        known.put(unknown.get(i), asked.get(i));
      }
    }
    return tasks.stream()
        .map(t -> known.getOrDefault(t, new TaskInfo(t, TaskInfo.State.RUNNING, null, null)))
        .toList();
  }

  /** Every task was reported running by the feed, which will also report its end. */
  private boolean allReported(List<TaskRef> tasks) {
    return tasks.stream().allMatch(t -> watcher.inventory().task(t).isPresent());
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
