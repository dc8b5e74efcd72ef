package com.codeconnect.vmgroup.vsphere.rest;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls that take minutes, run as tasks of the client's own: a content library deploy is one
 * synchronous REST call (neither rendering offers it as a vCenter task), so it runs on a bounded
 * pool here while the caller gets a {@link TaskRef} at once, as from a SOAP {@code *_Task} method.
 *
 * <p>The refs are of type {@value #TASK_TYPE} with an id unique to this client, so they are never
 * mistaken for vCenter's tasks. A finished task is remembered for {@link #RETAIN}, then answered
 * like a task vCenter forgot (ManagedObjectNotFound). Listeners hear about every end.
 */
final class DeployTasks {
  private static final Logger LOG = LoggerFactory.getLogger(DeployTasks.class);
  static final String TASK_TYPE = "RestTask";

  /** As long as vCenter keeps a finished task around, and longer than any caller waits for one. */
  static final Duration RETAIN = Duration.ofHours(1);

  private static final class Entry {
    final TaskRef ref;
    volatile TaskInfo.State state = TaskInfo.State.QUEUED;
    volatile MoRef result;
    volatile VsphereException error;
    volatile long endedNanos;
    volatile boolean ended;

    Entry(TaskRef ref) {
      this.ref = ref;
    }

    TaskInfo info() {
      return new TaskInfo(ref, state, result, error);
    }
  }

  private final ThreadPoolExecutor pool;
  private final String prefix = "rest-" + UUID.randomUUID().toString().substring(0, 8) + "-";
  private final AtomicLong sequence = new AtomicLong();
  private final Map<MoRef, Entry> entries = new ConcurrentHashMap<>();
  private final Set<Consumer<TaskInfo>> listeners = new CopyOnWriteArraySet<>();
  private final LongSupplier nanoTime;

  /**
   * @param threads deploys that run at once; vCenter queues more anyway
   * @param queued deploys that may wait for a thread; beyond that a start is refused
   */
  DeployTasks(int threads, int queued, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queued),
            r -> {
              Thread t = new Thread(r, "vcenter-rest-deploy");
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
  }

  /**
   * Queues the work and returns its task. Throws {@link VsphereException.TaskInProgress} (which
   * callers retry later) when the queue is full.
   *
   * @param work runs on a pool thread; returns the task's result or throws its fault
   */
  TaskRef start(Supplier<MoRef> work) {
    forgetOld();
    TaskRef ref = new TaskRef(new MoRef(TASK_TYPE, prefix + sequence.incrementAndGet()));
    Entry e = new Entry(ref);
    entries.put(ref.ref(), e);
    try {
      pool.execute(() -> run(e, work));
    } catch (RejectedExecutionException full) {
      entries.remove(ref.ref());
      throw new VsphereException.TaskInProgress(
          pool.isShutdown()
              ? "the vCenter REST client is closed"
              : "too many content library deploys waiting (" + pool.getQueue().size() + ")");
    }
    return ref;
  }

  private void run(Entry e, Supplier<MoRef> work) {
    e.state = TaskInfo.State.RUNNING;
    try {
      e.result = work.get();
      e.state = TaskInfo.State.SUCCESS;
    } catch (VsphereException fault) {
      e.error = fault;
      e.state = TaskInfo.State.ERROR;
    } catch (RuntimeException bug) {
      LOG.warn("deploy task {} failed unexpectedly", e.ref.id(), bug);
      e.error = new VsphereException("ClientError", "deploy failed: " + bug, false, bug);
      e.state = TaskInfo.State.ERROR;
    }
    e.endedNanos = nanoTime.getAsLong();
    e.ended = true;
    TaskInfo info = e.info();
    for (Consumer<TaskInfo> l : listeners) {
      try {
        l.accept(info);
      } catch (RuntimeException failed) {
        LOG.warn("deploy task listener failed", failed);
      }
    }
  }

  boolean owns(TaskRef task) {
    return TASK_TYPE.equals(task.ref().type());
  }

  TaskInfo info(TaskRef task) {
    Entry e = entries.get(task.ref());
    if (e == null) {
      return new TaskInfo(
          task,
          TaskInfo.State.ERROR,
          null,
          new VsphereException.ManagedObjectNotFound(
              "task " + task.ref() + " no longer exists", task.ref()));
    }
    return e.info();
  }

  List<TaskInfo> infos(Collection<TaskRef> tasks) {
    return tasks.stream().map(this::info).toList();
  }

  void addListener(Consumer<TaskInfo> l) {
    listeners.add(l);
  }

  void removeListener(Consumer<TaskInfo> l) {
    listeners.remove(l);
  }

  /** Tasks queued or running. */
  int unfinished() {
    return (int) entries.values().stream().filter(e -> !e.ended).count();
  }

  private void forgetOld() {
    long now = nanoTime.getAsLong();
    entries.values().removeIf(e -> e.ended && now - e.endedNanos > RETAIN.toNanos());
  }

  /** Stops the threads; a deploy in flight is cut off and vCenter finishes it without us. */
  void close() {
    pool.shutdownNow();
  }
}
