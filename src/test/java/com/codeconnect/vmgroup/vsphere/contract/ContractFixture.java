package com.codeconnect.vmgroup.vsphere.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.codeconnect.vmgroup.demo.GuestEdit;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.MoRef;
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
import org.junit.jupiter.api.TestInfo;

/**
 * The fixture of the contract: the client under test, the simulator inventory's landmarks, a folder
 * of the test's own, and helpers that wait for tasks by polling {@code tasks()}.
 */
abstract class ContractFixture {
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

    /** Clone tasks of VMs whose name matches fail with NoDiskSpace; null stops it. */
    void failClones(String regex);

    /** Sets what VMware Tools reports of a VM's guest, as the guest itself would change it. */
    void editGuest(MoRef vm, GuestEdit edit);

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

  Subject subject;
  VsphereClient client;
  MoRef dc;
  MoRef vmFolder;
  MoRef template;
  MoRef pool;
  String folderPath;
  MoRef folder;

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

  TaskInfo awaitTask(TaskRef task) {
    return awaitTask(client, task);
  }

  static TaskInfo awaitTask(VsphereClient client, TaskRef task) {
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

  TaskInfo succeed(TaskRef task) {
    TaskInfo info = awaitTask(task);
    assertThat(info.state()).as("task error %s", info.error()).isEqualTo(TaskInfo.State.SUCCESS);
    return info;
  }

  VsphereException fails(TaskRef task) {
    TaskInfo info = awaitTask(task);
    assertThat(info.state()).isEqualTo(TaskInfo.State.ERROR);
    assertThat(info.result()).isNull();
    return info.error();
  }

  CloneRequest request(MoRef into, String name, Map<String, String> extra) {
    return new CloneRequest(template, into, pool, null, name, 2, 64, extra);
  }

  MoRef clone(MoRef into, String name, Map<String, String> extra) {
    MoRef vm = succeed(client.cloneVm(request(into, name, extra))).result();
    assertThat(vm.type()).isEqualTo("VirtualMachine");
    return vm;
  }

  VmInfo vm(MoRef ref) {
    return client.vmsInFolder(folder).stream()
        .filter(v -> v.ref().equals(ref))
        .findFirst()
        .orElseThrow(() -> new AssertionError(ref + " not in " + folderPath));
  }

  static <T extends VsphereException> T thrown(Runnable call, Class<T> type) {
    T e = catchThrowableOfType(type, call::run);
    assertThat(e).as("expected %s", type.getSimpleName()).isNotNull();
    return e;
  }
}
