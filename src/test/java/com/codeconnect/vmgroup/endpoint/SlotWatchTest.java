package com.codeconnect.vmgroup.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SlotWatchTest {
  final Clock clock = Clock.systemUTC();
  final Set<TaskRef> finished = ConcurrentHashMap.newKeySet();
  final AtomicInteger lookups = new AtomicInteger();
  final List<List<TaskRef>> asked = new CopyOnWriteArrayList<>();
  final List<TaskRef> seen = new CopyOnWriteArrayList<>();
  int ids;

  List<TaskInfo> lookup(List<TaskRef> tasks) {
    lookups.incrementAndGet();
    asked.add(List.copyOf(tasks));
    return tasks.stream()
        .map(
            t ->
                new TaskInfo(
                    t,
                    finished.contains(t) ? TaskInfo.State.SUCCESS : TaskInfo.State.RUNNING,
                    null,
                    null))
        .toList();
  }

  TaskRef start(TaskTracker t, String group, String vm) {
    assertThat(t.tryAcquire(group)).isTrue();
    TaskRef ref = new TaskRef(new MoRef("Task", "task-" + ids++));
    t.started(group, new Action.Clone(0, vm), ref);
    return ref;
  }

  @Test
  void aWaitingGroupGetsTheSlotOfAnEndedTaskWithoutTheFeed() {
    TaskTracker tracker = new TaskTracker(1, clock);
    List<String> woken = new CopyOnWriteArrayList<>();
    tracker.onSlotFreed(woken::add);
    try (SlotWatch watch =
        new SlotWatch("vc", tracker, this::lookup, seen::addAll, () -> null, clock)) {
      TaskRef running = start(tracker, "a", "a-0");
      assertThat(tracker.tryAcquire("b")).isFalse();
      // vCenter has finished the task; nobody has reported it.
      finished.add(running);
      await().atMost(Duration.ofSeconds(2)).until(() -> woken.contains("b"));
      assertThat(tracker.inUse()).isZero();
      assertThat(seen).containsExactly(running);
      assertThat(asked).allSatisfy(tasks -> assertThat(tasks).containsExactly(running));
      assertThat(tracker.tryAcquire("b")).isTrue();
    }
  }

  @Test
  void nobodyWaitingMeansNoCalls() throws InterruptedException {
    TaskTracker tracker = new TaskTracker(4, clock);
    try (SlotWatch watch =
        new SlotWatch("vc", tracker, this::lookup, seen::addAll, () -> null, clock)) {
      start(tracker, "a", "a-0");
      start(tracker, "a", "a-1");
      Thread.sleep(400);
      assertThat(lookups).hasValue(0);
    }
  }

  @Test
  void looksStopOnceTheWaitIsOverAndStartAgainWithTheNextWait() throws InterruptedException {
    TaskTracker tracker = new TaskTracker(1, clock);
    try (SlotWatch watch =
        new SlotWatch("vc", tracker, this::lookup, seen::addAll, () -> null, clock)) {
      TaskRef first = start(tracker, "a", "a-0");
      assertThat(tracker.tryAcquire("b")).isFalse();
      finished.add(first);
      await().atMost(Duration.ofSeconds(2)).until(() -> tracker.inUse() == 0);
      // b takes the slot: nobody waits any more, so the looks stop.
      start(tracker, "b", "b-0");
      Thread.sleep(150);
      int after = lookups.get();
      Thread.sleep(400);
      assertThat(lookups.get()).isEqualTo(after);
      // a new wait brings them back
      assertThat(tracker.tryAcquire("c")).isFalse();
      await().atMost(Duration.ofSeconds(2)).until(() -> lookups.get() > after);
    }
  }

  @Test
  void aPausedVcenterIsNotAskedAndAFailedLookIsOnlyLogged() throws InterruptedException {
    TaskTracker tracker = new TaskTracker(1, clock);
    AtomicReference<String> paused = new AtomicReference<>("vCenter 'vc' did not answer");
    AtomicInteger failing = new AtomicInteger();
    try (SlotWatch watch =
        new SlotWatch(
            "vc",
            tracker,
            tasks -> {
              failing.incrementAndGet();
              throw new VsphereException.Transport("connection refused", null);
            },
            seen::addAll,
            paused::get,
            clock)) {
      start(tracker, "a", "a-0");
      assertThat(tracker.tryAcquire("b")).isFalse();
      Thread.sleep(300);
      assertThat(failing).hasValue(0);
      paused.set(null);
      await().atMost(Duration.ofSeconds(2)).until(() -> failing.get() >= 2);
      assertThat(tracker.inUse()).isEqualTo(1);
    }
  }

  @Test
  void gapsGrowByHalfUpToAQuarterOfTheYoungestTasksAgeWithinBounds() {
    Instant now = Instant.parse("2026-11-26T10:00:00Z");
    List<TaskTracker.InFlight> young =
        List.of(inFlight(now.minusMillis(200)), inFlight(now.minusMillis(900)));
    assertThat(SlotWatch.next(Duration.ofMillis(50), young, now)).isEqualTo(Duration.ofMillis(75));
    assertThat(SlotWatch.next(Duration.ofMillis(200), young, now))
        .isEqualTo(Duration.ofMillis(250));
    List<TaskTracker.InFlight> oneMinute = List.of(inFlight(now.minusSeconds(60)));
    assertThat(SlotWatch.next(Duration.ofSeconds(2), oneMinute, now))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(SlotWatch.next(Duration.ofSeconds(4), oneMinute, now))
        .isEqualTo(Duration.ofSeconds(5));
    List<TaskTracker.InFlight> tenSeconds = List.of(inFlight(now.minusSeconds(10)));
    assertThat(SlotWatch.next(Duration.ofSeconds(2), tenSeconds, now))
        .isEqualTo(Duration.ofMillis(2500));
  }

  TaskTracker.InFlight inFlight(Instant started) {
    return new TaskTracker.InFlight(
        "vm", new Action.Clone(0, "vm"), new TaskRef(new MoRef("Task", "t" + ids++)), started);
  }
}
