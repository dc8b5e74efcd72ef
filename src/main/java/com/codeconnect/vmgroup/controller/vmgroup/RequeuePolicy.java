package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.endpoint.TaskTracker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a group is looked at again if no event comes first. Events (a task's end, a VM's change, an
 * edit) are what normally bring a group back; these timers are the safety net, and their spacing
 * keeps a failing group from turning into a hot loop.
 */
final class RequeuePolicy {
  static final Duration PROBLEM_RETRY = Duration.ofSeconds(30);
  static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(60);
  static final Duration TASK_SAFETY_NET = Duration.ofSeconds(10);
  static final Duration CREDENTIALS_RETRY = Duration.ofSeconds(5);
  static final Duration UNFED_RESYNC = Duration.ofSeconds(30);
  private static final Duration MIN_RETRY = Duration.ofMillis(200);

  private final OperatorSettings settings;
  private final Clock clock;

  RequeuePolicy(OperatorSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * After a reconcile that looked at vCenter.
   *
   * @param groupProblem what stops the group as a whole (template, quota), or null
   * @param changeFed whether the change feed covers the group's folder
   */
  Duration next(
      TaskTracker tracker,
      String uid,
      ActionRunner.Acted acted,
      Problem groupProblem,
      boolean converged,
      boolean changeFed) {
    if (acted.deferred() > 0) {
      // The tracker wakes the group when a slot frees (SlotWatch passes on a wake not taken up);
      // this is only a safety net, short of TaskTracker.STALE_WAIT so the group keeps its place in
      // line. At 2 s, the groups waiting behind a 200-slot budget for 20,000 VMs reconciled every
      // 2 s for minutes: 9 reconciles per VM instead of 2.
      return TASK_SAFETY_NET;
    }
    if (!tracker.inFlight(uid).isEmpty() || !acted.started().isEmpty()) {
      // With the change feed in sync, each task's end arrives as an event; the timer only
      // covers a feed that breaks meanwhile.
      return changeFed ? TASK_SAFETY_NET : settings.taskPollInterval();
    }
    if (groupProblem != null) {
      return PROBLEM_RETRY;
    }
    if (tracker.lastFailure(uid).isPresent()) {
      return untilRetry(tracker.backingOff(uid));
    }
    if (!converged) {
      return settings.taskPollInterval();
    }
    // Outside the change feed's folder only a look at vCenter notices drift.
    return changeFed ? settings.resyncInterval() : min(settings.resyncInterval(), UNFED_RESYNC);
  }

  /**
   * {@code next}, or sooner when something is due at {@code at} that no event announces: an initial
   * delay or minReadySeconds ends, a VM reaches its healthCheck limit, a progress deadline passes.
   */
  Duration until(Duration next, Instant at) {
    if (at == null) {
      return next;
    }
    Duration wait = Duration.between(clock.instant(), at);
    wait = wait.compareTo(MIN_RETRY) < 0 ? MIN_RETRY : wait;
    return next == null ? wait : min(next, wait);
  }

  /** After vCenter failed a reconcile: exponential, at most a minute, with jitter. */
  Duration afterError(GroupMemory memory) {
    int streak = memory.failedAgain();
    long millis = Math.min(1000L << Math.min(streak - 1, 6), MAX_ERROR_BACKOFF.toMillis());
    // Jitter spreads the retries of many groups hitting the same outage.
    return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
  }

  /** A deletion in progress looks again at this pace until its tasks are done. */
  Duration deletionPoll() {
    return settings.taskPollInterval();
  }

  private Duration untilRetry(Map<String, TaskTracker.Failure> backingOff) {
    Instant now = clock.instant();
    return backingOff.values().stream()
        .map(f -> Duration.between(now, f.notBefore()))
        .min(Duration::compareTo)
        .map(d -> d.compareTo(MIN_RETRY) < 0 ? MIN_RETRY : d)
        .orElse(settings.taskPollInterval());
  }

  static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
