package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.AboutInfo;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.ComputeResourceInfo;
import com.codeconnect.vmgroup.vsphere.CustomFieldDef;
import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.GuestCustomization;
import com.codeconnect.vmgroup.vsphere.LibraryDeploy;
import com.codeconnect.vmgroup.vsphere.LibraryLookup;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.NetworkInfo;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.RuleChange;
import com.codeconnect.vmgroup.vsphere.SessionState;
import com.codeconnect.vmgroup.vsphere.Tag;
import com.codeconnect.vmgroup.vsphere.TagCategory;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmChange;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A vCenter in memory, behind the same seam as the SOAP client, for tests that must run in
 * milliseconds. Its inventory is govmomi's default simulator model (see {@link FakeInventory}); its
 * behaviour is the SOAP client's against the simulator, checked by the contract suite in {@code
 * vsphere.contract}, except where the simulator is known to differ from vCenter (see the contract's
 * class comment).
 *
 * <p>Every mutating call returns a task at once; the task ends after its kind's duration on the
 * injected clock (default zero: done at the next look) and only then does its effect become
 * visible. Tests can inject faults, make vCenter unreachable, act as an administrator through
 * {@link #admin()}, and count calls and tasks. Thread-safe: every call runs under one lock.
 */
public final class InMemoryVcenter implements VsphereClient {
  private final VcenterCore core;
  private final AboutInfo about;
  private volatile Duration initialLag;
  private final Administrator admin;

  InMemoryVcenter(InMemoryVcenterBuilder b) {
    this.core =
        new VcenterCore(
            b.clock,
            b.extraConfigPrefix,
            new FakeInventory.ModelSpec(
                b.clusters,
                b.drsDisabled,
                b.clusterHosts,
                b.standaloneHosts,
                b.modelVms,
                b.templates,
                b.snapshotTemplates,
                b.hotAddTemplates),
            b.durations,
            b.cloneHonoursSpec,
            b.feedWaitCap,
            b.maxBatch,
            b.accountCpu,
            b.guestReadyAfter);
    this.about =
        new AboutInfo("VMware vCenter Server 6.5.0 build-5973321", "6.5.0", "6.5", b.instanceUuid);
    this.initialLag = b.feedLag;
    this.admin = new Administrator(core);
  }

  public static InMemoryVcenterBuilder builder() {
    return new InMemoryVcenterBuilder();
  }

  /** The default model on the system clock, tasks done at the next look. */
  public static InMemoryVcenter create() {
    return builder().build();
  }

  // ---------------------------------------------------------------- the seam

  /** Needs no session, like RetrieveServiceContent. */
  @Override
  public AboutInfo about() {
    return core.call("about", false, () -> about);
  }

  @Override
  public List<NamedRef> datacenters() {
    return core.call(
        "datacenters",
        true,
        () ->
            core.inventory.ofType("Datacenter").stream()
                .map(dc -> new NamedRef(dc.ref, dc.name, core.inventory.path(dc.ref)))
                .toList());
  }

  /** A reference that is not a datacenter is not found, as the SOAP client reports it. */
  @Override
  public DatacenterInfo datacenter(MoRef datacenter) {
    return core.call(
        "datacenter",
        true,
        () -> {
          Entity dc = core.inventory.get(datacenter);
          if (dc == null || !datacenter.type().equals("Datacenter")) {
            throw FakeInventory.notFound(datacenter);
          }
          return new DatacenterInfo(dc.ref, dc.name, dc.vmFolder, dc.hostFolder);
        });
  }

  /**
   * Names in the path are compared as shown, which is what vCenter does with the escaped names the
   * SOAP client sends: {@code %} in a name is found, a name with {@code /} cannot be addressed.
   * Empty segments are skipped, so {@code DC0/vm/} finds the folder; {@code /} alone finds nothing.
   */
  @Override
  public Optional<MoRef> findByInventoryPath(String path) {
    return core.call("findByInventoryPath", true, () -> core.inventory.findByPath(path));
  }

  @Override
  public List<NamedRef> resourcePools(MoRef datacenter) {
    return core.call(
        "resourcePools",
        true,
        () -> {
          core.inventory.require(datacenter);
          return core.inventory.ofType("ResourcePool").stream()
              .filter(p -> core.inventory.ancestors(p.ref).contains(datacenter))
              .map(p -> new NamedRef(p.ref, p.name, core.inventory.path(p.ref)))
              .toList();
        });
  }

  @Override
  public ComputeResourceInfo computeResource(MoRef computeResource) {
    return core.call("computeResource", true, () -> core.clusters.info(computeResource));
  }

  @Override
  public ComputeResourceInfo computeResourceOf(MoRef resourcePool) {
    return core.call("computeResourceOf", true, () -> core.clusters.ownerOf(resourcePool));
  }

  /** See {@link FakeClusters} for how the fake and the simulator differ here. */
  @Override
  public TaskRef reconfigureRules(MoRef cluster, List<RuleChange> changes) {
    return core.call("reconfigureRules", true, () -> core.clusters.reconfigure(cluster, changes));
  }

  /** The model's networks: the fake has one datacenter. */
  @Override
  public List<NetworkInfo> networks(MoRef datacenter) {
    return core.call(
        "networks",
        true,
        () -> {
          Entity dc = core.inventory.get(datacenter);
          if (dc == null || !datacenter.type().equals("Datacenter")) {
            throw FakeInventory.notFound(datacenter);
          }
          return core.inventory.networks.all();
        });
  }

  /** Anything but a VM or template is not found, as the SOAP client reports it. */
  @Override
  public VmDetails details(MoRef vm) {
    return core.call(
        "details",
        true,
        () -> {
          Entity e = core.inventory.get(vm);
          if (e == null || !e.isVm()) {
            throw FakeInventory.notFound(vm);
          }
          return e.hardware.details(
              e.ref,
              e.vm.extraConfig(),
              e.vm.power() == PowerState.POWERED_ON,
              core.inventory.networks::nameOf);
        });
  }

  @Override
  public List<VmInfo> findVmsByName(MoRef root, String name) {
    return core.call(
        "findVmsByName",
        true,
        () -> {
          core.inventory.require(root);
          List<VmInfo> out = new ArrayList<>();
          for (Entity e : core.inventory.ofType("VirtualMachine")) {
            if (e.name.equals(name) && core.inventory.vmBelow(e, root)) {
              out.add(e.vmInfo(core.prefix));
            }
          }
          return out;
        });
  }

  @Override
  public List<VmInfo> vmsInFolder(MoRef folder) {
    return core.call(
        "vmsInFolder",
        true,
        () ->
            core.inventory.require(folder).children.stream()
                .map(core.inventory::get)
                .filter(Entity::isVm)
                .map(e -> e.vmInfo(core.prefix))
                .toList());
  }

  /** Paths are null, as the SOAP client reads only names here. */
  @Override
  public List<NamedRef> childFolders(MoRef folder) {
    return core.call(
        "childFolders",
        true,
        () ->
            core.inventory.require(folder).children.stream()
                .map(core.inventory::get)
                .filter(Entity::isFolder)
                .map(e -> new NamedRef(e.ref, e.name, null))
                .toList());
  }

  /** Any child holding the name (folder or VM) makes it DuplicateName, naming that child. */
  @Override
  public MoRef createFolder(MoRef parent, String name) {
    return core.call(
        "createFolder",
        true,
        () -> {
          Entity p = core.inventory.require(parent);
          if (!p.isFolder()) {
            throw new VsphereException(
                "MethodNotFound",
                "MethodNotFound: " + parent + " does not implement: CreateFolder",
                false);
          }
          Entity taken = core.inventory.childNamed(parent, name);
          if (taken != null) {
            throw VcenterCore.duplicateName(name, taken.ref);
          }
          return core.inventory.createFolder(parent, name, core.clock.instant()).ref;
        });
  }

  /**
   * A name a VM in the folder holds, or another clone into it is creating, fails the task as it
   * starts with DuplicateName (the call itself succeeds), as vCenter and the simulator launcher do.
   * A missing source fails the call; a missing folder, pool or datastore fails the task.
   */
  @Override
  public TaskRef cloneVm(CloneRequest request) {
    return core.call("cloneVm", true, () -> core.clone(request));
  }

  @Override
  public TaskRef reconfigureVm(MoRef vm, int cpu, long memoryMiB, Map<String, String> extraConfig) {
    return reconfigureVm(vm, VmChange.size(cpu, memoryMiB, extraConfig));
  }

  /**
   * A running VM refuses CPU or memory it can't hot-add; a disk refuses to shrink or, with a parent
   * (a linked clone's), to grow.
   */
  @Override
  public TaskRef reconfigureVm(MoRef vm, VmChange change) {
    return core.call("reconfigureVm", true, () -> core.reconfigure(vm, change));
  }

  @Override
  public TaskRef setExtraConfig(MoRef vm, Map<String, String> entries) {
    return core.call(
        "setExtraConfig", true, () -> core.reconfigure(vm, VmChange.size(0, 0, entries)));
  }

  @Override
  public TaskRef customizeVm(MoRef vm, GuestCustomization customization) {
    return core.call("customizeVm", true, () -> core.customize(vm, customization));
  }

  /** A template is refused by the call (InvalidState); a running VM by the task. */
  @Override
  public TaskRef powerOnVm(MoRef vm) {
    return core.call("powerOnVm", true, () -> core.powerOn(vm));
  }

  @Override
  public TaskRef powerOffVm(MoRef vm) {
    return core.call("powerOffVm", true, () -> core.powerOff(vm));
  }

  /**
   * A VM must be powered off (else the task fails with InvalidPowerState). A folder goes with
   * everything in it, running VMs included, as in vCenter.
   */
  @Override
  public TaskRef destroy(MoRef entity) {
    return core.call("destroy", true, () -> core.destroy(entity));
  }

  /** A task vCenter doesn't know is ERROR with ManagedObjectNotFound; the others are unaffected. */
  @Override
  public List<TaskInfo> tasks(Collection<TaskRef> tasks) {
    if (tasks.isEmpty()) {
      return List.of(); // the SOAP client makes no call for nothing either
    }
    return core.call(
        "tasks",
        true,
        () ->
            tasks.stream()
                .map(
                    t -> {
                      FakeTasks.Task task = core.tasks.get(t.ref());
                      return task != null
                          ? task.info()
                          : new TaskInfo(
                              t, TaskInfo.State.ERROR, null, FakeInventory.notFound(t.ref()));
                    })
                .toList());
  }

  /** Opening costs no call, as the SOAP feed builds its collector on the first {@code next}. */
  @Override
  public ChangeFeed changeFeed(MoRef root) {
    Objects.requireNonNull(root, "root");
    long cpu = core.cpuStart();
    core.count("changeFeed");
    core.lock.lock();
    try {
      if (core.closed) {
        throw new VsphereException("ClientClosed", "the vCenter client is closed", false);
      }
      InMemoryChangeFeed feed = new InMemoryChangeFeed(core, root, initialLag);
      core.register(feed);
      return feed;
    } finally {
      core.lock.unlock();
      core.cpuEnd(cpu);
    }
  }

  @Override
  public void checkSession() {
    // the SOAP client proves its session with CurrentTime; any call that needs a session will do
    core.call("checkSession", true, () -> null);
  }

  // ---------------------------------------------------------------- content library

  @Override
  public LibraryLookup findLibraryItem(String library, String item) {
    return core.call("findLibraryItem", true, () -> core.libraries.find(library, item));
  }

  @Override
  public TaskRef deployLibraryItem(LibraryDeploy request) {
    return core.call("deployLibraryItem", true, () -> core.libraries.deploy(request));
  }

  // ---------------------------------------------------------------- tags and custom attributes

  @Override
  public List<TagCategory> tagCategories() {
    return core.call("tagCategories", true, core.metadata::categories);
  }

  @Override
  public List<Tag> tags(TagCategory category) {
    return core.call("tags", true, () -> core.metadata.tags(category));
  }

  @Override
  public List<String> attachedTags(MoRef object) {
    return core.call("attachedTags", true, () -> core.metadata.attached(object));
  }

  /** The object must exist, as vCenter checks. */
  @Override
  public void attachTags(Collection<String> tagIds, MoRef object) {
    core.call(
        "attachTags",
        true,
        () -> {
          core.inventory.require(object);
          tagIds.forEach(t -> core.metadata.attach(t, object));
          return null;
        });
  }

  @Override
  public void detachTags(Collection<String> tagIds, MoRef object) {
    core.call(
        "detachTags",
        true,
        () -> {
          tagIds.forEach(t -> core.metadata.detach(t, object));
          return null;
        });
  }

  @Override
  public List<CustomFieldDef> customFields() {
    return core.call("customFields", true, core.metadata::fields);
  }

  @Override
  public CustomFieldDef addVmCustomField(String name) {
    return core.call(
        "addVmCustomField", true, () -> core.metadata.addField(name, "VirtualMachine"));
  }

  /** Only VMs carry values here; the field must exist and apply to VMs. */
  @Override
  public void setCustomValue(MoRef entity, int fieldKey, String value) {
    core.call(
        "setCustomValue",
        true,
        () -> {
          Entity e = core.requireVm(entity, "setCustomValue");
          if (!core.metadata.requireField(fieldKey).appliesToVms()) {
            throw new VsphereException(
                "InvalidArgument", "InvalidArgument: field " + fieldKey + " is not for VMs", false);
          }
          core.inventory.updateVm(e, e.vm.withCustomValue(fieldKey, value), core.clock.instant());
          return null;
        });
  }

  @Override
  public Map<Integer, String> customValues(MoRef vm) {
    return core.call(
        "customValues", true, () -> core.requireVm(vm, "customValues").vm.customValues());
  }

  @Override
  public SessionState sessionState() {
    long cpu = core.cpuStart();
    core.lock.lock();
    try {
      if (core.closed) {
        return SessionState.NONE;
      }
      if (core.lastLoginFailed) {
        return SessionState.LOGIN_FAILED;
      }
      return core.loggedIn ? SessionState.VALID : SessionState.NONE;
    } finally {
      core.lock.unlock();
      core.cpuEnd(cpu);
    }
  }

  /** Logs out; later calls fail with ClientClosed until {@link #reopen()}. */
  @Override
  public void close() {
    core.count("close");
    core.withLock(
        () -> {
          core.closed = true;
          core.loggedIn = false;
          core.changed.signalAll();
        });
  }

  // ---------------------------------------------------------------- test controls

  /** Makes the closed client usable again, as a restarted operator logs in to the same vCenter. */
  public InMemoryVcenter reopen() {
    core.withLock(() -> core.closed = false);
    return this;
  }

  /** Out-of-band actions, as an administrator takes them in the vSphere client. */
  public Administrator admin() {
    return admin;
  }

  /** How long tasks of this kind run from now on (zero: done at the next look). */
  public InMemoryVcenter taskDuration(TaskKind kind, Duration d) {
    core.setDuration(kind, InMemoryVcenterBuilder.requireNonNegative(d));
    return this;
  }

  /**
   * False: clone like govmomi's simulator, ignoring the spec's CPU, memory, powerOn, Notes, cores
   * per socket and customization (the clone has its source's size and is off). True, the default:
   * as vCenter and the simulator launcher.
   */
  public InMemoryVcenter cloneHonoursSpec(boolean honour) {
    core.setCloneHonoursSpec(honour);
    return this;
  }

  /** Faults to inject: failing calls and tasks, refused power-ons, an unreachable vCenter. */
  public Faults faults() {
    return core.faults;
  }

  /** Lags every open feed and every feed opened later (see {@link InMemoryChangeFeed#lag}). */
  public InMemoryVcenter feedLag(Duration lag) {
    initialLag = InMemoryVcenterBuilder.requireNonNegative(lag);
    for (InMemoryChangeFeed f : core.feeds()) {
      f.lag(lag);
    }
    return this;
  }

  /** Every open feed loses its next {@code n} changes. */
  public InMemoryVcenter dropNextChanges(int n) {
    core.feeds().forEach(f -> f.dropNext(n));
    return this;
  }

  /** Every open feed's next batch is a resync. */
  public InMemoryVcenter forceResync() {
    core.feeds().forEach(InMemoryChangeFeed::forceResync);
    return this;
  }

  public List<InMemoryChangeFeed> openFeeds() {
    return core.feeds();
  }

  /**
   * Calls of one method so far, by the seam's method name ({@code "vmsInFolder"}), {@code
   * "ChangeFeed.next"} and the like for feeds, and {@code "login"} for each session started.
   */
  public long callCount(String method) {
    return core.callCount(method);
  }

  public Map<String, Long> callCounts() {
    return core.callCounts();
  }

  /** Calls of {@link VsphereClient} methods, feeds and logins left out: zero in a steady state. */
  public long clientCallCount() {
    return core.callCounts().entrySet().stream()
        .filter(e -> !e.getKey().startsWith("ChangeFeed.") && !e.getKey().equals("login"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /**
   * CPU time the callers' threads spent inside this vCenter's client and feed calls (waiting for a
   * change costs none), with {@link InMemoryVcenterBuilder#accountCpu}; 0 without.
   */
  public long cpuNanos() {
    return core.cpuNanos();
  }

  public long tasksStarted(TaskKind kind) {
    return core.tasksStarted(kind);
  }

  /** Tasks started but not ended by the injected clock's now (ended ones are applied first). */
  public int tasksRunning() {
    return core.admin(core.tasks::running);
  }

  public InMemoryVcenter resetCounters() {
    core.resetCounters();
    return this;
  }

  public Clock clock() {
    return core.clock;
  }

  public String extraConfigPrefix() {
    return core.prefix;
  }
}
