package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * The tasks of the in-memory vCenter. A task runs from its start until {@code endsAt} on the
 * injected clock; its effect is applied only when it ends, so what it changes becomes visible then,
 * as in vCenter. Not thread-safe: the vCenter's lock guards it.
 */
final class FakeTasks {
  /** A task's work: applied at its end, returns the result or throws the task's fault. */
  interface Effect extends Function<Instant, MoRef> {}

  static final class Task {
    final TaskRef ref;
    final TaskKind kind;
    final Instant endsAt;
    final long seq;
    final Effect effect;
    final Runnable onEnd;
    // a fault injected for this task: it ends with it instead of doing its work
    final VsphereException injected;
    TaskInfo.State state = TaskInfo.State.RUNNING;
    MoRef result;
    VsphereException error;

    Task(
        TaskRef ref,
        TaskKind kind,
        Instant endsAt,
        long seq,
        Effect effect,
        Runnable onEnd,
        VsphereException injected) {
      this.ref = ref;
      this.kind = kind;
      this.endsAt = endsAt;
      this.seq = seq;
      this.effect = effect;
      this.onEnd = onEnd;
      this.injected = injected;
    }

    TaskInfo info() {
      return new TaskInfo(ref, state, result, error);
    }

    /** The properties a feed reports for a watched task. */
    Map<String, Object> values() {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("state", state);
      v.put("result", result);
      v.put("error", error);
      return v;
    }
  }

  private final Map<MoRef, Task> tasks = new HashMap<>();
  // running tasks by end, then by start order, so ties end in the order they began
  private final PriorityQueue<Task> running =
      new PriorityQueue<>(Comparator.comparing((Task t) -> t.endsAt).thenComparingLong(t -> t.seq));
  private long seq;

  Task start(
      MoRef ref,
      TaskKind kind,
      Instant endsAt,
      Effect effect,
      Runnable onEnd,
      VsphereException injected) {
    Task t = new Task(new TaskRef(ref), kind, endsAt, seq++, effect, onEnd, injected);
    tasks.put(ref, t);
    running.add(t);
    return t;
  }

  /** A task vCenter refused at its start: it exists, and has already failed. */
  Task failed(MoRef ref, TaskKind kind, Instant at, VsphereException error) {
    Task t = new Task(new TaskRef(ref), kind, at, seq++, null, () -> {}, null);
    t.state = TaskInfo.State.ERROR;
    t.error = error;
    tasks.put(ref, t);
    return t;
  }

  /** The running task that ends first, if it has ended by {@code now}; taken off the run list. */
  Task nextDue(Instant now) {
    Task t = running.peek();
    if (t == null || t.endsAt.isAfter(now)) {
      return null;
    }
    return running.poll();
  }

  /** When the next running task ends, or null. */
  Instant nextEnd() {
    Task t = running.peek();
    return t == null ? null : t.endsAt;
  }

  Task get(MoRef ref) {
    return tasks.get(ref);
  }

  int running() {
    return running.size();
  }

  /** Forgets a finished task, as vCenter does after a while; later lookups find nothing. */
  boolean forget(MoRef ref) {
    Task t = tasks.get(ref);
    if (t == null || t.state == TaskInfo.State.RUNNING) {
      return false;
    }
    tasks.remove(ref);
    return true;
  }

  void forgetFinished() {
    tasks.values().removeIf(t -> t.state != TaskInfo.State.RUNNING);
  }
}
