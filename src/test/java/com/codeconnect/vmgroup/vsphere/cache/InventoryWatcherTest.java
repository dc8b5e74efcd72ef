package com.codeconnect.vmgroup.vsphere.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codeconnect.vmgroup.testing.TestClock;
import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watcher's rebuilds, against a feed that answers at once and a clock the test moves. */
class InventoryWatcherTest {
  final TestClock clock = new TestClock("2026-11-26T10:00:00Z");
  final AtomicInteger feedsOpened = new AtomicInteger();
  final List<Duration> waits = new CopyOnWriteArrayList<>();
  final InventoryWatcher watcher =
      new InventoryWatcher(
          client(), () -> null, new Inventory(), (r, d) -> {}, Duration.ofHours(1), clock);

  @AfterEach
  void stop() {
    watcher.close();
  }

  @Test
  void aResyncAskedForRightAfterARebuildIsPutOffToTheEndOfTheGapNotDropped() {
    watcher.start();
    await().until(() -> watcher.inventory().synced());
    watcher.requestResync("first", false);
    await().until(() -> feedsOpened.get() == 2 && !watcher.resyncPending());

    // A contradiction found right after that rebuild (as when the rebuild itself lost a change).
    watcher.requestResync("second", false);
    assertThat(watcher.resyncPending()).isTrue();
    waits.clear();
    await().until(() -> waits.size() > 5);
    assertThat(feedsOpened).as("not before the gap ends").hasValue(2);
    assertThat(waits)
        .as("no wait outlasts the gap")
        .allMatch(w -> w.compareTo(InventoryWatcher.MIN_RESYNC_GAP) <= 0);

    clock.advance(InventoryWatcher.MIN_RESYNC_GAP);
    await().until(() -> feedsOpened.get() == 3);
    await().until(() -> !watcher.resyncPending());
  }

  @Test
  void aFeedBuiltMeanwhileAnswersAPutOffResync() {
    watcher.start();
    await().until(() -> watcher.inventory().synced());
    watcher.requestResync("first", false);
    await().until(() -> feedsOpened.get() == 2);
    watcher.requestResync("second", false);
    assertThat(watcher.resyncPending()).isTrue();

    // the feed breaks and is rebuilt for that reason: its full state is younger than the request
    failNext = true;
    await().until(() -> feedsOpened.get() == 3 && watcher.inventory().synced());
    assertThat(watcher.resyncPending()).isFalse();
  }

  volatile boolean failNext;

  private VsphereClient client() {
    return (VsphereClient)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {VsphereClient.class},
            (proxy, method, args) -> {
              if (method.getName().equals("changeFeed")) {
                feedsOpened.incrementAndGet();
                return new InstantFeed();
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  /** A full state first, then an empty batch every few milliseconds. */
  private final class InstantFeed implements ChangeFeed {
    private boolean first = true;

    @Override
    public ChangeBatch next(Duration maxWait) {
      if (first) {
        first = false;
        return new ChangeBatch(true, false, List.of());
      }
      if (failNext) {
        failNext = false;
        throw new IllegalStateException("the feed broke");
      }
      waits.add(maxWait);
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new ChangeBatch(false, false, List.of());
    }

    @Override
    public void watchTasks(Collection<TaskRef> tasks) {}

    @Override
    public void unwatchTasks(Collection<TaskRef> tasks) {}

    @Override
    public void watchClusters(Collection<MoRef> clusters) {}

    @Override
    public void unwatchClusters(Collection<MoRef> clusters) {}

    @Override
    public void close() {}
  }
}
