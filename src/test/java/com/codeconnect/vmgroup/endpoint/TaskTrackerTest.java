package com.codeconnect.vmgroup.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.testing.TestClock;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTrackerTest {
  final Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
  int taskIds;

  TaskRef start(TaskTracker t, String group, String vm) {
    TaskRef ref = new TaskRef(new MoRef("Task", "task-" + taskIds++));
    t.started(group, new Action.Clone(0, vm), ref);
    return ref;
  }

  @Test
  void aBigGroupCannotTakeTheWholeBudgetWhileAnotherWaits() {
    TaskTracker t = new TaskTracker(8, clock);
    List<String> woken = new ArrayList<>();
    t.onSlotFreed(woken::add);
    // The big group arrives first and takes what it may.
    int big = 0;
    while (t.tryAcquire("big")) {
      start(t, "big", "big-" + big++);
    }
    assertThat(big).isEqualTo(8);
    // The small group is refused now (budget used up) and queued.
    assertThat(t.tryAcquire("small")).isFalse();
    // One big task finishes: the slot frees and the small group is woken.
    t.poll(
        "big",
        tasks ->
            tasks.stream()
                .map(TaskTracker.InFlight::task)
                .map(
                    r ->
                        new TaskInfo(
                            r,
                            r.id().equals("task-0")
                                ? TaskInfo.State.SUCCESS
                                : TaskInfo.State.RUNNING,
                            null,
                            null))
                .toList());
    assertThat(woken).contains("small");
    // Now the big group holds 7 of its fair share of 4 and may not take the freed slot ...
    assertThat(t.tryAcquire("big")).isFalse();
    // ... while the small group may.
    assertThat(t.tryAcquire("small")).isTrue();
    assertThat(t.inUse()).isEqualTo(8);
  }

  @Test
  void failuresBackOffExponentiallyAndClearOnSuccess() {
    TaskTracker t = new TaskTracker(8, clock);
    Problem p = new Problem(Problem.Reason.CloneFailed, "clone 'vm' failed");
    t.failed("g", "vm", p);
    assertThat(t.backingOff("g").get("vm").notBefore()).isEqualTo(clock.instant().plusSeconds(1));
    t.failed("g", "vm", p);
    t.failed("g", "vm", p);
    assertThat(t.backingOff("g").get("vm").notBefore()).isEqualTo(clock.instant().plusSeconds(4));
    for (int i = 0; i < 30; i++) {
      t.failed("g", "vm", p);
    }
    assertThat(t.backingOff("g").get("vm").notBefore())
        .isEqualTo(clock.instant().plus(TaskTracker.MAX_BACKOFF));
    assertThat(t.lastFailure("g")).isPresent();

    assertThat(t.tryAcquire("g")).isTrue();
    TaskRef ref = start(t, "g", "vm");
    t.poll("g", refs -> List.of(new TaskInfo(ref, TaskInfo.State.SUCCESS, null, null)));
    assertThat(t.lastFailure("g")).isEmpty();
    assertThat(t.inUse()).isZero();
  }

  @Test
  void forgettingAGroupReturnsItsSlots() {
    TaskTracker t = new TaskTracker(2, clock);
    assertThat(t.tryAcquire("g")).isTrue();
    start(t, "g", "a");
    assertThat(t.tryAcquire("g")).isTrue();
    start(t, "g", "b");
    assertThat(t.tryAcquire("h")).isFalse();
    t.forget("g");
    assertThat(t.inUse()).isZero();
    assertThat(t.tryAcquire("h")).isTrue();
  }

  @Test
  void aVmIsLeftAloneUntilItsLastActionShowsInTheObservation() {
    TaskTracker t = new TaskTracker(2, clock);
    var off =
        com.codeconnect.vmgroup.testing.Vms.vm(
            0, com.codeconnect.vmgroup.vsphere.PowerState.POWERED_OFF, 2, 2048);
    t.settling("g", new Action.PowerOn(off), clock.instant().plusSeconds(10));
    t.settling("g", new Action.Clone(1, "vg-1"), clock.instant().plusSeconds(10));
    assertThat(t.unsettled("g", java.util.Map.of("vg-0", off)))
        .containsExactlyInAnyOrder("vg-0", "vg-1");
    var on = com.codeconnect.vmgroup.testing.Vms.ready(0);
    var cloned =
        com.codeconnect.vmgroup.testing.Vms.vm(
            1, com.codeconnect.vmgroup.vsphere.PowerState.POWERED_OFF, 1, 32);
    assertThat(t.unsettled("g", java.util.Map.of("vg-0", on, "vg-1", cloned))).isEmpty();
    t.settling("g", new Action.Clone(2, "vg-2"), clock.instant().minusSeconds(1));
    assertThat(t.unsettled("g", java.util.Map.of())).as("overdue").isEmpty();
  }

  @Test
  void anEffectTheObservationLacksPastTheGraceIsReportedAsOverdue() {
    TestClock moving = new TestClock("2026-11-25T10:00:00Z");
    TaskTracker t = new TaskTracker(2, moving);
    var off =
        com.codeconnect.vmgroup.testing.Vms.vm(
            0, com.codeconnect.vmgroup.vsphere.PowerState.POWERED_OFF, 1, 1024);
    t.settling("g", new Action.PowerOn(off), moving.now.plusSeconds(10));
    t.settling("g", new Action.Clone(1, "vg-1"), moving.now.plusSeconds(10));
    var stale = java.util.Map.of("vg-0", off);
    t.unsettled("g", stale);
    assertThat(t.overdue("g", stale)).as("within the grace").isEmpty();
    moving.now = moving.now.plus(TaskTracker.EFFECT_GRACE).plusMillis(1);
    t.unsettled("g", stale);
    assertThat(t.overdue("g", stale)).containsExactly("vg-0", "vg-1");
    var seen = java.util.Map.of("vg-0", com.codeconnect.vmgroup.testing.Vms.ready(0));
    t.unsettled("g", seen);
    assertThat(t.overdue("g", seen)).as("the clone's VM is still missing").containsExactly("vg-1");
  }

  @Test
  void theListenerHearsEachStartAndEachEndOnceAndRunningCountsWhatIsInFlight() {
    TaskTracker t = new TaskTracker(8, clock);
    List<String> heard = new ArrayList<>();
    t.listener(
        new TaskTracker.Listener() {
          @Override
          public void started(Action action) {
            heard.add("started " + action.target());
          }

          @Override
          public void finished(Action action, TaskInfo info) {
            heard.add("finished " + action.target() + " " + info.state());
          }
        });
    TaskRef a = start(t, "g1", "a");
    start(t, "g1", "b");
    start(t, "g2", "c");
    assertThat(t.running()).isEqualTo(3);

    java.util.function.Function<List<TaskTracker.InFlight>, List<TaskInfo>> aFailed =
        tasks ->
            tasks.stream()
                .map(
                    f ->
                        new TaskInfo(
                            f.task(),
                            f.task().equals(a) ? TaskInfo.State.ERROR : TaskInfo.State.RUNNING,
                            null,
                            null))
                .toList();
    t.poll("g1", aFailed);
    t.poll("g1", aFailed); // a is gone: not heard twice
    assertThat(t.running()).isEqualTo(2);
    t.forget("g2");
    assertThat(t.running()).isEqualTo(1);
    assertThat(heard).containsExactly("started a", "started b", "started c", "finished a ERROR");
  }

  @Test
  void aTaskSeenEndingInTheFeedHandsItsSlotOnBeforeItsGroupLooks() {
    TaskTracker t = new TaskTracker(1, clock);
    List<String> woken = new ArrayList<>();
    t.onSlotFreed(woken::add);
    assertThat(t.tryAcquire("g")).isTrue();
    TaskRef task = start(t, "g", "a");
    assertThat(t.tryAcquire("h")).isFalse();

    t.ended(task);
    t.ended(task); // a repeated notice frees nothing more
    t.ended(new TaskRef(new MoRef("Task", "someone-elses")));
    assertThat(woken).containsExactly("h");
    assertThat(t.inUse()).isZero();
    assertThat(t.tryAcquire("h")).isTrue();
    assertThat(t.inUse()).isEqualTo(1);

    // the group's own look at the task later doesn't return the slot a second time
    t.poll("g", refs -> List.of(new TaskInfo(task, TaskInfo.State.SUCCESS, null, null)));
    assertThat(t.inUse()).isEqualTo(1);
    assertThat(t.inFlight("g")).isEmpty();
  }

  @Test
  void aTaskTheFeedSawEndingIsNoLongerRunningAndItsEndIsHeardOnceWhenItsGroupLooks() {
    TaskTracker t = new TaskTracker(8, clock);
    List<String> heard = new ArrayList<>();
    t.listener(
        new TaskTracker.Listener() {
          @Override
          public void finished(Action action, TaskInfo info) {
            heard.add(action.target() + " " + info.state());
          }
        });
    TaskRef task = start(t, "g", "a");
    start(t, "g", "b");
    t.ended(task);
    assertThat(t.running()).isEqualTo(1);
    t.poll(
        "g",
        refs ->
            refs.stream()
                .map(
                    f ->
                        new TaskInfo(
                            f.task(),
                            f.task().equals(task) ? TaskInfo.State.SUCCESS : TaskInfo.State.RUNNING,
                            null,
                            null))
                .toList());
    assertThat(t.running()).isEqualTo(1);
    assertThat(heard).containsExactly("a SUCCESS");
  }

  /** A budget of one slot: a holds it, then b and c are refused and wait, in that order. */
  private TaskTracker oneSlotAWorkingBThenCWaiting(Clock clock, List<String> woken) {
    TaskTracker t = new TaskTracker(1, clock);
    t.onSlotFreed(woken::add);
    running(t, "a");
    assertThat(t.tryAcquire("b")).isFalse();
    assertThat(t.tryAcquire("c")).isFalse();
    return t;
  }

  /** Each group takes a slot and starts one task in it. */
  private void running(TaskTracker t, String... groups) {
    for (String g : groups) {
      assertThat(t.tryAcquire(g)).isTrue();
      start(t, g, g + "-0");
    }
  }

  private static void endAll(TaskTracker t, String group) {
    t.poll(
        group,
        tasks ->
            tasks.stream()
                .map(f -> new TaskInfo(f.task(), TaskInfo.State.SUCCESS, null, null))
                .toList());
  }

  @Test
  void aFreedSlotWakesOneWaitingGroupLongestWaitingFirstNotAll() {
    TaskTracker t = new TaskTracker(2, clock);
    List<String> woken = new ArrayList<>();
    t.onSlotFreed(woken::add);
    running(t, "a", "b");
    for (String g : List.of("c", "d", "e", "f")) {
      assertThat(t.tryAcquire(g)).isFalse();
    }
    endAll(t, "a");
    assertThat(woken).containsExactly("c");
    endAll(t, "b");
    assertThat(woken).containsExactly("c", "d");
    // the woken ones take their slots; the others are still waiting, in order
    assertThat(t.tryAcquire("d")).isTrue();
    assertThat(t.tryAcquire("c")).isTrue();
    assertThat(t.hasWaiting()).isTrue();
  }

  @Test
  void aPromiseNotTakenUpLapsesAndTheSlotGoesToTheNextInLine() {
    TestClock moving = new TestClock("2026-11-25T10:00:00Z");
    List<String> woken = new ArrayList<>();
    TaskTracker t = oneSlotAWorkingBThenCWaiting(moving, woken);
    endAll(t, "a");
    assertThat(woken).containsExactly("b");
    // b never comes back (e.g. it no longer needs the slot); within the promise nobody else is
    // woken
    t.wakeWaiting();
    assertThat(woken).containsExactly("b");
    moving.now = moving.now.plus(TaskTracker.WAKE_PROMISE).plusMillis(1);
    t.wakeWaiting();
    assertThat(woken).containsExactly("b", "c");
    assertThat(t.tryAcquire("c")).isTrue();
  }

  @Test
  void aGroupRefusedForItsShareWhileASlotIsFreeHandsTheSlotToTheNextNotItself() {
    TaskTracker t = new TaskTracker(2, clock);
    List<String> woken = new ArrayList<>();
    t.onSlotFreed(woken::add);
    running(t, "a", "b");
    // c waits; a asks for more while b's slot comes free: a is at its share (1 of 2 among three)
    assertThat(t.tryAcquire("c")).isFalse();
    assertThat(t.tryAcquire("a")).isFalse();
    endAll(t, "b");
    // the freed slot goes to c, the only waiting group under its share, and a isn't woken
    assertThat(woken).containsExactly("c");
    assertThat(t.tryAcquire("a")).isFalse();
    assertThat(woken).containsExactly("c");
    assertThat(t.tryAcquire("c")).isTrue();
  }

  @Test
  void aWaitingGroupThatStopsAskingIsDroppedAfterTheStaleWaitOthersKeepTheirPlace() {
    TestClock moving = new TestClock("2026-11-25T10:00:00Z");
    List<String> woken = new ArrayList<>();
    TaskTracker t = oneSlotAWorkingBThenCWaiting(moving, woken);
    moving.now = moving.now.plus(TaskTracker.STALE_WAIT).minusSeconds(1);
    // c asks again (it keeps its place behind b); b doesn't
    assertThat(t.tryAcquire("c")).isFalse();
    moving.now = moving.now.plusSeconds(2);
    assertThat(t.hasWaiting()).isTrue();
    endAll(t, "a");
    // b went stale: the slot goes to c
    assertThat(woken).containsExactly("c");
    moving.now = moving.now.plus(TaskTracker.STALE_WAIT);
    assertThat(t.hasWaiting()).isFalse();
  }

  @Test
  void theFairShareCountsWaitingAndBusyGroupsOnceAndAGroupWhoseTasksEndedNotAtAll() {
    TaskTracker t = new TaskTracker(4, clock);
    running(t, "a", "b");
    endAll(t, "b");
    assertThat(t.inFlight("b")).isEmpty();
    // a is busy and c asks: a share of 2 each, b no longer counts
    assertThat(t.tryAcquire("c")).isTrue();
    start(t, "c", "c-0");
    assertThat(t.tryAcquire("c")).isTrue();
    start(t, "c", "c-1");
    assertThat(t.tryAcquire("c")).isFalse();
    assertThat(t.tryAcquire("a")).isTrue();
    assertThat(t.inUse()).isEqualTo(4);
  }
}
