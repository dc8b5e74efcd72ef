package com.codeconnect.vmgroup.vsphere.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Kind;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Op;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * What the operator relies on from a {@link VsphereClient}, run against the SOAP client on
 * govmomi's simulator (through the launcher, as every IT starts it) and against the in-memory
 * vCenter, so the fake can't drift from what the real client does.
 *
 * <p>Tasks are awaited by polling {@code tasks()}: the simulator ends most tasks inside the call,
 * the fake at the next look, vCenter later.
 *
 * <p>Where the simulator is known to differ from vCenter, the contract asserts only what both do
 * and the fake follows vCenter:
 *
 * <ul>
 *   <li>Destroying a folder leaves its VMs registered in the simulator (found by {@code
 *       findVmsByName}, answering calls) and its feed reports only the folder leaving; vCenter and
 *       the fake remove the contents, each reported as leaving.
 *   <li>The simulator stores {@code %} in names unescaped, so a path naming {@code a%b} finds
 *       nothing there; vCenter and the fake find it.
 *   <li>A feed on the simulator repeats unchanged properties in a modification and replays
 *       intermediate values; the fake, like vCenter, sends only what changed.
 *   <li>DuplicateName of CreateFolder names the parent folder in the simulator, the object that
 *       holds the name in the fake; the contract only requires one.
 * </ul>
 *
 * <p>Clone quirks are a setting, not a difference: the launcher clones as vCenter does (CPU, memory
 * and powerOn from the spec) unless started with {@code -clone-quirks}, govmomi's own behaviour,
 * and the fake unless {@code cloneHonoursSpec(false)}. Both modes are part of the contract.
 */
public abstract class VsphereClientContract {
  static final String TEMPLATE = "vm-operator-template";
  static final List<String> VM_KEYS =
      List.of(
          "name",
          "parent",
          "powerState",
          "cpu",
          "memoryMiB",
          "template",
          "instanceUuid",
          "ipAddress",
          "extraConfig",
          "cpuHotAdd",
          "memoryHotAdd",
          "currentSnapshot");

  /** A client under test, and the means to act on its vCenter behind the client's back. */
  protected interface Subject extends AutoCloseable {
    VsphereClient client();

    /** Powers a VM off and deletes it, as an administrator would. */
    void destroyVmOutOfBand(MoRef vm);

    @Override
    void close();
  }

  /**
   * A new client on a vCenter with the default simulator inventory, the template {@value TEMPLATE}
   * with a snapshot, and one standalone host. Tests keep to a folder of their own, so the vCenter
   * may be shared between tests.
   *
   * @param cloneQuirks clone as govmomi's simulator does, ignoring the spec's CPU, memory and
   *     powerOn
   */
  protected abstract Subject open(boolean cloneQuirks);

  private Subject subject;
  private VsphereClient client;
  private MoRef dc;
  private MoRef vmFolder;
  private MoRef template;
  private MoRef pool;
  private String folderPath;
  private MoRef folder;

  @BeforeEach
  void openSubject(TestInfo info) {
    subject = open(false);
    client = subject.client();
    dc = client.findByInventoryPath("/DC0").orElseThrow();
    vmFolder = client.datacenter(dc).vmFolder();
    template = client.findByInventoryPath("/DC0/vm/" + TEMPLATE).orElseThrow();
    pool = client.findByInventoryPath("/DC0/host/DC0_C0/Resources").orElseThrow();
    String name = "contract-" + info.getTestMethod().orElseThrow().getName();
    folder = client.createFolder(vmFolder, name);
    folderPath = "/DC0/vm/" + name;
  }

  @AfterEach
  void closeSubject() {
    subject.close();
  }

  // ---------------------------------------------------------------- helpers

  private TaskInfo awaitTask(TaskRef task) {
    return awaitTask(client, task);
  }

  private static TaskInfo awaitTask(VsphereClient client, TaskRef task) {
    AtomicReference<TaskInfo> last = new AtomicReference<>();
    await("task " + task.id())
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(5))
        .until(
            () -> {
              last.set(client.tasks(List.of(task)).get(0));
              return last.get().done();
            });
    return last.get();
  }

  private TaskInfo succeed(TaskRef task) {
    TaskInfo info = awaitTask(task);
    assertThat(info.state()).as("task error %s", info.error()).isEqualTo(TaskInfo.State.SUCCESS);
    return info;
  }

  private VsphereException fails(TaskRef task) {
    TaskInfo info = awaitTask(task);
    assertThat(info.state()).isEqualTo(TaskInfo.State.ERROR);
    assertThat(info.result()).isNull();
    return info.error();
  }

  private CloneRequest request(MoRef into, String name, Map<String, String> extra) {
    return new CloneRequest(template, into, pool, null, name, 2, 64, extra);
  }

  private MoRef clone(MoRef into, String name, Map<String, String> extra) {
    MoRef vm = succeed(client.cloneVm(request(into, name, extra))).result();
    assertThat(vm.type()).isEqualTo("VirtualMachine");
    return vm;
  }

  private VmInfo vm(MoRef ref) {
    return client.vmsInFolder(folder).stream()
        .filter(v -> v.ref().equals(ref))
        .findFirst()
        .orElseThrow(() -> new AssertionError(ref + " not in " + folderPath));
  }

  private static <T extends VsphereException> T thrown(Runnable call, Class<T> type) {
    T e = catchThrowableOfType(type, call::run);
    assertThat(e).as("expected %s", type.getSimpleName()).isNotNull();
    return e;
  }

  // ---------------------------------------------------------------- inventory

  @Test
  void inventoryLookupsAndPaths() {
    assertThat(client.datacenters())
        .extracting(NamedRef::ref, NamedRef::name, NamedRef::path)
        .containsExactly(tuple(dc, "DC0", "/DC0"));
    DatacenterInfo info = client.datacenter(dc);
    assertThat(info.name()).isEqualTo("DC0");
    assertThat(info.vmFolder()).isEqualTo(client.findByInventoryPath("/DC0/vm").orElseThrow());
    assertThat(info.hostFolder()).isEqualTo(client.findByInventoryPath("/DC0/host").orElseThrow());
    assertThat(client.findByInventoryPath("/DC0/vm/")).contains(vmFolder);
    assertThat(client.findByInventoryPath("/DC0/vm/no-such-vm")).isEmpty();
    assertThat(client.findByInventoryPath("/DC0/host/DC0_C0").orElseThrow().type())
        .isEqualTo("ClusterComputeResource");
    assertThat(client.findByInventoryPath("/DC0/host/DC0_H0").orElseThrow().type())
        .isEqualTo("ComputeResource");
    assertThat(client.findByInventoryPath("/DC0/datastore/LocalDS_0").orElseThrow().type())
        .isEqualTo("Datastore");

    List<NamedRef> pools = client.resourcePools(dc);
    assertThat(pools)
        .extracting(NamedRef::path)
        .containsExactlyInAnyOrder("/DC0/host/DC0_C0/Resources", "/DC0/host/DC0_H0/Resources");
    for (NamedRef p : pools) {
      assertThat(p.name()).isEqualTo("Resources");
      assertThat(client.findByInventoryPath(p.path())).contains(p.ref());
    }

    VmInfo t = client.findVmsByName(dc, TEMPLATE).get(0);
    assertThat(client.findVmsByName(dc, TEMPLATE)).hasSize(1);
    assertThat(t.ref()).isEqualTo(template);
    assertThat(t.template()).isTrue();
    assertThat(t.powerState()).isEqualTo(PowerState.POWERED_OFF);
    assertThat(t.cpu()).isEqualTo(1);
    assertThat(t.memoryMiB()).isEqualTo(32);
    assertThat(t.parent()).isEqualTo(vmFolder);
    assertThat(t.currentSnapshot()).isNotNull();
    assertThat(t.extraConfig()).isEmpty();
    assertThat(t.instanceUuid()).isNotBlank();
    assertThat(client.findVmsByName(vmFolder, TEMPLATE)).extracting(VmInfo::ref).contains(template);
    assertThat(client.findVmsByName(dc, "no-such-vm")).isEmpty();

    // the model's VMs run, and a pool lists its VMs in paths
    VmInfo modelVm = client.findVmsByName(dc, "DC0_C0_RP0_VM0").get(0);
    assertThat(modelVm.powerState()).isEqualTo(PowerState.POWERED_ON);
    assertThat(client.findByInventoryPath("/DC0/host/DC0_C0/Resources/DC0_C0_RP0_VM0"))
        .contains(modelVm.ref());
  }

  @Test
  void aMissingObjectIsManagedObjectNotFound() {
    MoRef gone = new MoRef("Folder", "folder-999999");
    MoRef noDc = new MoRef("Datacenter", "datacenter-999999");
    assertThat(
            thrown(() -> client.vmsInFolder(gone), VsphereException.ManagedObjectNotFound.class)
                .object())
        .isEqualTo(gone);
    assertThat(
            thrown(() -> client.childFolders(gone), VsphereException.ManagedObjectNotFound.class)
                .object())
        .isEqualTo(gone);
    assertThat(
            thrown(
                    () -> client.findVmsByName(gone, "x"),
                    VsphereException.ManagedObjectNotFound.class)
                .object())
        .isEqualTo(gone);
    assertThat(
            thrown(
                    () -> client.createFolder(gone, "x"),
                    VsphereException.ManagedObjectNotFound.class)
                .object())
        .isEqualTo(gone);
    assertThat(
            thrown(() -> client.datacenter(noDc), VsphereException.ManagedObjectNotFound.class)
                .object())
        .isEqualTo(noDc);
    assertThat(
            thrown(() -> client.resourcePools(noDc), VsphereException.ManagedObjectNotFound.class)
                .object())
        .isEqualTo(noDc);
    // a folder is not a datacenter
    thrown(() -> client.datacenter(vmFolder), VsphereException.ManagedObjectNotFound.class);
    // the clone's source is what the call is made on: a missing one fails the call
    MoRef noVm = new MoRef("VirtualMachine", "vm-999999");
    CloneRequest r = new CloneRequest(noVm, folder, pool, null, "orphan", 1, 32, Map.of());
    assertThat(
            thrown(() -> client.cloneVm(r), VsphereException.ManagedObjectNotFound.class).object())
        .isEqualTo(noVm);
  }

  // ---------------------------------------------------------------- folders

  @Test
  void foldersAreCreatedRefusedAsDuplicatesAndDestroyedWithTheirContents() {
    assertThat(client.childFolders(vmFolder))
        .extracting(NamedRef::ref, NamedRef::name)
        .contains(tuple(folder, folderPath.substring("/DC0/vm/".length())));
    assertThat(client.findByInventoryPath(folderPath)).contains(folder);
    VsphereException.DuplicateName dup =
        thrown(
            () -> client.createFolder(vmFolder, folderPath.substring("/DC0/vm/".length())),
            VsphereException.DuplicateName.class);
    assertThat(dup.existing()).isNotNull();

    MoRef sub = client.createFolder(folder, "sub");
    MoRef odd = client.createFolder(folder, "50% off/on");
    assertThat(client.childFolders(folder))
        .extracting(NamedRef::ref, NamedRef::name, NamedRef::path)
        .containsExactly(tuple(sub, "sub", null), tuple(odd, "50% off/on", null));
    assertThat(client.findByInventoryPath(folderPath + "/sub")).contains(sub);

    // a VM holds its name against a folder too
    clone(folder, "taken", Map.of());
    thrown(() -> client.createFolder(folder, "taken"), VsphereException.DuplicateName.class);

    MoRef deep = clone(sub, "deep", Map.of());
    assertThat(client.findByInventoryPath(folderPath + "/sub/deep")).contains(deep);
    succeed(client.destroy(folder));
    assertThat(client.findByInventoryPath(folderPath)).isEmpty();
    assertThat(client.findByInventoryPath(folderPath + "/sub/deep")).isEmpty();
    assertThat(client.childFolders(vmFolder)).extracting(NamedRef::ref).doesNotContain(folder);
    thrown(() -> client.vmsInFolder(folder), VsphereException.ManagedObjectNotFound.class);
    assertThat(client.findByInventoryPath(folderPath + "/sub")).isEmpty();
  }

  // ---------------------------------------------------------------- clones

  @Test
  void aCloneCarriesItsMarkersFromTheCloneCallAndItsSpec() {
    MoRef snapshot = client.findVmsByName(dc, TEMPLATE).get(0).currentSnapshot();
    TaskInfo done =
        succeed(
            client.cloneVm(
                new CloneRequest(
                    template,
                    folder,
                    pool,
                    null,
                    "web-0",
                    2,
                    64,
                    Map.of("vmgroup.owner", "ns/group & <co>", "vmgroup.index", "0", "other", "x"),
                    snapshot,
                    false)));
    MoRef ref = done.result();
    assertThat(client.vmsInFolder(folder))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.ref()).isEqualTo(ref);
              assertThat(v.name()).isEqualTo("web-0");
              assertThat(v.parent()).isEqualTo(folder);
              assertThat(v.template()).isFalse();
              assertThat(v.powerState()).isEqualTo(PowerState.POWERED_OFF);
              assertThat(v.cpu()).isEqualTo(2);
              assertThat(v.memoryMiB()).isEqualTo(64);
              // only the client's marker prefix comes back
              assertThat(v.extraConfig())
                  .isEqualTo(Map.of("vmgroup.owner", "ns/group & <co>", "vmgroup.index", "0"));
              assertThat(v.instanceUuid()).isNotBlank();
              assertThat(v.currentSnapshot()).isNull();
            });
    assertThat(client.findByInventoryPath(folderPath + "/web-0")).contains(ref);

    MoRef on =
        succeed(
                client.cloneVm(
                    new CloneRequest(
                        template, folder, pool, null, "web-1", 2, 64, Map.of(), null, true)))
            .result();
    assertThat(vm(on).powerState()).isEqualTo(PowerState.POWERED_ON);
    assertThat(vm(on).instanceUuid()).isNotEqualTo(vm(ref).instanceUuid());
    assertThat(client.findVmsByName(dc, "web-1")).extracting(VmInfo::ref).containsExactly(on);
  }

  @Test
  void withCloneQuirksACloneKeepsItsSourceSizeAndStaysOff() {
    try (Subject quirky = open(true)) {
      VsphereClient q = quirky.client();
      MoRef f = q.createFolder(q.findByInventoryPath("/DC0/vm").orElseThrow(), "contract-quirks");
      MoRef t = q.findByInventoryPath("/DC0/vm/" + TEMPLATE).orElseThrow();
      MoRef p = q.findByInventoryPath("/DC0/host/DC0_C0/Resources").orElseThrow();
      TaskRef task =
          q.cloneVm(
              new CloneRequest(
                  t, f, p, null, "quirky", 2, 64, Map.of("vmgroup.a", "1"), null, true));
      assertThat(awaitTask(q, task).state()).isEqualTo(TaskInfo.State.SUCCESS);
      assertThat(q.vmsInFolder(f))
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.cpu()).isEqualTo(1);
                assertThat(v.memoryMiB()).isEqualTo(32);
                assertThat(v.powerState()).isEqualTo(PowerState.POWERED_OFF);
                assertThat(v.extraConfig()).isEqualTo(Map.of("vmgroup.a", "1"));
              });
    }
  }

  /** The call succeeds; its task fails with DuplicateName naming the VM that holds the name. */
  @Test
  void cloningATakenNameFailsTheTaskWithDuplicateName() {
    MoRef first = clone(folder, "twin", Map.of());
    TaskRef again = client.cloneVm(request(folder, "twin", Map.of()));
    VsphereException e = fails(again);
    assertThat(e).isInstanceOf(VsphereException.DuplicateName.class);
    assertThat(((VsphereException.DuplicateName) e).existing()).isEqualTo(first);
    assertThat(client.vmsInFolder(folder)).extracting(VmInfo::ref).containsExactly(first);
  }

  // ---------------------------------------------------------------- reconfigure and power

  @Test
  void reconfigureSetsSizeAndMarkersInOneTask() {
    MoRef vm = clone(folder, "sized", Map.of("vmgroup.owner", "x"));
    succeed(client.reconfigureVm(vm, 3, 96, Map.of("vmgroup.size", "3x96")));
    assertThat(vm(vm).cpu()).isEqualTo(3);
    assertThat(vm(vm).memoryMiB()).isEqualTo(96);
    assertThat(vm(vm).extraConfig())
        .isEqualTo(Map.of("vmgroup.owner", "x", "vmgroup.size", "3x96"));
    // zero leaves a value as it is
    succeed(client.reconfigureVm(vm, 4, 0));
    assertThat(vm(vm).cpu()).isEqualTo(4);
    assertThat(vm(vm).memoryMiB()).isEqualTo(96);
  }

  @Test
  void setExtraConfigWithAnEmptyValueRemovesTheKey() {
    MoRef vm = clone(folder, "handover", Map.of("vmgroup.owner", "a", "vmgroup.index", "0"));
    succeed(client.setExtraConfig(vm, Map.of("vmgroup.index", "", "vmgroup.note", "n")));
    assertThat(vm(vm).extraConfig()).isEqualTo(Map.of("vmgroup.owner", "a", "vmgroup.note", "n"));
    succeed(client.setExtraConfig(vm, Map.of("vmgroup.never-set", "")));
    succeed(client.setExtraConfig(vm, Map.of("vmgroup.owner", "b")));
    assertThat(vm(vm).extraConfig()).isEqualTo(Map.of("vmgroup.owner", "b", "vmgroup.note", "n"));
    assertThat(vm(vm).cpu()).isEqualTo(2);
    assertThat(vm(vm).memoryMiB()).isEqualTo(64);
  }

  @Test
  void powerOnAndOffWithInvalidPowerStateAsTaskErrors() {
    MoRef vm = clone(folder, "power", Map.of());
    succeed(client.powerOnVm(vm));
    assertThat(vm(vm).powerState()).isEqualTo(PowerState.POWERED_ON);
    assertThat(fails(client.powerOnVm(vm))).isInstanceOf(VsphereException.InvalidPowerState.class);

    // a running VM without hot-add can't change size; its markers can change
    assertThat(fails(client.reconfigureVm(vm, 1, 64)).faultType())
        .isEqualTo("CpuHotPlugNotSupported");
    succeed(client.setExtraConfig(vm, Map.of("vmgroup.x", "1")));
    // nor can it be destroyed
    assertThat(fails(client.destroy(vm))).isInstanceOf(VsphereException.InvalidPowerState.class);
    assertThat(vm(vm).powerState()).isEqualTo(PowerState.POWERED_ON);

    succeed(client.powerOffVm(vm));
    assertThat(vm(vm).powerState()).isEqualTo(PowerState.POWERED_OFF);
    assertThat(fails(client.powerOffVm(vm))).isInstanceOf(VsphereException.InvalidPowerState.class);

    // a template is refused by the call itself
    assertThat(thrown(() -> client.powerOnVm(template), VsphereException.class).faultType())
        .isEqualTo("InvalidState");
  }

  // ---------------------------------------------------------------- destroy and tasks

  @Test
  void aDestroyedVmIsGoneAndCallsOnItAreManagedObjectNotFound() {
    MoRef vm = clone(folder, "doomed", Map.of());
    succeed(client.destroy(vm));
    assertThat(client.findByInventoryPath(folderPath + "/doomed")).isEmpty();
    assertThat(client.vmsInFolder(folder)).isEmpty();
    assertThat(client.findVmsByName(dc, "doomed")).isEmpty();
    assertThat(
            thrown(() -> client.powerOnVm(vm), VsphereException.ManagedObjectNotFound.class)
                .object())
        .isEqualTo(vm);
    thrown(() -> client.reconfigureVm(vm, 1, 32), VsphereException.ManagedObjectNotFound.class);
    thrown(() -> client.destroy(vm), VsphereException.ManagedObjectNotFound.class);
  }

  @Test
  void aVmDestroyedOutOfBandIsGoneForTheClient() {
    MoRef vm = clone(folder, "admin-deletes", Map.of());
    subject.destroyVmOutOfBand(vm);
    assertThat(client.vmsInFolder(folder)).isEmpty();
    thrown(() -> client.powerOffVm(vm), VsphereException.ManagedObjectNotFound.class);
  }

  @Test
  void tasksReportsAnUnknownTaskAsErrorWithoutFailingTheBatch() {
    TaskRef real = client.destroy(client.createFolder(folder, "short-lived"));
    succeed(real);
    TaskRef bogus = new TaskRef(new MoRef("Task", "task-999999"));
    List<TaskInfo> infos = client.tasks(List.of(bogus, real));
    assertThat(infos).extracting(TaskInfo::task).containsExactly(bogus, real);
    assertThat(infos.get(0).state()).isEqualTo(TaskInfo.State.ERROR);
    assertThat(infos.get(0).error()).isInstanceOf(VsphereException.ManagedObjectNotFound.class);
    assertThat(infos.get(1).state()).isEqualTo(TaskInfo.State.SUCCESS);
    assertThat(client.tasks(List.of())).isEmpty();
  }

  // ---------------------------------------------------------------- change feed

  @Test
  void aFeedStartsWithTheFullStateBelowItsRoot() {
    MoRef sub = client.createFolder(folder, "sub");
    MoRef vm = clone(folder, "web-0", Map.of("vmgroup.owner", "ns/web", "other", "x"));
    MoRef deep = clone(sub, "deep", Map.of());
    try (ChangeFeed feed = client.changeFeed(folder)) {
      ChangeBatch first = feed.next(Duration.ofSeconds(10));
      assertThat(first.resync()).isTrue();
      // the root itself and everything outside it are not part of it
      assertThat(first.changes())
          .extracting(ObjectChange::ref)
          .containsExactlyInAnyOrder(sub, vm, deep);
      assertThat(first.changes()).extracting(ObjectChange::op).containsOnly(Op.ENTER);
      ObjectChange v = change(first, vm);
      assertThat(v.kind()).isEqualTo(Kind.VM);
      assertThat(v.values()).containsKeys(VM_KEYS.toArray(String[]::new));
      assertThat(v.values())
          .containsEntry("name", "web-0")
          .containsEntry("parent", folder)
          .containsEntry("powerState", PowerState.POWERED_OFF)
          .containsEntry("template", false)
          .containsEntry("cpu", 2)
          .containsEntry("memoryMiB", 64L)
          .containsEntry("extraConfig", Map.of("vmgroup.owner", "ns/web"));
      assertThat(change(first, deep).values()).containsEntry("parent", sub);
      assertThat(change(first, sub).kind()).isEqualTo(Kind.FOLDER);
      assertThat(change(first, sub).values()).isEqualTo(Map.of("name", "sub", "parent", folder));
    }
  }

  private static ObjectChange change(ChangeBatch b, MoRef ref) {
    return b.changes().stream()
        .filter(c -> c.ref().equals(ref))
        .findFirst()
        .orElseThrow(() -> new AssertionError(ref + " not in " + b.changes()));
  }

  @Test
  void aFeedReportsVmsFoldersAndWatchedTasks() {
    MoRef vm = clone(folder, "web-0", Map.of("vmgroup.owner", "ns/web"));
    try (ChangeFeed feed = client.changeFeed(folder)) {
      FeedView view = new FeedView(feed);
      assertThat(view.first().resync()).isTrue();

      TaskRef resize = client.reconfigureVm(vm, 3, 96, Map.of("vmgroup.size", "3x96"));
      feed.watchTasks(List.of(resize));
      view.until(
          "resized",
          v ->
              v.taskState(resize) == TaskInfo.State.SUCCESS
                  && Integer.valueOf(3).equals(v.value(vm, "cpu")));
      assertThat(view.values(vm))
          .containsEntry("memoryMiB", 96L)
          .containsEntry("extraConfig", Map.of("vmgroup.owner", "ns/web", "vmgroup.size", "3x96"));
      assertThat(view.changesOf(vm))
          .anySatisfy(
              c -> {
                assertThat(c.op()).isEqualTo(Op.MODIFY);
                assertThat(c.values()).containsEntry("cpu", 3);
              });
      assertThat(view.changesOf(resize.ref()))
          .extracting(ObjectChange::kind)
          .containsOnly(Kind.TASK);
      feed.unwatchTasks(List.of(resize));

      TaskRef on = client.powerOnVm(vm);
      feed.watchTasks(List.of(on));
      view.until(
          "powered on",
          v ->
              v.taskState(on) == TaskInfo.State.SUCCESS
                  && v.value(vm, "powerState") == PowerState.POWERED_ON);
      assertThat(view.values(on.ref())).containsEntry("result", null).containsEntry("error", null);
      // finished tasks are unwatched, as the operator does; the simulator's WaitForUpdatesEx panics
      // when a VM whose task its list view still holds is destroyed
      feed.unwatchTasks(List.of(on));

      succeed(client.setExtraConfig(vm, Map.of("vmgroup.size", "")));
      view.until(
          "marker removed",
          v -> Map.of("vmgroup.owner", "ns/web").equals(v.value(vm, "extraConfig")));

      MoRef sub = client.createFolder(folder, "sub");
      view.until("folder entered", v -> v.has(sub));
      assertThat(view.changesOf(sub))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.op()).isEqualTo(Op.ENTER);
                assertThat(c.kind()).isEqualTo(Kind.FOLDER);
                assertThat(c.values()).isEqualTo(Map.of("name", "sub", "parent", folder));
              });

      TaskRef cloning = client.cloneVm(request(sub, "deep", Map.of("vmgroup.owner", "ns/deep")));
      feed.watchTasks(List.of(cloning));
      view.until("clone done", v -> v.taskState(cloning) == TaskInfo.State.SUCCESS);
      MoRef deep = (MoRef) view.value(cloning.ref(), "result");
      feed.unwatchTasks(List.of(cloning));
      assertThat(deep).isNotNull();
      view.until("clone entered", v -> v.has(deep));
      assertThat(view.changesOf(deep).get(0).op()).isEqualTo(Op.ENTER);
      assertThat(view.changesOf(deep).get(0).values()).containsKeys(VM_KEYS.toArray(String[]::new));
      assertThat(view.values(deep))
          .containsEntry("name", "deep")
          .containsEntry("parent", sub)
          .containsEntry("extraConfig", Map.of("vmgroup.owner", "ns/deep"));

      succeed(client.powerOffVm(vm));
      // seen before the destroy: the simulator's WaitForUpdatesEx panics when one of its batches
      // holds a change of a VM and then the VM's removal
      view.until("powered off", v -> v.value(vm, "powerState") == PowerState.POWERED_OFF);
      succeed(client.destroy(vm));
      view.until("VM left", v -> !v.has(vm));
      assertThat(view.changesOf(vm).get(view.changesOf(vm).size() - 1))
          .satisfies(
              c -> {
                assertThat(c.op()).isEqualTo(Op.LEAVE);
                assertThat(c.kind()).isEqualTo(Kind.VM);
                assertThat(c.values()).isEmpty();
              });

      succeed(client.destroy(sub));
      view.until("folder left", v -> !v.has(sub));
      assertThat(view.changesOf(sub).get(view.changesOf(sub).size() - 1).op()).isEqualTo(Op.LEAVE);
    }
  }

  @Test
  void watchingAnUnknownTaskReportsItFailedOnce() {
    try (ChangeFeed feed = client.changeFeed(folder)) {
      FeedView view = new FeedView(feed);
      view.first();
      TaskRef bogus = new TaskRef(new MoRef("Task", "task-999999"));
      feed.watchTasks(List.of(bogus));
      view.until("unknown task reported", v -> v.has(bogus.ref()));
      assertThat(view.changesOf(bogus.ref()))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.kind()).isEqualTo(Kind.TASK);
                assertThat(c.values().get("state")).isEqualTo(TaskInfo.State.ERROR);
                assertThat(c.values().get("error"))
                    .isInstanceOf(VsphereException.ManagedObjectNotFound.class);
              });
      // reported once: a later change comes alone
      MoRef later = client.createFolder(folder, "later");
      view.until("next change", v -> v.has(later));
      assertThat(view.changesOf(bogus.ref())).hasSize(1);
    }
  }

  @Test
  void aClosedFeedReturnsEmptyBatchesAndClosingEndsAWait() throws Exception {
    ChangeFeed feed = client.changeFeed(folder);
    assertThat(feed.next(Duration.ofSeconds(10)).resync()).isTrue();
    AtomicReference<ChangeBatch> result = new AtomicReference<>();
    Thread waiter = new Thread(() -> result.set(feed.next(Duration.ofSeconds(30))), "feed-waiter");
    waiter.start();
    await("waiting in next")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(
            () ->
                waiter.getState() == Thread.State.WAITING
                    || waiter.getState() == Thread.State.TIMED_WAITING);
    long start = System.nanoTime();
    feed.close();
    waiter.join(Duration.ofSeconds(10).toMillis());
    assertThat(waiter.isAlive()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(result.get().changes()).isEmpty();
    assertThat(result.get().resync()).isFalse();

    client.createFolder(folder, "after-close");
    long again = System.nanoTime();
    assertThat(feed.next(Duration.ofSeconds(30))).isEqualTo(ChangeBatch.empty());
    assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofSeconds(5));
  }
}
