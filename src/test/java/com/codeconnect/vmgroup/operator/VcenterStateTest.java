package com.codeconnect.vmgroup.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.cache.Inventory;
import com.codeconnect.vmgroup.vsphere.cache.InventoryWatcher;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The change feed's lag, judged by tasks a direct look saw end before the feed reported them. */
class VcenterStateTest {
  final TestClock clock = new TestClock("2026-11-26T10:00:00Z");
  final Inventory inventory = new Inventory();
  // never started: only its inventory is read
  final InventoryWatcher watcher =
      new InventoryWatcher(null, () -> null, inventory, (r, d) -> {}, Duration.ofHours(1), clock);
  final VcenterState state =
      new VcenterState(null, watcher, () -> null, new VcenterEventSource().scope("vc"), clock);

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
    clock.now = clock.now.plus(VcenterState.FEED_LAG_LIMIT).minusMillis(1);
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
  void withoutTheFeedNothingIsRecorded() {
    VcenterState unfed =
        new VcenterState(null, null, () -> null, new VcenterEventSource().scope("vc"), clock);
    unfed.sawEnded(List.of(task(1)));
    clock.now = clock.now.plusSeconds(5);
    assertThat(unfed.lagging()).isFalse();
  }
}
