package com.codeconnect.vmgroup.vsphere.rest;

import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * A change feed with the client's own tasks ({@link DeployTasks}) added to vCenter's: watching one
 * is done here, and its state arrives in the batches as a TASK change, an ENTER with its state when
 * it is watched (and in every resync), a MODIFY when it ends, as the SOAP feed reports vCenter's
 * tasks.
 *
 * <p>The inner feed's long poll can't be woken from here, so while a watched own task is still
 * running the inner feed is asked with waits of at most {@link #slice}: an end is reported within
 * that long, at the cost of one short poll per slice while deploys run (they take minutes). With
 * none running, the inner feed waits as long as the caller asked.
 */
final class OwnTaskFeed implements ChangeFeed {
  static final Duration DEFAULT_SLICE = Duration.ofSeconds(1);

  private final ChangeFeed inner;
  private final DeployTasks tasks;
  private final Duration slice;
  private final Set<TaskRef> watched = ConcurrentHashMap.newKeySet();
  private final Queue<ObjectChange> pending = new ConcurrentLinkedQueue<>();
  private final Consumer<TaskInfo> onEnd = this::ended;
  private volatile boolean closed;

  OwnTaskFeed(ChangeFeed inner, DeployTasks tasks, Duration slice) {
    this.inner = inner;
    this.tasks = tasks;
    this.slice = slice;
    tasks.addListener(onEnd);
  }

  @Override
  public ChangeBatch next(Duration maxWait) {
    if (!pending.isEmpty() && !closed) {
      // what is known already needs no round trip to vCenter
      return merge(ChangeBatch.empty());
    }
    long deadline = System.nanoTime() + Math.max(0, maxWait.toNanos());
    while (true) {
      boolean sliced = anyRunning();
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      ChangeBatch batch = merge(inner.next(sliced && left.compareTo(slice) > 0 ? slice : left));
      if (closed
          || !batch.changes().isEmpty()
          || batch.resync()
          || !sliced
          || System.nanoTime() >= deadline) {
        return batch;
      }
    }
  }

  /** The inner batch with the own tasks' changes after it; a resync re-reports every one. */
  private ChangeBatch merge(ChangeBatch batch) {
    List<ObjectChange> changes = new ArrayList<>(batch.changes());
    if (batch.resync()) {
      // the resync's state is the whole truth: queued changes are part of it or older
      pending.clear();
      for (TaskRef t : watched) {
        changes.add(change(tasks.info(t), ObjectChange.Op.ENTER));
      }
    }
    for (ObjectChange c; (c = pending.poll()) != null; ) {
      changes.add(c);
    }
    if (changes.size() == batch.changes().size()) {
      return batch;
    }
    return new ChangeBatch(batch.resync(), batch.truncated(), changes);
  }

  private boolean anyRunning() {
    for (TaskRef t : watched) {
      if (!tasks.info(t).done()) {
        return true;
      }
    }
    return false;
  }

  private void ended(TaskInfo info) {
    if (!closed && watched.contains(info.task())) {
      pending.add(change(info, ObjectChange.Op.MODIFY));
    }
  }

  private static ObjectChange change(TaskInfo info, ObjectChange.Op op) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("state", info.state());
    values.put("result", info.result());
    values.put("error", info.error());
    MoRef ref = info.task().ref();
    return new ObjectChange(ref, ObjectChange.Kind.TASK, op, values);
  }

  @Override
  public void watchTasks(Collection<TaskRef> refs) {
    List<TaskRef> others = new ArrayList<>();
    for (TaskRef t : refs) {
      if (!tasks.owns(t)) {
        others.add(t);
      } else if (watched.add(t)) {
        // as vCenter's list view does: a task entering the watch arrives with its state now
        pending.add(change(tasks.info(t), ObjectChange.Op.ENTER));
      }
    }
    if (!others.isEmpty()) {
      inner.watchTasks(others);
    }
  }

  @Override
  public void unwatchTasks(Collection<TaskRef> refs) {
    List<TaskRef> others = new ArrayList<>();
    for (TaskRef t : refs) {
      if (tasks.owns(t)) {
        watched.remove(t);
      } else {
        others.add(t);
      }
    }
    if (!others.isEmpty()) {
      inner.unwatchTasks(others);
    }
  }

  @Override
  public void watchClusters(Collection<MoRef> clusters) {
    inner.watchClusters(clusters);
  }

  @Override
  public void unwatchClusters(Collection<MoRef> clusters) {
    inner.unwatchClusters(clusters);
  }

  @Override
  public void close() {
    closed = true;
    tasks.removeListener(onEnd);
    pending.clear();
    inner.close();
  }
}
