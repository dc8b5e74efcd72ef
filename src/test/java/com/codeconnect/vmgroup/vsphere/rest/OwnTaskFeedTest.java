package com.codeconnect.vmgroup.vsphere.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OwnTaskFeedTest {
  /** vCenter's side: batches the test hands it, and what was asked of it. */
  private static final class Inner implements ChangeFeed {
    final LinkedBlockingQueue<ChangeBatch> batches = new LinkedBlockingQueue<>();
    final List<Duration> waits = new ArrayList<>();
    final List<TaskRef> watched = new ArrayList<>();
    boolean closed;

    @Override
    public ChangeBatch next(Duration maxWait) {
      waits.add(maxWait);
      try {
        ChangeBatch b = batches.poll(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        return b == null ? ChangeBatch.empty() : b;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ChangeBatch.empty();
      }
    }

    @Override
    public void watchTasks(Collection<TaskRef> tasks) {
      watched.addAll(tasks);
    }

    @Override
    public void unwatchTasks(Collection<TaskRef> tasks) {
      watched.removeAll(tasks);
    }

    @Override
    public void watchClusters(Collection<MoRef> clusters) {}

    @Override
    public void unwatchClusters(Collection<MoRef> clusters) {}

    @Override
    public void close() {
      closed = true;
    }
  }

  private final Inner inner = new Inner();
  private final DeployTasks tasks = new DeployTasks(2, 4, System::nanoTime);
  private final OwnTaskFeed feed = new OwnTaskFeed(inner, tasks, Duration.ofMillis(50));
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    feed.close();
    tasks.close();
  }

  private MoRef held() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new MoRef("VirtualMachine", "vm-7");
  }

  private static List<ObjectChange> tasksIn(ChangeBatch b, TaskRef t) {
    return b.changes().stream()
        .filter(c -> c.kind() == ObjectChange.Kind.TASK && c.ref().equals(t.ref()))
        .toList();
  }

  @Test
  void aWatchedOwnTaskEntersWithItsStateAndItsEndArrivesWithoutWaitingForVcenter() {
    TaskRef own = tasks.start(this::held);
    TaskRef vim = new TaskRef(new MoRef("Task", "task-3"));
    feed.watchTasks(List.of(own, vim));
    assertThat(inner.watched).containsExactly(vim);

    List<ObjectChange> entered = tasksIn(feed.next(Duration.ofSeconds(5)), own);
    assertThat(entered)
        .singleElement()
        .satisfies(c -> assertThat(c.op()).isEqualTo(ObjectChange.Op.ENTER));

    release.countDown();
    long start = System.nanoTime();
    List<ObjectChange> ended = List.of();
    while (ended.isEmpty() && System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
      ended = tasksIn(feed.next(Duration.ofSeconds(5)), own);
    }
    assertThat(ended)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.op()).isEqualTo(ObjectChange.Op.MODIFY);
              assertThat(c.values().get("state")).isEqualTo(TaskInfo.State.SUCCESS);
              assertThat(c.values().get("result")).isEqualTo(new MoRef("VirtualMachine", "vm-7"));
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("reported within a few slices, not after the caller's whole wait")
        .isLessThan(Duration.ofSeconds(2));
    assertThat(inner.waits).allMatch(w -> w.compareTo(Duration.ofMillis(50)) <= 0);
  }

  @Test
  void aResyncReportsEveryWatchedOwnTaskAgain() {
    TaskRef own = tasks.start(this::held);
    feed.watchTasks(List.of(own));
    feed.next(Duration.ZERO);
    inner.batches.add(new ChangeBatch(true, false, List.of()));
    ChangeBatch resync = feed.next(Duration.ofSeconds(1));
    assertThat(resync.resync()).isTrue();
    assertThat(tasksIn(resync, own))
        .singleElement()
        .satisfies(c -> assertThat(c.op()).isEqualTo(ObjectChange.Op.ENTER));
  }

  @Test
  void anUnwatchedOwnTaskIsNotReportedAndWithNoneRunningTheCallersWaitIsPassedOn() {
    TaskRef own = tasks.start(this::held);
    feed.watchTasks(List.of(own));
    feed.next(Duration.ZERO);
    feed.unwatchTasks(List.of(own));
    release.countDown();
    ChangeBatch b = feed.next(Duration.ofMillis(300));
    assertThat(tasksIn(b, own)).isEmpty();
    assertThat(inner.waits.get(inner.waits.size() - 1))
        .as("not cut into slices")
        .isGreaterThan(Duration.ofMillis(200));
    feed.close();
    assertThat(inner.closed).isTrue();
  }
}
