package com.codeconnect.vmgroup.vsphere.cache;

import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.GuestState;
import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.ToolsStatus;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VmRule;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's picture of its corner of vCenter (the VMs and folders below the root folder, and
 * the tasks and clusters it watches), kept current by a {@link
 * com.codeconnect.vmgroup.vsphere.ChangeFeed}. Reconciles read it instead of calling vCenter, so a
 * group that is in sync costs no vCenter call.
 *
 * <p>One thread applies batches; any thread may read. Each object's properties are replaced as a
 * whole, so a reader sees either the old or the new state of an object, never a mix.
 */
public final class Inventory {
  /** One applied change, with the object's properties before it (empty for a new object). */
  public record Delta(ObjectChange change, Map<String, Object> before) {
    /** A property's value before or after the change (after wins when both exist). */
    public Object either(String key) {
      Object after = change.values().get(key);
      return after != null ? after : before.get(key);
    }

    public Object beforeValue(String key) {
      return before.get(key);
    }
  }

  private final Map<MoRef, Map<String, Object>> vms = new ConcurrentHashMap<>();
  private final Map<MoRef, Map<String, Object>> folders = new ConcurrentHashMap<>();
  private final Map<MoRef, Map<String, Object>> tasks = new ConcurrentHashMap<>();
  private final Map<MoRef, Map<String, Object>> clusters = new ConcurrentHashMap<>();
  private final Map<MoRef, Set<MoRef>> children = new ConcurrentHashMap<>();
  private volatile boolean synced;
  private boolean resyncInProgress;

  private boolean lastResyncCompleted;

  /** True if the batch applied last completed a full state (then every group should look again). */
  public synchronized boolean takeResyncCompleted() {
    boolean done = lastResyncCompleted;
    lastResyncCompleted = false;
    return done;
  }

  /** True once a full state has been applied and the feed has not failed since. */
  public boolean synced() {
    return synced;
  }

  /** Called when the feed broke: readers fall back to asking vCenter until the next resync. */
  public synchronized void markUnsynced() {
    synced = false;
    resyncInProgress = false;
  }

  /** Applies one batch and returns what changed, in order. */
  public synchronized List<Delta> apply(ChangeBatch batch) {
    if (batch.resync()) {
      resyncInProgress = true;
      synced = false;
      vms.clear();
      folders.clear();
      clusters.clear();
      children.clear();
      // Tasks are kept: the resync batch re-reports the watched ones, and a task finished during
      // the gap must still be seen as finished.
    }
    List<Delta> deltas = new ArrayList<>(batch.changes().size());
    for (ObjectChange change : batch.changes()) {
      Map<MoRef, Map<String, Object>> table = table(change.kind());
      Map<String, Object> before = table.getOrDefault(change.ref(), Map.of());
      if (change.op() == ObjectChange.Op.LEAVE) {
        table.remove(change.ref());
        unlink(change.ref(), (MoRef) before.get("parent"));
      } else {
        Map<String, Object> after =
            new HashMap<>(change.op() == ObjectChange.Op.ENTER ? Map.of() : before);
        after.putAll(change.values());
        if (change.kind() == ObjectChange.Kind.TASK && finished(before) && !finished(after)) {
          // A task never runs again once it ended; a late "running" (the simulator replays
          // intermediate values within a batch) must not hide that it is done.
          after = new HashMap<>(before);
        }
        after.values().removeIf(Objects::isNull);
        table.put(change.ref(), Map.copyOf(after));
        MoRef oldParent = (MoRef) before.get("parent");
        MoRef newParent = (MoRef) after.get("parent");
        if (change.kind() != ObjectChange.Kind.TASK
            && change.kind() != ObjectChange.Kind.CLUSTER
            && !Objects.equals(oldParent, newParent)) {
          unlink(change.ref(), oldParent);
          if (newParent != null) {
            children
                .computeIfAbsent(newParent, p -> ConcurrentHashMap.newKeySet())
                .add(change.ref());
          }
        }
      }
      deltas.add(new Delta(change, before));
    }
    // A full state may span several batches: only the last (untruncated) one completes it.
    if (resyncInProgress && !batch.truncated()) {
      resyncInProgress = false;
      synced = true;
      lastResyncCompleted = true;
    }
    return deltas;
  }

  private static boolean finished(Map<String, Object> task) {
    Object state = task.get("state");
    return state == TaskInfo.State.SUCCESS || state == TaskInfo.State.ERROR;
  }

  /** The folder named {@code name} directly inside {@code parent}. */
  public Optional<MoRef> childFolder(MoRef parent, String name) {
    for (MoRef ref : children.getOrDefault(parent, Set.of())) {
      Map<String, Object> f = folders.get(ref);
      if (f != null && name.equals(f.get("name"))) {
        return Optional.of(ref);
      }
    }
    return Optional.empty();
  }

  /** Whether the folder is in the inventory, i.e. inside the watched tree. */
  public boolean hasFolder(MoRef folder) {
    return folders.containsKey(folder);
  }

  /** Folders directly inside {@code parent}. */
  public List<MoRef> childFolders(MoRef parent) {
    return children.getOrDefault(parent, Set.of()).stream().filter(folders::containsKey).toList();
  }

  /** VMs directly inside {@code folder}. */
  public List<VmInfo> vmsIn(MoRef folder) {
    List<VmInfo> result = new ArrayList<>();
    for (MoRef ref : children.getOrDefault(folder, Set.of())) {
      Map<String, Object> props = vms.get(ref);
      if (props != null) {
        result.add(vmInfo(ref, props));
      }
    }
    return result;
  }

  /** Every VM and template below the root folder, e.g. to count them for metrics. */
  public List<VmInfo> vms() {
    List<VmInfo> result = new ArrayList<>(vms.size());
    vms.forEach((ref, props) -> result.add(vmInfo(ref, props)));
    return result;
  }

  public int vmCount() {
    return vms.size();
  }

  /** The state of a watched task, if the feed has reported it. */
  public Optional<TaskInfo> task(TaskRef task) {
    Map<String, Object> props = tasks.get(task.ref());
    if (props == null || props.get("state") == null) {
      return Optional.empty();
    }
    return Optional.of(
        new TaskInfo(
            task,
            (TaskInfo.State) props.get("state"),
            (MoRef) props.get("result"),
            (VsphereException) props.get("error")));
  }

  /**
   * A watched cluster as the feed reported it: DRS and every rule, kept current without a call.
   *
   * @param rules every rule of the cluster, in vCenter's order
   */
  public record Cluster(MoRef ref, String name, boolean drsEnabled, List<VmRule> rules) {}

  /** A watched cluster, once the feed has reported it. */
  @SuppressWarnings("unchecked")
  public Optional<Cluster> cluster(MoRef cluster) {
    Map<String, Object> p = clusters.get(cluster);
    if (p == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Cluster(
            cluster,
            (String) p.getOrDefault("name", ""),
            Boolean.TRUE.equals(p.get("drsEnabled")),
            (List<VmRule>) p.getOrDefault("rules", List.of())));
  }

  /** Forgets clusters no longer watched. */
  public void forgetClusters(Collection<MoRef> gone) {
    gone.forEach(clusters::remove);
  }

  /** Forgets tasks no longer watched. */
  public void forgetTasks(List<TaskRef> done) {
    done.forEach(t -> tasks.remove(t.ref()));
  }

  private Map<MoRef, Map<String, Object>> table(ObjectChange.Kind kind) {
    return switch (kind) {
      case VM -> vms;
      case FOLDER -> folders;
      case TASK -> tasks;
      case CLUSTER -> clusters;
    };
  }

  private void unlink(MoRef child, MoRef parent) {
    if (parent != null) {
      Set<MoRef> siblings = children.get(parent);
      if (siblings != null) {
        siblings.remove(child);
      }
    }
  }

  @SuppressWarnings("unchecked")
  static VmInfo vmInfo(MoRef ref, Map<String, Object> p) {
    return new VmInfo(
        ref,
        (String) p.getOrDefault("name", ""),
        (MoRef) p.get("parent"),
        (PowerState) p.getOrDefault("powerState", PowerState.UNKNOWN),
        ((Number) p.getOrDefault("cpu", 0)).intValue(),
        ((Number) p.getOrDefault("memoryMiB", 0L)).longValue(),
        Boolean.TRUE.equals(p.get("template")),
        (String) p.get("instanceUuid"),
        (String) p.get("ipAddress"),
        (Map<String, String>) p.getOrDefault("extraConfig", Map.of()),
        Boolean.TRUE.equals(p.get("cpuHotAdd")),
        Boolean.TRUE.equals(p.get("memoryHotAdd")),
        (MoRef) p.get("currentSnapshot"),
        new GuestState(
            (ToolsStatus) p.get("toolsStatus"),
            (Heartbeat) p.get("heartbeat"),
            (List<String>) p.get("ipAddresses"),
            (Map<String, String>) p.get("guestInfo")),
        (Map<Integer, String>) p.get("customValues"));
  }
}
