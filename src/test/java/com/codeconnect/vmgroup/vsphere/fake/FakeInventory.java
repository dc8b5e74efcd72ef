package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The objects of the in-memory vCenter, shaped like govmomi's default simulator model ({@code
 * simulator.VPX()} as the launcher starts it): one datacenter {@code DC0} with its vm, host,
 * datastore and network folders, clusters {@code DC0_Cn} (DRS on unless named off) and standalone
 * hosts {@code DC0_Hn}, each with a root pool called {@code Resources}, the datastore {@code
 * LocalDS_0}, powered-on model VMs and the templates in {@code /DC0/vm}.
 *
 * <p>Every change of a VM or folder is handed to the {@link ChangeSink} with the object's state
 * before and after, so feeds can tell ENTER, MODIFY and LEAVE apart. Not thread-safe: the vCenter's
 * lock guards it.
 */
final class FakeInventory {
  /** Receives every change of a VM or folder; {@code before} or {@code after} is null for ENTER. */
  interface ChangeSink {
    void objectChanged(Entity.Snapshot before, Entity.Snapshot after, Instant at);
  }

  /** How the default model is laid out; see {@link InMemoryVcenterBuilder}. */
  record ModelSpec(
      int clusters,
      Set<String> drsDisabled,
      int clusterHosts,
      int standaloneHosts,
      int modelVms,
      List<String> templates,
      boolean snapshotTemplates,
      Set<String> hotAddTemplates) {}

  private final Map<MoRef, Entity> objects = new LinkedHashMap<>();
  private final ChangeSink sink;
  private final MoRef rootFolder = new MoRef("Folder", "group-d1");
  // built with the model, before its VMs, whose NICs are attached to one of them
  FakeNetworks networks;
  // one counter for every type, as in the simulator, so no id is ever handed out twice
  private long lastId = 1;

  FakeInventory(ModelSpec spec, ChangeSink sink) {
    this.sink = sink;
    objects.put(rootFolder, new Entity(rootFolder, "Datacenters", null));
    buildModel(spec);
  }

  MoRef newRef(String type, String prefix) {
    return new MoRef(type, prefix + "-" + ++lastId);
  }

  private void buildModel(ModelSpec spec) {
    Entity dc = put(newRef("Datacenter", "datacenter"), "DC0", rootFolder);
    dc.vmFolder = put(newRef("Folder", "folder"), "vm", dc.ref).ref;
    dc.hostFolder = put(newRef("Folder", "folder"), "host", dc.ref).ref;
    Entity dsFolder = put(newRef("Folder", "folder"), "datastore", dc.ref);
    networks = new FakeNetworks(this, put(newRef("Folder", "folder"), "network", dc.ref).ref);
    MoRef datastore = put(newRef("Datastore", "datastore"), "LocalDS_0", dsFolder.ref).ref;
    List<MoRef> pools = new ArrayList<>();
    List<String> poolVmPrefixes = new ArrayList<>();
    for (int h = 0; h < spec.standaloneHosts(); h++) {
      String name = "DC0_H" + h;
      Entity cr = put(newRef("ComputeResource", "computeresource"), name, dc.hostFolder);
      put(newRef("HostSystem", "host"), name, cr.ref);
      pools.add(put(newRef("ResourcePool", "resgroup"), "Resources", cr.ref).ref);
      poolVmPrefixes.add(name + "_VM");
    }
    for (int c = 0; c < spec.clusters(); c++) {
      String name = "DC0_C" + c;
      Entity cluster =
          put(newRef("ClusterComputeResource", "clustercomputeresource"), name, dc.hostFolder);
      cluster.rules = new FakeClusters.Rules(!spec.drsDisabled().contains(name));
      for (int h = 0; h < spec.clusterHosts(); h++) {
        put(newRef("HostSystem", "host"), name + "_H" + h, cluster.ref);
      }
      pools.add(put(newRef("ResourcePool", "resgroup"), "Resources", cluster.ref).ref);
      poolVmPrefixes.add(name + "_RP0_VM");
    }
    for (int p = 0; p < pools.size(); p++) {
      for (int i = 0; i < spec.modelVms(); i++) {
        addVm(
            dc.vmFolder,
            poolVmPrefixes.get(p) + i,
            vmState(PowerState.POWERED_ON, 1, 32, false, pools.get(p), datastore),
            null);
      }
    }
    for (String name : spec.templates()) {
      boolean hotAdd = spec.hotAddTemplates().contains(name);
      MoRef snapshot =
          spec.snapshotTemplates() ? newRef("VirtualMachineSnapshot", "snapshot") : null;
      VmState t =
          new VmState(
              PowerState.POWERED_OFF,
              1,
              32,
              true,
              null,
              null,
              Map.of(),
              hotAdd,
              hotAdd,
              snapshot,
              pools.get(0),
              datastore);
      addVm(dc.vmFolder, name, t, null);
    }
  }

  Entity put(MoRef ref, String name, MoRef parent) {
    Entity e = new Entity(ref, name, parent);
    objects.put(ref, e);
    objects.get(parent).children.add(ref);
    return e;
  }

  /** A VM's state; its instance UUID is filled in when it gets a reference. */
  static VmState vmState(
      PowerState power, int cpu, long memoryMiB, boolean template, MoRef pool, MoRef datastore) {
    return new VmState(
        power, cpu, memoryMiB, template, null, null, Map.of(), false, false, null, pool, datastore);
  }

  // ---------------------------------------------------------------- lookups

  Entity get(MoRef ref) {
    return ref == null ? null : objects.get(ref);
  }

  /** The object, or the fault vCenter gives for a reference it doesn't know. */
  Entity require(MoRef ref) {
    Entity e = get(ref);
    if (e == null) {
      throw notFound(ref);
    }
    return e;
  }

  static VsphereException.ManagedObjectNotFound notFound(MoRef ref) {
    return new VsphereException.ManagedObjectNotFound(
        "ManagedObjectNotFound: The object has already been deleted or has not been completely"
            + " created (object "
            + ref
            + ")",
        ref);
  }

  MoRef rootFolder() {
    return rootFolder;
  }

  List<Entity> ofType(String type) {
    return objects.values().stream().filter(e -> e.ref.type().equals(type)).toList();
  }

  /** The containers above an object, nearest first, up to the root folder. */
  List<MoRef> ancestors(MoRef ref) {
    List<MoRef> out = new ArrayList<>();
    Entity e = get(ref);
    for (MoRef p = e == null ? null : e.parent; p != null; p = get(p).parent) {
      out.add(p);
    }
    return out;
  }

  /**
   * Whether a VM is below {@code root} the way a recursive container view sees it: through its
   * folders, or through its resource pool and the compute resource above that.
   */
  boolean vmBelow(Entity vm, MoRef root) {
    if (ancestors(vm.ref).contains(root)) {
      return true;
    }
    MoRef pool = vm.vm.pool();
    return pool != null && (pool.equals(root) || ancestors(pool).contains(root));
  }

  /** The inventory path, e.g. {@code /DC0/vm/web-0}; names as they are shown. */
  String path(MoRef ref) {
    StringBuilder sb = new StringBuilder();
    for (Entity e = get(ref); e != null && e.parent != null; e = get(e.parent)) {
      sb.insert(0, "/" + e.name);
    }
    return sb.toString();
  }

  /**
   * Walks the path one name at a time. Comparing shown names is what vCenter does with the escaped
   * names the client sends, so a name with {@code %} is found; one with {@code /} is not, since the
   * path is split there.
   */
  Optional<MoRef> findByPath(String path) {
    Entity at = get(rootFolder);
    boolean any = false;
    for (String name : path.split("/")) {
      if (name.isEmpty()) {
        continue;
      }
      any = true;
      at = lookupChild(at, name);
      if (at == null) {
        return Optional.empty();
      }
    }
    return any ? Optional.of(at.ref) : Optional.empty();
  }

  private Entity lookupChild(Entity parent, String name) {
    for (MoRef c : parent.children) {
      Entity e = get(c);
      if (e.name.equals(name)) {
        return e;
      }
    }
    if (parent.ref.type().equals("ResourcePool")) {
      // a pool lists its VMs too, so /DC0/host/DC0_C0/Resources/DC0_C0_RP0_VM0 is found
      for (Entity e : objects.values()) {
        if (e.isVm() && parent.ref.equals(e.vm.pool()) && e.name.equals(name)) {
          return e;
        }
      }
    }
    return null;
  }

  /** The child of a folder holding {@code name}, of any type. */
  Entity childNamed(MoRef folder, String name) {
    Entity f = get(folder);
    if (f == null) {
      return null;
    }
    return f.children.stream()
        .map(this::get)
        .filter(e -> e.name.equals(name))
        .findFirst()
        .orElse(null);
  }

  /** The VM or template of that name directly in the folder, if any. */
  Entity vmNamed(MoRef folder, String name) {
    Entity f = get(folder);
    if (f == null) {
      return null;
    }
    for (MoRef c : f.children) {
      Entity e = get(c);
      if (e.isVm() && e.name.equals(name)) {
        return e;
      }
    }
    return null;
  }

  /** The VMs and folders below {@code root}, parents before their contents. */
  List<Entity> subtree(MoRef root) {
    List<Entity> out = new ArrayList<>();
    collect(get(root), out);
    return out;
  }

  private void collect(Entity parent, List<Entity> out) {
    if (parent == null) {
      return;
    }
    for (MoRef c : parent.children) {
      Entity e = get(c);
      if (e.isVm() || e.isFolder()) {
        out.add(e);
      }
      collect(e, out);
    }
  }

  Entity.Snapshot snapshot(Entity e) {
    if (e == null || !(e.isVm() || e.isFolder())) {
      return null;
    }
    return new Entity.Snapshot(e.ref, e.name, e.parent, ancestors(e.ref), e.vm);
  }

  // ---------------------------------------------------------------- changes

  Entity createFolder(MoRef parent, String name, Instant at) {
    Entity f = put(newRef("Folder", "folder"), name, parent);
    sink.objectChanged(null, snapshot(f), at);
    return f;
  }

  /**
   * Registers a VM with the model's hardware; a null {@code at} means while the model is built,
   * before any feed exists. A VM with a snapshot has a child disk, as in vCenter.
   */
  Entity addVm(MoRef folder, String name, VmState state, Instant at) {
    return addVm(folder, name, state, modelHardware(name, state), at);
  }

  VmHardware modelHardware(String name, VmState state) {
    return VmHardware.model(
        name,
        get(state.datastore()).name,
        networks.modelBacking(),
        networks.newMac(),
        state.snapshot() != null);
  }

  Entity addVm(MoRef folder, String name, VmState state, VmHardware hardware, Instant at) {
    MoRef ref = newRef("VirtualMachine", "vm");
    Entity vm = put(ref, name, folder);
    vm.vm =
        new VmState(
            state.power(),
            state.cpu(),
            state.memoryMiB(),
            state.template(),
            UUID.nameUUIDFromBytes(("instance " + ref.value()).getBytes(StandardCharsets.UTF_8))
                .toString(),
            state.ipAddress(),
            state.extraConfig(),
            state.cpuHotAdd(),
            state.memoryHotAdd(),
            state.snapshot(),
            state.pool(),
            state.datastore());
    vm.hardware = hardware;
    if (at != null) {
      sink.objectChanged(null, snapshot(vm), at);
    }
    return vm;
  }

  void updateVm(Entity vm, VmState state, Instant at) {
    change(vm, () -> vm.vm = state, at);
  }

  void rename(Entity e, String name, Instant at) {
    change(e, () -> e.name = name, at);
  }

  void move(Entity e, MoRef newParent, Instant at) {
    change(
        e,
        () -> {
          get(e.parent).children.remove(e.ref);
          e.parent = newParent;
          get(newParent).children.add(e.ref);
        },
        at);
  }

  /** Applies a change and reports it for the object and everything below it (a move moves all). */
  private void change(Entity e, Runnable mutation, Instant at) {
    List<Entity> affected = new ArrayList<>();
    affected.add(e);
    affected.addAll(subtree(e.ref));
    Map<MoRef, Entity.Snapshot> before = new HashMap<>();
    affected.forEach(a -> before.put(a.ref, snapshot(a)));
    mutation.run();
    affected.forEach(a -> sink.objectChanged(before.get(a.ref), snapshot(a), at));
  }

  /** Removes an object and everything in it, contents first, each reported as gone. */
  void remove(Entity e, Instant at) {
    for (MoRef c : List.copyOf(e.children)) {
      remove(get(c), at);
    }
    Entity.Snapshot before = snapshot(e);
    get(e.parent).children.remove(e.ref);
    objects.remove(e.ref);
    sink.objectChanged(before, null, at);
  }
}
