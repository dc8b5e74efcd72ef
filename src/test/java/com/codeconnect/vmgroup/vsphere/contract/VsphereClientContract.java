package com.codeconnect.vmgroup.vsphere.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
 *   <li>Destroying a folder leaves its VMs and subfolders registered in the simulator (a VM is
 *       still found by {@code findVmsByName} and answers calls) and its feed reports only the
 *       folder leaving; vCenter and the fake remove the contents, each reported as leaving.
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
public abstract class VsphereClientContract extends VmSpecContract {
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
}
