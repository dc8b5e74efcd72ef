package com.codeconnect.vmgroup.vsphere.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codeconnect.vmgroup.testing.TestClock;
import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Kind;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Op;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.cache.Inventory;
import com.codeconnect.vmgroup.vsphere.cache.InventoryWatcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-memory change feed's own features: waiting, lag, lost changes, resyncs, batches. */
class InMemoryChangeFeedTest {
  private final TestClock clock = new TestClock();
  private InMemoryVcenter vc;
  private MoRef vmFolder;
  private MoRef folder;
  private MoRef vm;
  private InMemoryChangeFeed feed;

  @BeforeEach
  void setUp() {
    vc = InMemoryVcenter.builder().clock(clock).build();
    vmFolder = vc.findByInventoryPath("/DC0/vm").orElseThrow();
    folder = vc.createFolder(vmFolder, "watched");
    vm = vc.admin().addVm(folder, "web-0", 1, 32, PowerState.POWERED_OFF, Map.of("vmgroup.a", "1"));
    feed = (InMemoryChangeFeed) vc.changeFeed(folder);
    assertThat(feed.next(Duration.ZERO).resync()).isTrue();
  }

  @AfterEach
  void closeFeed() {
    feed.close();
  }

  private List<ObjectChange> changes() {
    return feed.next(Duration.ZERO).changes();
  }

  private CompletableFuture<ChangeBatch> waitingNext() {
    CompletableFuture<ChangeBatch> f = new CompletableFuture<>();
    Thread t = new Thread(() -> f.complete(feed.next(Duration.ofSeconds(30))), "waiting-next");
    t.start();
    await()
        .atMost(Duration.ofSeconds(5))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(2))
        .until(() -> t.getState() == Thread.State.TIMED_WAITING);
    return f;
  }

  @Test
  void aModificationCarriesOnlyWhatChanged() {
    vc.reconfigureVm(vm, 3, 0);
    assertThat(changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.op()).isEqualTo(Op.MODIFY);
              assertThat(c.values()).isEqualTo(Map.of("cpu", 3));
            });
    // vCenter watches extraConfig as a whole: another key changing still reports it
    vc.setExtraConfig(vm, Map.of("guestinfo.x", "y"));
    assertThat(changes())
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.values())
                    .isEqualTo(
                        Map.of("extraConfig", Map.of("vmgroup.a", "1"), "guestInfo", Map.of())));
    vc.setExtraConfig(vm, Map.of("guestinfo.never-set", ""));
    assertThat(changes()).isEmpty();
  }

  @Test
  void administratorsActionsReachTheFeed() {
    MoRef foreign = vc.admin().addVm(folder, "foreign");
    ObjectChange enter = changes().get(0);
    assertThat(enter.ref()).isEqualTo(foreign);
    assertThat(enter.op()).isEqualTo(Op.ENTER);
    assertThat(enter.values())
        .containsEntry("extraConfig", Map.of())
        .containsEntry("customValues", Map.of())
        .hasSize(17);

    vc.admin().rename(vm, "renamed");
    vc.admin().powerOn(vm);
    vc.admin().setExtraConfig(vm, Map.of("vmgroup.a", ""));
    vc.admin().setIpAddress(vm, "10.0.0.7");
    assertThat(changes())
        .extracting(ObjectChange::values)
        .containsExactly(
            Map.of("name", "renamed"),
            Map.of("powerState", PowerState.POWERED_ON),
            Map.of("extraConfig", Map.of(), "guestInfo", Map.of()),
            Map.of("ipAddress", "10.0.0.7"));

    vc.admin().moveVm(vm, vmFolder);
    assertThat(changes()).extracting(ObjectChange::op).containsExactly(Op.LEAVE);
    vc.admin().moveVm(vm, folder);
    assertThat(changes()).extracting(ObjectChange::op).containsExactly(Op.ENTER);

    // a folder goes with its contents, each reported
    MoRef sub = vc.admin().createFolder(folder, "sub");
    MoRef inSub = vc.admin().addVm(sub, "in-sub");
    changes();
    vc.admin().destroy(sub);
    assertThat(changes())
        .extracting(ObjectChange::ref, ObjectChange::op)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(inSub, Op.LEAVE),
            org.assertj.core.groups.Tuple.tuple(sub, Op.LEAVE));
    vc.admin().destroy(vm);
    assertThat(changes())
        .extracting(ObjectChange::kind, ObjectChange::op)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.VM, Op.LEAVE));
  }

  @Test
  void aLaggingFeedDeliversAChangeOnlyOnceItIsOldEnough() throws Exception {
    feed.lag(Duration.ofSeconds(5));
    vc.admin().powerOn(vm);
    assertThat(changes()).isEmpty();
    assertThat(feed.pending()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(4));
    assertThat(changes()).isEmpty();
    // the reads don't lag: the feed trails vCenter
    assertThat(vc.vmsInFolder(folder).get(0).powerState()).isEqualTo(PowerState.POWERED_ON);

    CompletableFuture<ChangeBatch> waiting = waitingNext();
    clock.advance(Duration.ofSeconds(1));
    assertThat(waiting.get(5, TimeUnit.SECONDS).changes())
        .extracting(ObjectChange::values)
        .containsExactly(Map.of("powerState", PowerState.POWERED_ON));
  }

  @Test
  void lostChangesStayLostUntilAResync() {
    feed.dropNext(1);
    vc.admin().rename(vm, "lost");
    vc.admin().powerOn(vm);
    assertThat(changes())
        .extracting(ObjectChange::values)
        .containsExactly(Map.of("powerState", PowerState.POWERED_ON));
    assertThat(feed.dropped()).isEqualTo(1);

    vc.forceResync();
    ChangeBatch b = feed.next(Duration.ZERO);
    assertThat(b.resync()).isTrue();
    assertThat(b.changes())
        .singleElement()
        .satisfies(c -> assertThat(c.values()).containsEntry("name", "lost"));
  }

  @Test
  void movingTheClockWakesAFeedWaitingForATaskToEnd() throws Exception {
    vc.taskDuration(TaskKind.POWER_ON, Duration.ofSeconds(10));
    TaskRef on = vc.powerOnVm(vm);
    feed.watchTasks(List.of(on));
    assertThat(changes())
        .singleElement()
        .satisfies(c -> assertThat(c.values()).containsEntry("state", TaskInfo.State.RUNNING));

    CompletableFuture<ChangeBatch> waiting = waitingNext();
    long start = System.nanoTime();
    clock.advance(Duration.ofSeconds(10));
    List<ObjectChange> ended = waiting.get(5, TimeUnit.SECONDS).changes();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(ended)
        .extracting(ObjectChange::kind, ObjectChange::values)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Kind.VM, Map.of("powerState", PowerState.POWERED_ON)),
            org.assertj.core.groups.Tuple.tuple(
                Kind.TASK, Map.of("state", TaskInfo.State.SUCCESS)));
    // an unwatched task is not reported; a resync reports the watched ones
    feed.unwatchTasks(List.of(on));
    assertThat(feed.forceResync().next(Duration.ZERO).changes())
        .extracting(ObjectChange::ref)
        .containsExactly(vm);
  }

  @Test
  void withNothingToReportNextWaitsUpToMaxWaitOnEitherClock() {
    long start = System.nanoTime();
    assertThat(feed.next(Duration.ofMillis(50))).isEqualTo(ChangeBatch.empty());
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(50));

    InMemoryVcenter capped =
        InMemoryVcenter.builder().clock(clock).feedWaitCap(Duration.ofMillis(20)).build();
    try (var f = capped.changeFeed(capped.findByInventoryPath("/DC0/vm").orElseThrow())) {
      f.next(Duration.ZERO);
      long again = System.nanoTime();
      assertThat(f.next(Duration.ofMinutes(10)).changes()).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void anInjectedFaultFailsOneNext() {
    vc.faults()
        .failNextCall(
            "ChangeFeed.next", new VsphereException("InvalidCollectorVersion", "x", false));
    assertThatThrownBy(() -> feed.next(Duration.ZERO))
        .isInstanceOfSatisfying(
            VsphereException.class,
            e -> assertThat(e.faultType()).isEqualTo("InvalidCollectorVersion"));
    vc.admin().powerOn(vm);
    assertThat(changes()).hasSize(1);
  }

  @Test
  void aFeedOnAMissingRootFailsLikeTheSoapFeed() {
    var gone = vc.changeFeed(new MoRef("Folder", "folder-999999"));
    assertThatThrownBy(() -> gone.next(Duration.ZERO))
        .isInstanceOf(VsphereException.ManagedObjectNotFound.class);
    gone.close();
  }

  @Test
  void aLargeStateArrivesInTruncatedBatchesThatTheInventoryJoins() {
    InMemoryVcenter small = InMemoryVcenter.builder().clock(clock).maxBatch(2).build();
    MoRef root = small.findByInventoryPath("/DC0/vm").orElseThrow();
    Inventory inventory = new Inventory();
    try (var f = small.changeFeed(root)) {
      ChangeBatch b = f.next(Duration.ZERO);
      assertThat(b.resync()).isTrue();
      assertThat(b.truncated()).isTrue();
      inventory.apply(b);
      assertThat(inventory.synced()).isFalse();
      do {
        b = f.next(Duration.ZERO);
        inventory.apply(b);
      } while (b.truncated());
      assertThat(inventory.synced()).isTrue();
      // four model VMs and the template
      assertThat(inventory.vmCount()).isEqualTo(5);
    }
  }

  @Test
  void theOperatorsWatcherKeepsItsInventoryCurrent() {
    MoRef template = vc.findByInventoryPath("/DC0/vm/vm-operator-template").orElseThrow();
    MoRef pool = vc.findByInventoryPath("/DC0/host/DC0_C0/Resources").orElseThrow();
    try (InventoryWatcher watcher =
        new InventoryWatcher(
                vc, () -> folder, new Inventory(), (r, d) -> {}, Duration.ofHours(1), clock)
            .start()) {
      await()
          .atMost(Duration.ofSeconds(5))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(2))
          .until(() -> watcher.inventory().synced());
      vc.taskDuration(TaskKind.CLONE, Duration.ofMinutes(2));
      TaskRef t =
          vc.cloneVm(new CloneRequest(template, folder, pool, null, "web-1", 2, 64, Map.of()));
      watcher.watchTasks(List.of(t));
      clock.advance(Duration.ofMinutes(2));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> watcher.inventory().task(t).map(TaskInfo::done).orElse(false));
      assertThat(watcher.inventory().vmsIn(folder)).extracting(VmInfo::name).contains("web-1");
    }
  }
}
