package com.codeconnect.vmgroup.vsphere;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's only way into vCenter: domain records in and out, no SOAP or vim25 types.
 *
 * <p>Methods that change vCenter start a task and return at once; nothing here waits for a task to
 * finish. Callers learn the outcome from {@link #tasks(Collection)}. Every method may throw {@link
 * VsphereException}; implementations log in lazily and again when a session expires.
 *
 * <p>Tags, custom attributes and content libraries are declared in interfaces of their own ({@link
 * Tagging}, {@link CustomAttributes}, {@link ContentLibraries}): on vCenter tags and libraries are
 * REST calls, which the SOAP client hands to its {@link SiblingClient}.
 */
public interface VsphereClient extends AutoCloseable, Tagging, CustomAttributes, ContentLibraries {

  /** Product and API version; needs no session. */
  AboutInfo about();

  /**
   * Proves that a session works with one cheap call that needs one, logging in first when there is
   * none: {@link #about()} alone needs no session and so proves nothing about the credentials.
   */
  void checkSession();

  /** All datacenters, with their inventory paths. */
  List<NamedRef> datacenters();

  DatacenterInfo datacenter(MoRef datacenter);

  /**
   * Looks an object up by its inventory path, e.g. {@code /DC0/vm/vm-operator}. Names in the path
   * are as vCenter shows them; the client escapes {@code %} and {@code /} inside a name.
   */
  Optional<MoRef> findByInventoryPath(String path);

  /** Every resource pool of a datacenter (cluster and host root pools included), with paths. */
  List<NamedRef> resourcePools(MoRef datacenter);

  /**
   * A cluster or standalone host: its kind, whether DRS is on, its hosts, root pool and DRS rules.
   * Throws {@link VsphereException.ManagedObjectNotFound} for one that doesn't exist.
   */
  ComputeResourceInfo computeResource(MoRef computeResource);

  /**
   * The cluster or standalone host a resource pool belongs to (its {@code owner}), in one call:
   * what tells a failure domain on a standalone host from one on a cluster without DRS and one on a
   * cluster with DRS.
   */
  ComputeResourceInfo computeResourceOf(MoRef resourcePool);

  /**
   * Changes a cluster's DRS rules in one task (ReconfigureComputeResource_Task, modifying only the
   * rules named): adds anti-affinity rules, and edits or removes rules by key, so rules the caller
   * doesn't name are untouched. The task fails with InvalidArgument when a key is unknown.
   */
  TaskRef reconfigureRules(MoRef cluster, List<RuleChange> changes);

  /**
   * Every network of a datacenter (standard and distributed port groups, opaque networks), with
   * inventory paths: the datacenter's network folder and its subfolders.
   */
  List<NetworkInfo> networks(MoRef datacenter);

  /**
   * A VM's or template's hardware, Notes, whole extraConfig and the guest's view, read directly
   * from vCenter (none of it is in the change feed). Throws {@link
   * VsphereException.ManagedObjectNotFound} for a VM that doesn't exist.
   */
  VmDetails details(MoRef vm);

  /** VMs and templates anywhere below {@code root} whose name is exactly {@code name}. */
  List<VmInfo> findVmsByName(MoRef root, String name);

  /** The VMs and templates directly inside {@code folder} (not in its subfolders). */
  List<VmInfo> vmsInFolder(MoRef folder);

  /** The folders directly inside {@code folder}. */
  List<NamedRef> childFolders(MoRef folder);

  /**
   * Creates a folder. Throws {@link VsphereException.DuplicateName} when the name is taken, so
   * callers can tell a race from a fresh create.
   */
  MoRef createFolder(MoRef parent, String name);

  TaskRef cloneVm(CloneRequest request);

  default TaskRef reconfigureVm(MoRef vm, int cpu, long memoryMiB) {
    return reconfigureVm(vm, cpu, memoryMiB, Map.of());
  }

  /**
   * Sets a VM's CPU and memory and, in the same task, {@code extraConfig} entries (so a marker
   * describing the VM's size changes exactly when the size does).
   */
  default TaskRef reconfigureVm(
      MoRef vm, int cpu, long memoryMiB, Map<String, String> extraConfig) {
    return reconfigureVm(vm, VmChange.size(cpu, memoryMiB, extraConfig));
  }

  /**
   * Changes a VM in place in one task: size, cores per socket, Notes, extraConfig and hardware
   * (e.g. growing a running VM's disk).
   */
  TaskRef reconfigureVm(MoRef vm, VmChange change);

  /**
   * Sets {@code extraConfig} entries of a VM; an empty value removes the key (vSphere's rule). Used
   * to hand a VM over: removing the operator's markers makes it an ordinary VM.
   */
  TaskRef setExtraConfig(MoRef vm, Map<String, String> entries);

  /**
   * Gives a powered-off VM a guest customization (LinuxPrep or Sysprep) that its guest applies at
   * the next boot: what a clone carries in its own call, for a VM made another way (a content
   * library deploy). It must have one adapter setting per NIC of the VM. A VM that already has a
   * pending customization ends the task with the fault CustomizationPending.
   */
  TaskRef customizeVm(MoRef vm, GuestCustomization customization);

  TaskRef powerOnVm(MoRef vm);

  TaskRef powerOffVm(MoRef vm);

  /** Destroys a VM, or a folder with everything in it: callers check it is empty first. */
  TaskRef destroy(MoRef entity);

  /** Current state of the given tasks, in the same order; one round trip for all of them. */
  List<TaskInfo> tasks(Collection<TaskRef> tasks);

  /**
   * Opens a change feed over the VMs and folders below {@code root} (recursively), on its own
   * PropertyCollector so it never disturbs other calls. The caller closes it.
   */
  ChangeFeed changeFeed(MoRef root);

  /**
   * The session as the client knows it now, without a call; cheap enough for every metrics scrape.
   * Clients that don't track a session say {@link SessionState#NONE}.
   */
  default SessionState sessionState() {
    return SessionState.NONE;
  }

  /** Logs out. */
  @Override
  void close();
}
