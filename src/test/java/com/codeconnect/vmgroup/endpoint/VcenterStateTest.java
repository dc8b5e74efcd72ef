package com.codeconnect.vmgroup.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.testing.TestClock;
import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.cache.Inventory;
import com.codeconnect.vmgroup.vsphere.cache.InventoryWatcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The change feed's lag, judged by tasks a direct look saw end before the feed reported them. */
class VcenterStateTest {
  final TestClock clock = new TestClock("2026-11-26T10:00:00Z");
  final Inventory inventory = new Inventory();
  // never started: only its inventory is read
  final InventoryWatcher watcher =
      new InventoryWatcher(null, () -> null, inventory, (r, d) -> {}, Duration.ofHours(1), clock);
  int tasksRunning;
  final VcenterState state =
      new VcenterState(
          null,
          watcher,
          () -> null,
          new VcenterEventSource().scope("vc"),
          clock,
          () -> tasksRunning);

  VcenterStateTest() {
    inventory.apply(new ChangeBatch(true, false, List.of()));
  }

  static TaskRef task(int i) {
    return new TaskRef(new MoRef("Task", "task-" + i));
  }

  @Test
  void aTaskSeenEndedDirectlyButNotByTheFeedMakesReadsBypassTheInventoryAfterTheLimit() {
    assertThat(state.cached()).isTrue();
    state.sawEnded(List.of(task(1), task(2)));
    clock.now = clock.now.plus(FeedLag.FEED_LAG_LIMIT).minusMillis(1);
    assertThat(state.cached()).as("within the limit the feed is trusted").isTrue();
    clock.now = clock.now.plusMillis(2);
    assertThat(state.lagging()).isTrue();
    assertThat(state.cached()).isFalse();

    // the feed catches up with one of them: still behind on the other
    state.feedReportedEnd(task(1));
    assertThat(state.cached()).isFalse();
    state.feedReportedEnd(task(2));
    assertThat(state.cached()).isTrue();
  }

  @Test
  void aTaskTheFeedReportedFirstNeverCountsAsLag() {
    state.feedReportedEnd(task(7));
    state.sawEnded(List.of(task(7)));
    state.sawEnded(List.of(task(7)));
    clock.now = clock.now.plusSeconds(5);
    assertThat(state.lagging()).isFalse();
  }

  @Test
  void aWatermarkTheFeedNeverReportsExpires() {
    state.sawEnded(List.of(task(3)));
    clock.now = clock.now.plusSeconds(5);
    assertThat(state.lagging()).isTrue();
    clock.now = clock.now.plus(VcenterState.WATERMARK_TTL);
    assertThat(state.lagging()).isFalse();
    assertThat(state.cached()).isTrue();
  }

  @Test
  void aFeedTrailingFarBehindIsRebuiltWhenNoTaskOfOursRuns() {
    state.sawEnded(List.of(task(5)));
    clock.now = clock.now.plus(FeedLag.FEED_STALL_LIMIT).minusSeconds(1);
    assertThat(state.lagging()).isTrue();
    assertThat(watcher.resyncPending()).as("left to catch up a while").isFalse();
    assertThat(watcher.paused()).isFalse();
    clock.now = clock.now.plusSeconds(2);
    assertThat(state.lagging()).isTrue();
    assertThat(watcher.resyncPending()).isTrue();
    assertThat(watcher.paused()).isFalse();
  }

  @Test
  void aFeedBehindWhileTasksOfOursRunIsStoppedUntilTheyAreDone() {
    stopWhileBusy(task(8));
    assertThat(state.cached()).as("reads go to vCenter meanwhile").isFalse();
    assertThat(resumeCondition().getAsBoolean()).isFalse();

    tasksRunning = 0;
    assertThat(resumeCondition().getAsBoolean())
        .as("not at the first moment the budget's slots are all free")
        .isFalse();
    clock.now = clock.now.plus(FeedLag.QUIET_BEFORE_REBUILD);
    assertThat(resumeCondition().getAsBoolean()).isTrue();
  }

  @Test
  void aFeedStoppedWhileTasksKeepRunningIsStartedAgainAfterAtMostMaxPause() {
    stopWhileBusy(task(9));
    clock.now = clock.now.plus(FeedLag.MAX_PAUSE).minusSeconds(1);
    assertThat(resumeCondition().getAsBoolean()).isFalse();
    clock.now = clock.now.plusSeconds(1);
    assertThat(resumeCondition().getAsBoolean())
        .as("a long rollout doesn't keep the feed stopped")
        .isTrue();
  }

  /** Tasks of ours run while a task's end stays unreported past the pause limit, not before. */
  private void stopWhileBusy(TaskRef unreported) {
    tasksRunning = 8;
    state.sawEnded(List.of(unreported));
    clock.now = clock.now.plus(FeedLag.FEED_LAG_LIMIT).plusMillis(1);
    assertThat(state.lagging()).isTrue();
    assertThat(watcher.paused())
        .as("a drift's repair runs tasks while the feed still works through its changes")
        .isFalse();
    clock.now = clock.now.plus(FeedLag.FEED_PAUSE_LIMIT);
    assertThat(state.lagging()).isTrue();
    assertThat(watcher.paused()).isTrue();
  }

  private java.util.function.BooleanSupplier resumeCondition() {
    try {
      java.lang.reflect.Field f = InventoryWatcher.class.getDeclaredField("pausedUntil");
      f.setAccessible(true);
      return (java.util.function.BooleanSupplier) f.get(watcher);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aFeedOpenedAfterATaskWasSeenEndedSettlesIt() throws Exception {
    // The feed is rebuilt (say, after a requested resync) and never reports task 4's end.
    state.sawEnded(List.of(task(4)));
    clock.now = clock.now.plusSeconds(5);
    assertThat(state.lagging()).isTrue();
    java.lang.reflect.Field from = InventoryWatcher.class.getDeclaredField("syncedFrom");
    from.setAccessible(true);
    from.set(watcher, clock.now.minusSeconds(1));
    assertThat(state.lagging()).isFalse();
  }

  @Test
  void aGroupVcenterContradictedIsReadDirectlyUntilAFeedBuiltAfterwardsBringsItsFullState()
      throws Exception {
    assertThat(state.distrusts("uid-1")).isFalse();
    state.distrust("uid-1", "a test says so");
    assertThat(state.distrusts("uid-1")).isTrue();
    assertThat(state.distrusts("uid-2")).as("other groups keep the inventory").isFalse();
    assertThat(watcher.resyncPending()).as("the feed is rebuilt").isTrue();

    clock.advance(Duration.ofSeconds(3));
    java.lang.reflect.Field from = InventoryWatcher.class.getDeclaredField("syncedFrom");
    from.setAccessible(true);
    from.set(watcher, clock.now.minusSeconds(4));
    assertThat(state.distrusts("uid-1"))
        .as("a feed opened before the contradiction may have lost the same change")
        .isTrue();
    from.set(watcher, clock.now.minusSeconds(1));
    assertThat(state.distrusts("uid-1")).isFalse();

    state.distrust("uid-1", "again, and no rebuild ever comes");
    clock.advance(VcenterState.WATERMARK_TTL.plusSeconds(1));
    assertThat(state.distrusts("uid-1")).as("a safety net, not a leak").isFalse();
  }

  @Test
  void withoutTheFeedNothingIsRecorded() {
    VcenterState unfed =
        new VcenterState(
            null, null, () -> null, new VcenterEventSource().scope("vc"), clock, () -> 0);
    unfed.sawEnded(List.of(task(1)));
    clock.now = clock.now.plusSeconds(5);
    assertThat(unfed.lagging()).isFalse();
  }

  @Test
  void aVmVcenterNoLongerHasStopsCountingBeforeTheFeedReportsItsRemoval() {
    MoRef root = new MoRef("Folder", "root");
    MoRef folder = new MoRef("Folder", "g1");
    MoRef ghost = new MoRef("VirtualMachine", "vm-7");
    MoRef real = new MoRef("VirtualMachine", "vm-8");
    inventory.apply(
        new ChangeBatch(
            false,
            false,
            List.of(
                new ObjectChange(
                    folder,
                    ObjectChange.Kind.FOLDER,
                    ObjectChange.Op.ENTER,
                    Map.of("name", "ns-g1", "parent", root)),
                new ObjectChange(
                    ghost,
                    ObjectChange.Kind.VM,
                    ObjectChange.Op.ENTER,
                    Map.of("name", "g1-0", "parent", folder)),
                new ObjectChange(
                    real,
                    ObjectChange.Kind.VM,
                    ObjectChange.Op.ENTER,
                    Map.of("name", "g1-1", "parent", folder)))));
    assertThat(state.vmsIn(folder))
        .extracting(VmInfo::name)
        .containsExactlyInAnyOrder("g1-0", "g1-1");

    // a Destroy_Task on vm-7 failed with ManagedObjectNotFound: the feed lost its removal
    state.gone(ghost);
    assertThat(state.vmsIn(folder)).extracting(VmInfo::name).containsExactly("g1-1");

    // IDs are never reused: after the watermark's lifetime the entry is dropped
    clock.advance(VcenterState.WATERMARK_TTL.plusSeconds(1));
    assertThat(state.vmsIn(folder))
        .extracting(VmInfo::name)
        .containsExactlyInAnyOrder("g1-0", "g1-1");
  }
}
