package com.codeconnect.vmgroup.operator;

import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The vCenter tasks the operator started and hasn't seen finish, per group, plus the budget of
 * tasks in flight and the backoff of VMs whose last task failed.
 *
 * <p>Only memory: after a restart a running task is found again through the VM it works on (its
 * deterministic name and ownership marker), and a repeated clone is refused by vCenter as a
 * duplicate name, so nothing is created twice.
 */
public final class TaskTracker {
  static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  /** A task in flight. */
  public record InFlight(String target, Action action, TaskRef task, Instant started) {}

  /** The last failure of a VM's task, and when to try again. */
  public record Failure(String vmName, Problem problem, int attempts, Instant notBefore) {}

  private final int budget;
  private final AtomicInteger used = new AtomicInteger();
  private final Clock clock;
  private final Map<String, Map<String, InFlight>> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Failure>> failures = new ConcurrentHashMap<>();

  public TaskTracker(int budget, Clock clock) {
    this.budget = budget;
    this.clock = clock;
  }

  /** Takes one slot of the budget; false when all are in use. */
  public boolean tryAcquire() {
    while (true) {
      int now = used.get();
      if (now >= budget) {
        return false;
      }
      if (used.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Returns a slot taken by {@link #tryAcquire()} whose task never started. */
  public void release() {
    used.decrementAndGet();
  }

  public int inUse() {
    return used.get();
  }

  public void started(String group, Action action, TaskRef task) {
    inFlight
        .computeIfAbsent(group, g -> new ConcurrentHashMap<>())
        .put(action.target(), new InFlight(action.target(), action, task, clock.instant()));
  }

  public Map<String, InFlight> inFlight(String group) {
    return Map.copyOf(inFlight.getOrDefault(group, Map.of()));
  }

  /**
   * Asks vCenter about the group's tasks in one call, forgets the finished ones (returning their
   * budget slots) and records failures with a backoff per VM.
   *
   * @return the tasks that finished since the last poll, with their outcome
   */
  public List<Finished> poll(String group, VsphereClient client) {
    Map<String, InFlight> tasks = inFlight.get(group);
    if (tasks == null || tasks.isEmpty()) {
      return List.of();
    }
    List<InFlight> pending = new ArrayList<>(tasks.values());
    List<TaskInfo> infos = client.tasks(pending.stream().map(InFlight::task).toList());
    List<Finished> finished = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      InFlight f = pending.get(i);
      TaskInfo info = infos.get(i);
      if (!info.done()) {
        continue;
      }
      if (tasks.remove(f.target(), f)) {
        used.decrementAndGet();
      }
      finished.add(new Finished(f, info));
      if (info.state() == TaskInfo.State.SUCCESS) {
        Optional.ofNullable(failures.get(group)).ifPresent(m -> m.remove(f.target()));
      }
    }
    return finished;
  }

  /** A task that finished, successfully or not. */
  public record Finished(InFlight task, TaskInfo info) {}

  /** Records a failure of a VM's action and schedules its retry with exponential backoff. */
  public void failed(String group, String vmName, Problem problem) {
    failures
        .computeIfAbsent(group, g -> new ConcurrentHashMap<>())
        .compute(
            vmName,
            (name, old) -> {
              int attempts = old == null ? 1 : old.attempts() + 1;
              long factor = 1L << Math.min(attempts - 1, 20);
              Duration delay = MIN_BACKOFF.multipliedBy(factor);
              if (delay.compareTo(MAX_BACKOFF) > 0) {
                delay = MAX_BACKOFF;
              }
              return new Failure(name, problem, attempts, clock.instant().plus(delay));
            });
  }

  /** VMs whose last task failed and whose backoff hasn't run out. */
  public Map<String, Failure> backingOff(String group) {
    Instant now = clock.instant();
    Map<String, Failure> result = new HashMap<>();
    failures
        .getOrDefault(group, Map.of())
        .forEach(
            (name, failure) -> {
              if (failure.notBefore().isAfter(now)) {
                result.put(name, failure);
              }
            });
    return result;
  }

  /** The most recent failure of any of the group's VMs, kept until a task for it succeeds. */
  public Optional<Failure> lastFailure(String group) {
    return failures.getOrDefault(group, Map.of()).values().stream()
        .max(java.util.Comparator.comparing(Failure::notBefore));
  }

  /** Forgets failures of VMs that are no longer wanted. */
  public void forgetFailuresExcept(String group, java.util.Set<String> wanted) {
    Optional.ofNullable(failures.get(group)).ifPresent(m -> m.keySet().retainAll(wanted));
  }

  /** Drops everything about a group, e.g. after its deletion finished. */
  public void forget(String group) {
    Map<String, InFlight> tasks = inFlight.remove(group);
    if (tasks != null) {
      used.addAndGet(-tasks.size());
    }
    failures.remove(group);
  }
}
