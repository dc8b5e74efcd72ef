package com.codeconnect.vmgroup.vsphere.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.codeconnect.vmgroup.testing.TestClock;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.SessionState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-memory vCenter's own features: task timing, clone modes, faults, counters, sessions. */
class InMemoryVcenterTest {
  private final TestClock clock = new TestClock();
  private InMemoryVcenter vc;
  private MoRef vmFolder;
  private MoRef template;
  private MoRef pool;
  private MoRef folder;

  @BeforeEach
  void setUp() {
    open(InMemoryVcenter.builder().clock(clock).hotAddTemplates("vm-operator-template"));
  }

  private void open(InMemoryVcenterBuilder b) {
    vc = b.build();
    vmFolder = vc.findByInventoryPath("/DC0/vm").orElseThrow();
    template = vc.findByInventoryPath("/DC0/vm/vm-operator-template").orElseThrow();
    pool = vc.findByInventoryPath("/DC0/host/DC0_C0/Resources").orElseThrow();
    folder = vc.createFolder(vmFolder, "test");
  }

  private CloneRequest clone(String name, boolean powerOn) {
    return new CloneRequest(
        template, folder, pool, null, name, 4, 256, Map.of("vmgroup.owner", "t"), null, powerOn);
  }

  private TaskInfo info(TaskRef t) {
    return vc.tasks(List.of(t)).get(0);
  }

  private MoRef created(TaskRef t) {
    TaskInfo i = info(t);
    assertThat(i.state()).as("task error %s", i.error()).isEqualTo(TaskInfo.State.SUCCESS);
    return i.result();
  }

  private VmInfo vm(MoRef ref) {
    return vc.admin().vm(ref).orElseThrow();
  }

  @Test
  void aTaskRunsForItsDurationOnTheInjectedClockAndItsEffectShowsWhenItEnds() {
    vc.taskDuration(TaskKind.CLONE, Duration.ofSeconds(10));
    TaskRef t = vc.cloneVm(clone("slow", false));
    assertThat(info(t).state()).isEqualTo(TaskInfo.State.RUNNING);
    assertThat(vc.tasksRunning()).isEqualTo(1);
    clock.advance(Duration.ofMillis(9999));
    assertThat(info(t).state()).isEqualTo(TaskInfo.State.RUNNING);
    assertThat(vc.vmsInFolder(folder)).isEmpty();
    assertThat(vc.findByInventoryPath("/DC0/vm/test/slow")).isEmpty();

    clock.advance(Duration.ofMillis(1));
    MoRef vm = created(t);
    assertThat(vc.vmsInFolder(folder)).extracting(VmInfo::ref).containsExactly(vm);
    assertThat(vc.tasksRunning()).isZero();
  }

  @Test
  void aCloneThatPowersOnTakesThePowerOnDurationToo() {
    vc.taskDuration(TaskKind.CLONE, Duration.ofSeconds(10));
    vc.taskDuration(TaskKind.POWER_ON, Duration.ofSeconds(5));
    TaskRef t = vc.cloneVm(clone("on", true));
    clock.advance(Duration.ofSeconds(10));
    assertThat(info(t).state()).isEqualTo(TaskInfo.State.RUNNING);
    clock.advance(Duration.ofSeconds(5));
    assertThat(vm(created(t)).powerState()).isEqualTo(PowerState.POWERED_ON);
  }

  @Test
  void withDurationZeroATaskIsDoneAtTheNextLook() {
    TaskRef t = vc.cloneVm(clone("quick", false));
    assertThat(info(t).state()).isEqualTo(TaskInfo.State.SUCCESS);
  }

  @Test
  void aCloneHonoursItsSpecUnlessItClonesLikeTheSimulator() {
    VmInfo honoured = vm(created(vc.cloneVm(clone("honoured", true))));
    assertThat(honoured.cpu()).isEqualTo(4);
    assertThat(honoured.memoryMiB()).isEqualTo(256);
    assertThat(honoured.powerState()).isEqualTo(PowerState.POWERED_ON);
    // a template's hot-add goes to its clones, so a running clone can grow but not shrink
    assertThat(honoured.cpuHotAdd()).isTrue();
    assertThat(created(vc.reconfigureVm(honoured.ref(), 8, 512))).isNull();
    assertThat(vm(honoured.ref()).cpu()).isEqualTo(8);
    assertThat(info(vc.reconfigureVm(honoured.ref(), 2, 512)).error().faultType())
        .isEqualTo("CpuHotPlugNotSupported");

    vc.cloneHonoursSpec(false);
    VmInfo quirky = vm(created(vc.cloneVm(clone("quirky", true))));
    assertThat(quirky.cpu()).isEqualTo(1);
    assertThat(quirky.memoryMiB()).isEqualTo(32);
    assertThat(quirky.powerState()).isEqualTo(PowerState.POWERED_OFF);
    assertThat(quirky.extraConfig()).isEqualTo(Map.of("vmgroup.owner", "t"));
  }

  @Test
  void aNameIsHeldWhileItsCloneRuns() {
    vc.taskDuration(TaskKind.CLONE, Duration.ofSeconds(10));
    TaskRef first = vc.cloneVm(clone("twin", false));
    TaskInfo racing = info(vc.cloneVm(clone("twin", false)));
    assertThat(racing.state()).isEqualTo(TaskInfo.State.ERROR);
    assertThat(((VsphereException.DuplicateName) racing.error()).existing()).isEqualTo(folder);
    clock.advance(Duration.ofSeconds(10));
    MoRef vm = created(first);
    TaskInfo late = info(vc.cloneVm(clone("twin", false)));
    assertThat(((VsphereException.DuplicateName) late.error()).existing()).isEqualTo(vm);
    assertThat(vc.tasksStarted(TaskKind.CLONE)).isEqualTo(3);
  }

  @Test
  void aLinkedCloneNeedsTheSourcesSnapshot() {
    MoRef bogus = new MoRef("VirtualMachineSnapshot", "snapshot-999");
    TaskInfo i =
        info(
            vc.cloneVm(
                new CloneRequest(
                    template, folder, pool, null, "linked", 1, 32, Map.of(), bogus, false)));
    assertThat(i.error().faultType()).isEqualTo("InvalidArgument");
    MoRef snapshot = vm(template).currentSnapshot();
    assertThat(
            created(
                vc.cloneVm(
                    new CloneRequest(
                        template, folder, pool, null, "linked", 1, 32, Map.of(), snapshot, false))))
        .isNotNull();
  }

  @Test
  void injectedFaultsHitTheNextCallOrTaskOfTheirKind() {
    vc.faults().failNextCall("cloneVm", new VsphereException.Transport("cut", null));
    assertThatThrownBy(() -> vc.cloneVm(clone("a", false)))
        .isInstanceOf(VsphereException.Transport.class);
    assertThat(created(vc.cloneVm(clone("a", false)))).isNotNull();

    VsphereException full = new VsphereException("NoDiskSpace", "full", false);
    vc.faults().failNextTask(TaskKind.CLONE, full);
    assertThat(info(vc.cloneVm(clone("b", false))).error()).isSameAs(full);
    assertThat(vc.findByInventoryPath("/DC0/vm/test/b")).isEmpty();
    assertThat(created(vc.cloneVm(clone("b", false)))).isNotNull();

    vc.faults().failClones("^big-");
    assertThat(info(vc.cloneVm(clone("big-1", false))).error().faultType())
        .isEqualTo("NoDiskSpace");
    assertThat(created(vc.cloneVm(clone("small-1", false)))).isNotNull();

    MoRef vm = created(vc.cloneVm(clone("c", false)));
    vc.faults().refusePowerOn(true);
    assertThat(info(vc.powerOnVm(vm)).error())
        .isInstanceOf(VsphereException.InvalidPowerState.class);
    vc.faults().clear();
    assertThat(created(vc.powerOnVm(vm))).isNull();
    assertThat(created(vc.cloneVm(clone("big-2", false)))).isNotNull();
  }

  @Test
  void anUnreachableVcenterFailsEveryCallWhileItsTasksGoOn() {
    InMemoryVcenter fresh = InMemoryVcenter.builder().clock(clock).build();
    assertThat(fresh.sessionState()).isEqualTo(SessionState.NONE);
    fresh.faults().unreachable(true);
    assertThatThrownBy(fresh::datacenters).isInstanceOf(VsphereException.Transport.class);
    assertThat(fresh.sessionState()).isEqualTo(SessionState.LOGIN_FAILED);
    fresh.faults().unreachable(false);
    fresh.datacenters();
    assertThat(fresh.sessionState()).isEqualTo(SessionState.VALID);

    vc.taskDuration(TaskKind.CLONE, Duration.ofSeconds(5));
    TaskRef t = vc.cloneVm(clone("during", false));
    ChangeFeed feed = vc.changeFeed(folder);
    feed.next(Duration.ZERO);
    vc.faults().unreachable(true);
    assertThatThrownBy(() -> vc.tasks(List.of(t))).isInstanceOf(VsphereException.Transport.class);
    assertThatThrownBy(() -> feed.next(Duration.ofSeconds(1)))
        .isInstanceOf(VsphereException.Transport.class);
    assertThat(vc.sessionState()).isEqualTo(SessionState.VALID);
    clock.advance(Duration.ofSeconds(5));
    vc.faults().unreachable(false);
    assertThat(created(t)).isNotNull();
  }

  @Test
  void aClosedClientRefusesCallsUntilReopened() {
    vc.close();
    assertThat(vc.sessionState()).isEqualTo(SessionState.NONE);
    VsphereException e = catchThrowableOfType(VsphereException.class, vc::datacenters);
    assertThat(e.faultType()).isEqualTo("ClientClosed");
    vc.reopen();
    assertThat(vc.datacenters()).hasSize(1);
    assertThat(vc.callCount("login")).isEqualTo(2);
    vc.admin().expireSession();
    vc.datacenters();
    assertThat(vc.callCount("login")).isEqualTo(3);
  }

  @Test
  void countersTellCallsByMethodAndTasksByKind() {
    vc.resetCounters();
    MoRef vm = created(vc.cloneVm(clone("counted", false)));
    vc.powerOnVm(vm);
    vc.vmsInFolder(folder);
    vc.vmsInFolder(folder);
    assertThat(vc.callCount("vmsInFolder")).isEqualTo(2);
    assertThat(vc.callCount("cloneVm")).isEqualTo(1);
    assertThat(vc.tasksStarted(TaskKind.CLONE)).isEqualTo(1);
    assertThat(vc.tasksStarted(TaskKind.POWER_ON)).isEqualTo(1);
    assertThat(vc.tasksStarted(TaskKind.DESTROY)).isZero();

    // a feed waiting in a steady state costs no client call
    try (ChangeFeed feed = vc.changeFeed(folder)) {
      feed.next(Duration.ZERO);
      long before = vc.clientCallCount();
      feed.next(Duration.ZERO);
      feed.next(Duration.ZERO);
      assertThat(vc.clientCallCount()).isEqualTo(before);
      assertThat(vc.callCount("ChangeFeed.next")).isEqualTo(3);
    }
    // vCenter forgets finished tasks after a while
    TaskRef done = vc.powerOffVm(vm);
    assertThat(created(done)).isNull();
    assertThat(vc.admin().forgetTask(done)).isTrue();
    assertThat(info(done).error()).isInstanceOf(VsphereException.ManagedObjectNotFound.class);
  }

  @Test
  void pathsAreMatchedAsNamesAreShown() {
    MoRef pct = vc.createFolder(folder, "50% off");
    MoRef slash = vc.createFolder(folder, "a/b");
    assertThat(vc.findByInventoryPath("/DC0/vm/test/50% off")).contains(pct);
    assertThat(vc.findByInventoryPath("/DC0/vm/test/a/b")).isEmpty();
    assertThat(vc.childFolders(folder)).extracting(n -> n.ref()).contains(slash);
    assertThat(vc.findByInventoryPath("DC0/vm/test/")).contains(folder);
    assertThat(vc.findByInventoryPath("/")).isEmpty();
    assertThat(vc.admin().path(pct)).contains("/DC0/vm/test/50% off");
  }

  @Test
  void idsAreNeverReused() {
    Set<MoRef> seen = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      MoRef f = vc.createFolder(folder, "again");
      MoRef vm = created(vc.cloneVm(clone("again-vm", false)));
      assertThat(seen.add(f)).isTrue();
      assertThat(seen.add(vm)).isTrue();
      created(vc.destroy(vm));
      created(vc.destroy(f));
    }
    assertThat(seen).extracting(MoRef::value).allMatch(v -> v.matches("(folder|vm)-\\d+"));
  }

  @Test
  void concurrentCallersGetDistinctObjectsAndOneWinnerPerName() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<TaskInfo>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String name = i % 8 == 0 ? "contended" : "vm-" + i;
        results.add(threads.submit(() -> info(vc.cloneVm(clone(name, false)))));
      }
      List<TaskInfo> infos = new ArrayList<>();
      for (Future<TaskInfo> f : results) {
        infos.add(f.get(10, TimeUnit.SECONDS));
      }
      assertThat(infos).filteredOn(i -> i.state() == TaskInfo.State.SUCCESS).hasSize(57);
      assertThat(infos)
          .filteredOn(i -> i.state() == TaskInfo.State.ERROR)
          .allSatisfy(
              i -> assertThat(i.error()).isInstanceOf(VsphereException.DuplicateName.class));
      assertThat(vc.vmsInFolder(folder)).hasSize(57);
      assertThat(infos).extracting(TaskInfo::task).doesNotHaveDuplicates();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void accountsTheCpuOfItsCallsOnlyWhenAsked() {
    for (int i = 0; i < 200; i++) {
      vc.vmsInFolder(vmFolder);
    }
    assertThat(vc.cpuNanos()).isZero();

    open(InMemoryVcenter.builder().clock(clock).accountCpu(true));
    ChangeFeed feed = vc.changeFeed(vmFolder);
    feed.next(Duration.ZERO);
    for (int i = 0; i < 200; i++) {
      vc.vmsInFolder(vmFolder);
    }
    assertThat(vc.cpuNanos()).isPositive();
  }

  @Test
  void administratorReadsEveryChildFolderInOneLookWithoutACall() {
    MoRef other = vc.createFolder(vmFolder, "other");
    TaskRef t = vc.cloneVm(clone("a", true));
    info(t);
    long calls = vc.clientCallCount();

    Map<String, List<VmInfo>> byFolder = vc.admin().vmsByChildFolder(vmFolder);

    assertThat(byFolder).containsOnlyKeys("test", "other");
    assertThat(byFolder.get("test")).extracting(VmInfo::name).containsExactly("a");
    assertThat(byFolder.get("other")).isEmpty();
    assertThat(vc.admin().find("/DC0/vm/other")).contains(other);
    assertThat(vc.clientCallCount()).isEqualTo(calls);
  }
}
