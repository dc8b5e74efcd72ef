package com.codeconnect.vmgroup.demo;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codeconnect.vmgroup.testing.Wait;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.soap.SoapVsphereClient;
import com.codeconnect.vmgroup.vsphere.soap.TlsTrust;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launcher's test knobs (tools/vcsim), seen through the operator's SOAP client. */
class VcsimLauncherIT {
  private static final Duration CLONE_DELAY = Duration.ofSeconds(1);
  private static final Duration POWER_DELAY = Duration.ofMillis(700);
  private static final Duration FOLDER_DELAY = Duration.ofMillis(800);
  private static Vcsim vcsim;
  private SoapVsphereClient client;

  @BeforeAll
  static void startSimulator() {
    vcsim =
        Vcsim.builder()
            .cloneDelay(CLONE_DELAY)
            .powerDelay(POWER_DELAY)
            .methodDelay("CreateFolder", FOLDER_DELAY)
            .failClone("^doomed-")
            .start();
  }

  @AfterAll
  static void stopSimulator() {
    vcsim.close();
  }

  @BeforeEach
  void connect() {
    client = newClient(vcsim);
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  private static SoapVsphereClient newClient(Vcsim sim) {
    SoapVsphereClient.Builder b =
        SoapVsphereClient.builder(sim.url())
            .credentials(new Credentials("administrator@vsphere.local", "pw"));
    if (sim.certificate() != null) {
      b.tls(TlsTrust.caBundle(sim.certificate()));
    }
    return b.build();
  }

  private MoRef vmFolder() {
    return client.datacenter(client.findByInventoryPath("/DC0").orElseThrow()).vmFolder();
  }

  private TaskRef startClone(String name) {
    MoRef template = client.findByInventoryPath("/DC0/vm/vm-operator-template").orElseThrow();
    MoRef pool = client.findByInventoryPath("/DC0/host/DC0_C0/Resources").orElseThrow();
    return client.cloneVm(
        new CloneRequest(template, vmFolder(), pool, null, name, 1, 32, Map.of()));
  }

  private TaskInfo info(TaskRef t) {
    return client.tasks(List.of(t)).get(0);
  }

  private TaskInfo await(TaskRef t) {
    AtomicReference<TaskInfo> last = new AtomicReference<>();
    eventually(Duration.ofSeconds(10), Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              TaskInfo i = info(t);
              last.set(i);
              assertThat(i.done()).as("task %s still %s", t, i.state()).isTrue();
            });
    return last.get();
  }

  private MoRef cloneAndWait(String name) {
    TaskInfo done = await(startClone(name));
    assertThat(done.state()).as("error %s", done.error()).isEqualTo(TaskInfo.State.SUCCESS);
    return done.result();
  }

  private List<VmInfo> vmsNamed(String name) {
    return client.findVmsByName(vmFolder(), name);
  }

  @Test
  void cloneRunsAsynchronouslyAndTheVmAppearsWhenItEnds() {
    long start = System.nanoTime();
    TaskRef task = startClone("async-clone");
    TaskInfo running = info(task);
    assertThat(running.state()).isEqualTo(TaskInfo.State.RUNNING);
    assertThat(vmsNamed("async-clone")).isEmpty();

    TaskInfo done = await(task);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(done.state()).as("error %s", done.error()).isEqualTo(TaskInfo.State.SUCCESS);
    assertThat(took).isGreaterThanOrEqualTo(CLONE_DELAY.minusMillis(50));
    assertThat(vmsNamed("async-clone")).extracting(VmInfo::ref).containsExactly(done.result());
  }

  @Test
  void aCloneGetsItsSpecsSizeAndPowerStateInsideTheCloneTaskAsFromVcenter() {
    MoRef template = client.findByInventoryPath("/DC0/vm/vm-operator-template").orElseThrow();
    MoRef pool = client.findByInventoryPath("/DC0/host/DC0_C0/Resources").orElseThrow();
    long start = System.nanoTime();
    TaskInfo done =
        await(
            client.cloneVm(
                new CloneRequest(
                    template, vmFolder(), pool, null, "sized-on", 3, 96, Map.of(), null, true)));
    assertThat(done.state()).isEqualTo(TaskInfo.State.SUCCESS);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("powering on is part of the clone task")
        .isGreaterThanOrEqualTo(CLONE_DELAY.plus(POWER_DELAY));
    assertThat(vmsNamed("sized-on"))
        .singleElement()
        .satisfies(
            vm -> {
              assertThat(vm.cpu()).isEqualTo(3);
              assertThat(vm.memoryMiB()).isEqualTo(96);
              assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
            });
  }

  @Test
  void cloneQuirksIgnoreTheSpecLikeGovmomisSimulator() {
    try (Vcsim quirky = Vcsim.builder().cloneQuirks(true).start();
        SoapVsphereClient c = newClient(quirky)) {
      MoRef template = c.findByInventoryPath("/DC0/vm/vm-operator-template").orElseThrow();
      MoRef pool = c.findByInventoryPath("/DC0/host/DC0_C0/Resources").orElseThrow();
      MoRef folder = c.datacenter(c.findByInventoryPath("/DC0").orElseThrow()).vmFolder();
      c.cloneVm(
          new CloneRequest(template, folder, pool, null, "as-is", 3, 96, Map.of(), null, true));
      VmInfo vm = c.findVmsByName(folder, "as-is").get(0);
      assertThat(vm.cpu()).isNotEqualTo(3);
      assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_OFF);
    }
  }

  @Test
  void powerOnRunsAsynchronously() {
    MoRef vm = cloneAndWait("async-power");
    TaskRef task = client.powerOnVm(vm);
    assertThat(info(task).state()).isEqualTo(TaskInfo.State.RUNNING);
    assertThat(vmsNamed("async-power").get(0).powerState()).isEqualTo(PowerState.POWERED_OFF);

    assertThat(await(task).state()).isEqualTo(TaskInfo.State.SUCCESS);
    assertThat(vmsNamed("async-power").get(0).powerState()).isEqualTo(PowerState.POWERED_ON);

    // and a second power-on fails as it would synchronously, when its task ends
    TaskInfo again = await(client.powerOnVm(vm));
    assertThat(again.state()).isEqualTo(TaskInfo.State.ERROR);
    assertThat(again.error()).isInstanceOf(VsphereException.InvalidPowerState.class);
  }

  @Test
  void aSecondCloneOfTheSameNameIsDuplicateNameWhileTheFirstRunsAndAfterwards() {
    TaskRef first = startClone("dup");
    TaskInfo whileRunning = await(startClone("dup"));
    assertThat(info(first).state()).isEqualTo(TaskInfo.State.RUNNING);
    assertThat(whileRunning.state()).isEqualTo(TaskInfo.State.ERROR);
    assertThat(whileRunning.error()).isInstanceOf(VsphereException.DuplicateName.class);

    TaskInfo created = await(first);
    assertThat(created.state()).isEqualTo(TaskInfo.State.SUCCESS);

    TaskInfo afterwards = await(startClone("dup"));
    assertThat(afterwards.state()).isEqualTo(TaskInfo.State.ERROR);
    assertThat(((VsphereException.DuplicateName) afterwards.error()).existing())
        .isEqualTo(created.result());
    assertThat(vmsNamed("dup")).hasSize(1);
  }

  @Test
  void failingClonesEndInNoDiskSpaceUntilCleared() {
    TaskInfo doomed = await(startClone("doomed-1")); // -fail-clone=^doomed-
    assertThat(doomed.state()).isEqualTo(TaskInfo.State.ERROR);
    assertThat(doomed.error().faultType()).isEqualTo("NoDiskSpace");

    vcsim.failClones("^full-");
    TaskInfo full = await(startClone("full-1"));
    assertThat(full.state()).isEqualTo(TaskInfo.State.ERROR);
    assertThat(full.error().faultType()).isEqualTo("NoDiskSpace");
    assertThat(full.error().getMessage()).contains("not enough space");
    assertThat(vmsNamed("full-1")).isEmpty();

    vcsim.clearFailures();
    cloneAndWait("full-1");
    cloneAndWait("doomed-2");
  }

  @Test
  void taskDelaysChangeAtRuntime() {
    vcsim.setTaskDelays(Duration.ZERO, null, null, null);
    try {
      TaskInfo done = info(startClone("sync-clone"));
      assertThat(done.state()).isEqualTo(TaskInfo.State.SUCCESS);
    } finally {
      vcsim.setTaskDelays(CLONE_DELAY, null, null, null);
    }
    assertThat(info(startClone("async-again")).state()).isEqualTo(TaskInfo.State.RUNNING);
  }

  @Test
  void sessionCountFollowsLoginAndLogout() {
    client.datacenters(); // logs in
    int before = vcsim.sessionCount();
    try (SoapVsphereClient other = newClient(vcsim)) {
      other.datacenters();
      assertThat(vcsim.sessionCount()).isEqualTo(before + 1);
    }
    assertThat(vcsim.sessionCount()).isEqualTo(before);
  }

  @Test
  void terminatedSessionsMakeTheClientLogInAgain() {
    client.datacenters();
    assertThat(client.callCount("Login")).isEqualTo(1);
    assertThat(vcsim.terminateSessions()).isGreaterThanOrEqualTo(1);
    assertThat(vcsim.sessionCount()).isZero();

    assertThat(client.datacenters()).isNotEmpty();
    assertThat(client.callCount("Login")).isEqualTo(2);
    assertThat(vcsim.sessionCount()).isEqualTo(1);
  }

  @Test
  void aMethodDelayDelaysThatCall() {
    MoRef folder = vmFolder();
    long start = System.nanoTime();
    client.createFolder(folder, "slow-folder");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(FOLDER_DELAY);

    start = System.nanoTime();
    vmFolder();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FOLDER_DELAY);
  }

  @Test
  void runningTasksAreCountedUntilTheyEnd() {
    TaskRef task = startClone("counted");
    assertThat(vcsim.tasksRunning()).isGreaterThanOrEqualTo(1);
    await(task);
    Wait.fast(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(vcsim.tasksRunning()).isZero());
  }

  @Test
  void anAdministratorMovesAVmAndDeletesAVmAndAFolder() {
    MoRef folder = client.createFolder(vmFolder(), "admin-folder");
    MoRef vm = cloneAndWait("admin-moved");
    vcsim.moveVm(vm.value(), folder.value());
    assertThat(client.vmsInFolder(folder)).extracting(VmInfo::ref).containsExactly(vm);

    MoRef on = cloneAndWait("admin-running");
    assertThat(await(client.powerOnVm(on)).state()).isEqualTo(TaskInfo.State.SUCCESS);
    vcsim.destroyVm(on.value());
    assertThat(vmsNamed("admin-running")).isEmpty();

    MoRef inner = client.createFolder(folder, "admin-inner");
    vcsim.moveVm(cloneAndWait("admin-deep").value(), inner.value());
    assertThat(vcsim.destroyFolder(folder.value())).isEqualTo(2);
    assertThat(client.findByInventoryPath("/DC0/vm/admin-folder")).isEmpty();
    assertThat(vmsNamed("admin-moved")).isEmpty();
    assertThat(vmsNamed("admin-deep")).isEmpty();
  }

  @Test
  void aVmPoweredOffUnnoticedLooksOffToADirectReadAndOnToAnOpenFeed() {
    MoRef vm = cloneAndWait("unnoticed");
    assertThat(await(client.powerOnVm(vm)).state()).isEqualTo(TaskInfo.State.SUCCESS);
    try (var feed = client.changeFeed(vmFolder())) {
      assertThat(feed.next(Duration.ofSeconds(1)).resync()).isTrue(); // its full state
      vcsim.powerOffUnnoticed(vm.value());
      assertThat(vmsNamed("unnoticed").get(0).powerState()).isEqualTo(PowerState.POWERED_OFF);
      assertThat(feed.next(Duration.ofSeconds(1)).changes())
          .as("no feed hears of it")
          .noneMatch(c -> c.ref().equals(vm));

      // the next real change of the VM is reported as usual
      assertThat(await(client.powerOnVm(vm)).state()).isEqualTo(TaskInfo.State.SUCCESS);
      assertThat(feed.next(Duration.ofSeconds(2)).changes()).anyMatch(c -> c.ref().equals(vm));
    }
    assertThatThrownBy(() -> vcsim.powerOffUnnoticed("vm-none")).hasMessageContaining("no VM");
  }

  @Test
  void aCloneIntoAFolderDeletedMeanwhileFailsAndTheSimulatorKeepsRunning() {
    MoRef folder = client.createFolder(vmFolder(), "doomed-folder");
    MoRef template = client.findByInventoryPath("/DC0/vm/vm-operator-template").orElseThrow();
    MoRef pool = client.findByInventoryPath("/DC0/host/DC0_C0/Resources").orElseThrow();
    TaskRef clone =
        client.cloneVm(new CloneRequest(template, folder, pool, null, "orphan", 1, 32, Map.of()));
    vcsim.destroyFolder(folder.value());
    TaskInfo done = await(clone);
    assertThat(done.state()).isEqualTo(TaskInfo.State.ERROR);
    assertThat(done.error()).isInstanceOf(VsphereException.ManagedObjectNotFound.class);
    assertThat(vcsim.isAlive()).isTrue();
    assertThat(vmsNamed("orphan")).isEmpty();
  }

  @Test
  void callDelaysChangeAtRuntime() {
    vmFolder(); // logged in
    vcsim.setCallDelays(null, null, Map.of("CreateFolder", Duration.ZERO));
    try {
      long start = System.nanoTime();
      client.createFolder(vmFolder(), "fast-folder");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FOLDER_DELAY);

      vcsim.setCallDelays(Duration.ofMillis(300), 0.0, null);
      start = System.nanoTime();
      vmFolder();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    } finally {
      vcsim.setCallDelays(Duration.ZERO, 0.0, Map.of("CreateFolder", FOLDER_DELAY));
    }
  }

  @Test
  void idleSessionsExpireAndTheControlEndpointWorksOverTls() {
    try (Vcsim tls =
            Vcsim.builder()
                .tls(true)
                .clusterHosts(1)
                .vms(1)
                .sessionIdleTimeout(Duration.ofMillis(500))
                .start();
        SoapVsphereClient c = newClient(tls)) {
      c.datacenters();
      assertThat(tls.sessionCount()).isEqualTo(1);
      eventually(Duration.ofSeconds(5), Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(tls.sessionCount()).isZero());
      assertThat(c.datacenters()).isNotEmpty(); // logs in again
      assertThat(c.callCount("Login")).isEqualTo(2);
    }
  }
}
