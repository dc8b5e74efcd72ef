package com.codeconnect.vmgroup.endpoint;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.cache.Inventory;
import com.codeconnect.vmgroup.vsphere.cache.InventoryWatcher;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.MDC;

/**
 * Turns vCenter change notifications into reconciles of the groups they concern: a VM carrying a
 * group's marker, a VM entering or leaving a group's folder, the folder itself, or a task the group
 * started. Reconciles keep the indexes current as they observe their groups. Each vCenter endpoint
 * has its own {@link Scope}: its watcher reports to it, and its object IDs are looked up in it.
 */
public final class VcenterEventSource extends AbstractEventSource<Void, VmGroup> {
  private final Map<String, ResourceID> byUid = new ConcurrentHashMap<>();
  private final Map<String, ResourceID> byFolderName = new ConcurrentHashMap<>();
  private final Map<String, Scope> scopes = new ConcurrentHashMap<>();

  public VcenterEventSource() {
    super(Void.class, "vcenter");
  }

  /**
   * The part that belongs to one vCenter: its managed object IDs mean nothing on another vCenter
   * (two simulators hand out the same ones), so folders and tasks are looked up per endpoint.
   */
  public Scope scope(String endpoint) {
    return scopes.computeIfAbsent(endpoint, e -> new Scope());
  }

  /** Drops an endpoint's lookups once its watcher has stopped. */
  public void dropScope(String endpoint) {
    scopes.remove(endpoint);
  }

  /** Remembers a group so it can be woken (by UID) before it has a folder. */
  public void remember(VmGroup group) {
    byUid.put(group.getMetadata().getUid(), ResourceID.fromResource(group));
  }

  /** Forgets a deleted group. */
  public void forget(VmGroup group) {
    ResourceID id = ResourceID.fromResource(group);
    byUid.remove(group.getMetadata().getUid());
    byFolderName.values().removeIf(id::equals);
    scopes.values().forEach(s -> s.forget(id));
  }

  /** Reconciles the group with this UID (e.g. a slot of the task budget came free). */
  public void wake(String uid) {
    ResourceID id = byUid.get(uid);
    if (id != null && isRunning()) {
      emit(id);
    }
  }

  /** Reconciles every known group: the set of usable vCenters changed. */
  public void wakeAll() {
    if (isRunning()) {
      byUid.values().forEach(this::emit);
    }
  }

  private void fire(Set<ResourceID> affected) {
    if (isRunning()) {
      affected.forEach(this::emit);
    }
  }

  /**
   * JOSDK's handleEvent puts the resource's keys in the calling thread's MDC and then removes them.
   * Called from a reconcile (a slot handed on, a task end seen), it took that reconcile's own keys,
   * and the rest of its log lines no longer named their group.
   */
  private void emit(ResourceID id) {
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    try {
      getEventHandler().handleEvent(new Event(id));
    } finally {
      if (mdc == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(mdc);
      }
    }
  }

  /** Lookups and change handling of one vCenter endpoint. */
  public final class Scope implements InventoryWatcher.Listener {
    private final Map<MoRef, ResourceID> byFolder = new ConcurrentHashMap<>();
    private final Map<MoRef, ResourceID> byTask = new ConcurrentHashMap<>();
    private final Map<String, ResourceID> members = new ConcurrentHashMap<>();
    private volatile Consumer<TaskRef> taskEnded = t -> {};

    /** Who hears at once that a watched task ended (the task budget, to hand its slot on). */
    public void onTaskEnded(Consumer<TaskRef> listener) {
      this.taskEnded = listener;
    }

    /** Remembers how to find a group from vCenter objects. */
    public void remember(VmGroup group, String folderName, MoRef folder) {
      ResourceID id = ResourceID.fromResource(group);
      byUid.put(group.getMetadata().getUid(), id);
      members.put(group.getMetadata().getUid(), id);
      byFolderName.put(folderName, id);
      if (folder != null) {
        byFolder.put(folder, id);
      }
    }

    /**
     * A direct look (not the feed) saw these tasks end: their groups take a look now rather than
     * when the feed gets there, which under load is seconds later.
     */
    public void tasksEndedSeen(List<TaskRef> tasks) {
      if (!isRunning() || tasks.isEmpty()) {
        return;
      }
      Set<ResourceID> affected = new HashSet<>();
      for (TaskRef t : tasks) {
        add(affected, byTask.get(t.ref()));
      }
      fire(affected);
    }

    public void rememberTask(VmGroup group, TaskRef task) {
      byTask.put(task.ref(), ResourceID.fromResource(group));
    }

    public void forgetTask(TaskRef task) {
      byTask.remove(task.ref());
    }

    private void forget(ResourceID id) {
      members.values().removeIf(id::equals);
      byFolder.values().removeIf(id::equals);
      byTask.values().removeIf(id::equals);
    }

    @Override
    public void changed(boolean resync, List<Inventory.Delta> deltas) {
      if (!isRunning()) {
        return;
      }
      Set<ResourceID> affected = new HashSet<>();
      if (resync) {
        // After a gap anything may have changed: every group on this vCenter takes a look.
        affected.addAll(members.values());
      }
      for (Inventory.Delta d : deltas) {
        ObjectChange c = d.change();
        switch (c.kind()) {
          case VM -> {
            addOwner(affected, d.beforeValue("extraConfig"));
            addOwner(affected, c.values().get("extraConfig"));
            addFolder(affected, d.beforeValue("parent"));
            addFolder(affected, c.values().get("parent"));
          }
          case FOLDER -> {
            addFolder(affected, c.ref());
            Object name = d.either("name");
            if (name != null) {
              add(affected, byFolderName.get(name.toString()));
            }
          }
          case TASK -> {
            add(affected, byTask.get(c.ref()));
            Object state = c.values().get("state");
            if (state == TaskInfo.State.SUCCESS || state == TaskInfo.State.ERROR) {
              taskEnded.accept(new TaskRef(c.ref()));
            }
          }
        }
      }
      fire(affected);
    }

    private void addOwner(Set<ResourceID> into, Object extraConfig) {
      if (extraConfig instanceof Map<?, ?> m && m.get(Ownership.OWNER_UID) instanceof String uid) {
        add(into, byUid.get(uid));
      }
    }

    private void addFolder(Set<ResourceID> into, Object folder) {
      if (folder instanceof MoRef ref) {
        add(into, byFolder.get(ref));
      }
    }
  }

  private static void add(Set<ResourceID> into, ResourceID id) {
    if (id != null) {
      into.add(id);
    }
  }

  @Override
  public Set<Void> getSecondaryResources(VmGroup primary) {
    return Set.of();
  }
}
