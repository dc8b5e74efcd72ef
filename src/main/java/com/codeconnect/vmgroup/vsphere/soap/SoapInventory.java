package com.codeconnect.vmgroup.vsphere.soap;

import static com.codeconnect.vmgroup.vsphere.soap.SoapDecoding.NAME_PARENT;

import com.codeconnect.vmgroup.vsphere.ComputeResourceInfo;
import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.NetworkInfo;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.Filter;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.ObjSpec;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.PropSpec;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.Traversal;
import com.codeconnect.vmgroup.vsphere.soap.SoapDecoding.ObjectContent;
import com.codeconnect.vmgroup.vsphere.soap.SoapRpc.Session;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads of the inventory and of tasks, each on a session its caller provides: which objects to
 * ask for (filters, traversals, views) and what to make of the answer.
 */
final class SoapInventory {
  private final SoapRpc rpc;
  private final String extraConfigPrefix;

  SoapInventory(SoapRpc rpc, String extraConfigPrefix) {
    this.rpc = rpc;
    this.extraConfigPrefix = extraConfigPrefix;
  }

  List<NamedRef> datacenters(Session s) {
    return withPaths(
        "Datacenter",
        rpc.retrieve(
            s,
            namesAndParents(
                List.of("Folder", "Datacenter"),
                List.of(RetrieveSpec.folderTree(rpc.content().rootFolder())))));
  }

  DatacenterInfo datacenter(Session s, MoRef datacenter) {
    List<ObjectContent> objs =
        rpc.retrieve(
            s,
            new Filter(
                List.of(new PropSpec("Datacenter", List.of("name", "vmFolder", "hostFolder"))),
                List.of(new ObjSpec(datacenter, false, List.of())),
                false));
    ObjectContent o = SoapDecoding.single(objs, datacenter);
    return new DatacenterInfo(datacenter, o.name(), o.ref("vmFolder"), o.ref("hostFolder"));
  }

  /**
   * The path is split at {@code /}; in each name {@code %} is sent as {@code %25}, the way vCenter
   * stores it. A name that itself contains {@code /} cannot be addressed this way (vCenter stores
   * it as {@code %2f}, which a caller could not tell apart from a literal {@code %2f}); look such
   * objects up through their folder instead.
   */
  Optional<MoRef> findByInventoryPath(Session s, String path) {
    String escaped = path.replace("%", "%25");
    XmlElement r =
        rpc.call(
            "FindByInventoryPath",
            SoapRequests.findByInventoryPath(rpc.content().searchIndex(), escaped),
            s);
    XmlElement rv = r.child("returnval");
    return Optional.ofNullable(rv == null ? null : rv.asMoRef());
  }

  List<NamedRef> resourcePools(Session s, MoRef datacenter) {
    return rpc.withView(
        s,
        datacenter,
        List.of("ResourcePool", "ComputeResource", "Folder"),
        view ->
            withPaths(
                "ResourcePool",
                rpc.retrieve(
                    s,
                    namesAndParents(
                        List.of("Folder", "Datacenter", "ComputeResource", "ResourcePool"),
                        List.of(
                            RetrieveSpec.containerView(view),
                            RetrieveSpec.folderTree(rpc.content().rootFolder()))))));
  }

  /** One retrieval; a reference that is no compute resource is not found. */
  ComputeResourceInfo computeResource(Session s, MoRef computeResource) {
    List<ObjectContent> objs =
        rpc.retrieve(
            s,
            new Filter(
                List.of(new PropSpec("ComputeResource", ClusterDecoding.PATHS)),
                List.of(new ObjSpec(computeResource, false, List.of())),
                false));
    return ClusterDecoding.computeResource(SoapDecoding.single(objs, computeResource));
  }

  /**
   * One retrieval: the pool's owner, and that compute resource through a traversal of the owner. A
   * reference that is no resource pool is not found.
   */
  ComputeResourceInfo computeResourceOf(Session s, MoRef pool) {
    List<ObjectContent> objs =
        rpc.retrieve(
            s,
            new Filter(
                List.of(
                    new PropSpec("ResourcePool", List.of("owner")),
                    new PropSpec("ComputeResource", ClusterDecoding.PATHS)),
                List.of(
                    new ObjSpec(
                        pool,
                        false,
                        List.of(
                            new Traversal(
                                "poolOwner", "ResourcePool", "owner", false, List.of())))),
                false));
    MoRef owner = SoapDecoding.single(objs, pool).ref("owner");
    if (owner == null) {
      throw new VsphereException.ManagedObjectNotFound(pool + " is not a resource pool", pool);
    }
    return ClusterDecoding.computeResource(SoapDecoding.single(objs, owner));
  }

  /**
   * One retrieval: the datacenter's network folder and everything below it (networks, switches,
   * subfolders), plus the folders above the datacenter for the paths.
   */
  List<NetworkInfo> networks(Session s, MoRef datacenter) {
    ObjSpec networkTree =
        new ObjSpec(
            datacenter,
            false,
            List.of(
                new Traversal("dcNetworks", "Datacenter", "networkFolder", false, List.of("nets")),
                new Traversal("nets", "Folder", "childEntity", false, List.of("nets"))));
    List<ObjectContent> objs =
        rpc.retrieve(
            s,
            new Filter(
                List.of(
                    new PropSpec("Folder", NAME_PARENT),
                    new PropSpec("Datacenter", NAME_PARENT),
                    new PropSpec("Network", NAME_PARENT),
                    new PropSpec(
                        "DistributedVirtualPortgroup",
                        List.of("key", "config.distributedVirtualSwitch")),
                    new PropSpec("DistributedVirtualSwitch", List.of("name", "uuid"))),
                List.of(networkTree, RetrieveSpec.folderTree(rpc.content().rootFolder())),
                false));
    Paths paths = new Paths(objs);
    Map<MoRef, ObjectContent> switches = new HashMap<>();
    for (ObjectContent o : objs) {
      if (o.prop("uuid") != null) {
        switches.put(o.obj(), o);
      }
    }
    List<NetworkInfo> out = new ArrayList<>();
    for (ObjectContent o : objs) {
      MoRef ref = o.obj();
      String name = paths.name(ref);
      if (name == null) {
        continue;
      }
      switch (ref.type()) {
        case "Network" -> out.add(NetworkInfo.standard(ref, name, paths.path(ref)));
        case "OpaqueNetwork" ->
            out.add(
                new NetworkInfo(
                    ref, name, paths.path(ref), NetworkInfo.Kind.OPAQUE, null, null, null));
        case "DistributedVirtualPortgroup" -> {
          ObjectContent dvs = switches.get(o.ref("config.distributedVirtualSwitch"));
          String key = o.prop("key") == null ? null : o.prop("key").text().trim();
          if (dvs != null && key != null) {
            out.add(
                new NetworkInfo(
                    ref,
                    name,
                    paths.path(ref),
                    NetworkInfo.Kind.DISTRIBUTED_PORTGROUP,
                    dvs.prop("uuid").text().trim(),
                    dvs.name(),
                    key));
          }
        }
        default -> {
          // folders, switches and the datacenter only make the paths
        }
      }
    }
    return out;
  }

  VmDetails details(Session s, MoRef vm) {
    List<ObjectContent> objs =
        rpc.retrieve(
            s,
            new Filter(
                List.of(new PropSpec("VirtualMachine", DetailsDecoding.PATHS)),
                List.of(new ObjSpec(vm, false, List.of())),
                false));
    return DetailsDecoding.details(SoapDecoding.single(objs, vm));
  }

  List<VmInfo> findVmsByName(Session s, MoRef root, String name) {
    return rpc.withView(
        s,
        root,
        List.of("VirtualMachine"),
        view -> {
          // names first: reading every VM's full properties to match one name would move the
          // whole inventory's extraConfig over the wire
          List<ObjSpec> matches = new ArrayList<>();
          for (ObjectContent o :
              rpc.retrieve(
                  s,
                  new Filter(
                      List.of(new PropSpec("VirtualMachine", List.of("name"))),
                      List.of(RetrieveSpec.containerView(view)),
                      false))) {
            if (name.equals(o.name())) {
              matches.add(new ObjSpec(o.obj(), false, List.of()));
            }
          }
          if (matches.isEmpty()) {
            return List.<VmInfo>of();
          }
          return vms(
              rpc.retrieve(
                  s,
                  new Filter(
                      List.of(new PropSpec("VirtualMachine", SoapDecoding.VM_PATHS)),
                      matches,
                      true)));
        });
  }

  List<VmInfo> vmsInFolder(Session s, MoRef folder) {
    return vms(
        rpc.retrieve(
            s,
            new Filter(
                List.of(new PropSpec("VirtualMachine", SoapDecoding.VM_PATHS)),
                List.of(RetrieveSpec.folderChildren(folder)),
                false)));
  }

  List<NamedRef> childFolders(Session s, MoRef folder) {
    List<NamedRef> out = new ArrayList<>();
    for (ObjectContent o :
        ofType(
            "Folder",
            rpc.retrieve(
                s,
                new Filter(
                    List.of(new PropSpec("Folder", List.of("name"))),
                    List.of(RetrieveSpec.folderChildren(folder)),
                    false)))) {
      out.add(new NamedRef(o.obj(), o.name(), null));
    }
    return out;
  }

  /**
   * Reads all tasks in one RetrievePropertiesEx. A task vCenter no longer knows (it forgets
   * finished tasks after a while) is reported as ERROR with ManagedObjectNotFound rather than
   * failing the whole batch.
   */
  List<TaskInfo> tasks(Session s, Collection<TaskRef> tasks) {
    Map<MoRef, ObjectContent> found = new HashMap<>();
    Map<MoRef, VsphereException> gone = new HashMap<>();
    List<ObjSpec> objs = new ArrayList<>();
    for (TaskRef t : new LinkedHashSet<>(tasks)) {
      objs.add(new ObjSpec(t.ref(), false, List.of()));
    }
    // reportMissingObjectsInResults keeps one vanished task from faulting the batch; if the
    // server faults anyway, drop the object it names and ask again
    while (!objs.isEmpty()) {
      try {
        for (ObjectContent o :
            rpc.retrieve(
                s,
                new Filter(List.of(new PropSpec("Task", SoapDecoding.TASK_PATHS)), objs, true))) {
          found.put(o.obj(), o);
        }
        break;
      } catch (VsphereException.ManagedObjectNotFound e) {
        if (e.object() == null || !objs.removeIf(o -> o.obj().equals(e.object()))) {
          throw e;
        }
        gone.put(e.object(), e);
      }
    }
    List<TaskInfo> out = new ArrayList<>(tasks.size());
    for (TaskRef t : tasks) {
      out.add(SoapDecoding.taskInfo(t, found.get(t.ref()), gone.get(t.ref())));
    }
    return out;
  }

  // ---------------------------------------------------------------- helpers

  private List<VmInfo> vms(List<ObjectContent> objs) {
    List<VmInfo> out = new ArrayList<>();
    for (ObjectContent o : ofType("VirtualMachine", objs)) {
      out.add(SoapDecoding.vm(o, extraConfigPrefix));
    }
    return out;
  }

  /** Name and parent of every object of these types that {@code from} leads to. */
  private static Filter namesAndParents(List<String> types, List<ObjSpec> from) {
    List<PropSpec> props = new ArrayList<>(types.size());
    for (String type : types) {
      props.add(new PropSpec(type, NAME_PARENT));
    }
    return new Filter(props, from, false);
  }

  /**
   * The objects of {@code type} among {@code objs}, with names and the inventory paths that the
   * names and parents of all of {@code objs} make.
   */
  private static List<NamedRef> withPaths(String type, List<ObjectContent> objs) {
    Paths paths = new Paths(objs);
    List<NamedRef> out = new ArrayList<>();
    for (ObjectContent o : ofType(type, objs)) {
      out.add(new NamedRef(o.obj(), paths.name(o.obj()), paths.path(o.obj())));
    }
    return out;
  }

  /** A traversal also reports the objects it passes through; callers want one type of them. */
  private static List<ObjectContent> ofType(String type, List<ObjectContent> objs) {
    List<ObjectContent> out = new ArrayList<>();
    for (ObjectContent o : objs) {
      if (o.obj().type().equals(type)) {
        out.add(o);
      }
    }
    return out;
  }

  /** Inventory paths from name and parent of every object in one retrieval. */
  private static final class Paths {
    private final Map<MoRef, ObjectContent> byRef = new HashMap<>();
    private final Map<MoRef, String> cache = new HashMap<>();

    Paths(List<ObjectContent> objs) {
      for (ObjectContent o : objs) {
        byRef.put(o.obj(), o);
      }
    }

    String name(MoRef ref) {
      ObjectContent o = byRef.get(ref);
      return o == null ? null : o.name();
    }

    /** Null when an ancestor wasn't part of the retrieval. */
    String path(MoRef ref) {
      return path(ref, 0);
    }

    private String path(MoRef ref, int depth) {
      if (cache.containsKey(ref)) {
        return cache.get(ref);
      }
      ObjectContent o = byRef.get(ref);
      if (o == null || depth > 256) {
        return null;
      }
      MoRef parent = o.ref("parent");
      String p;
      if (parent == null) {
        p = ""; // the root folder, whose name ("Datacenters") is not part of any path
      } else {
        String parentPath = path(parent, depth + 1);
        p = parentPath == null ? null : parentPath + "/" + o.name();
      }
      cache.put(ref, p);
      return p;
    }
  }
}
