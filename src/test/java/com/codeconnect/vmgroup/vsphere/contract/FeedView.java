package com.codeconnect.vmgroup.vsphere.contract;

import static org.awaitility.Awaitility.await;

import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a consumer of a change feed knows: the changes seen so far and every object's properties
 * folded from them, the way {@code cache.Inventory} folds them. The contract asserts on the folded
 * state and on the kinds of change seen, because govmomi's simulator also replays intermediate
 * values (a task's "running" after its "success", a clone's template size before its own) that
 * vCenter would have merged.
 */
final class FeedView {
  private final ChangeFeed feed;
  private final List<ObjectChange> seen = new ArrayList<>();
  private final Map<MoRef, Map<String, Object>> state = new HashMap<>();

  FeedView(ChangeFeed feed) {
    this.feed = feed;
  }

  /** Reads the first batch, which must be there within seconds. */
  ChangeBatch first() {
    ChangeBatch b = feed.next(Duration.ofSeconds(10));
    apply(b);
    return b;
  }

  /** Reads batches until {@code done} holds for what is known, for at most ten seconds. */
  void until(String what, Predicate<FeedView> done) {
    await(what)
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(1))
        .until(
            () -> {
              if (done.test(this)) {
                return true;
              }
              apply(feed.next(Duration.ofMillis(500)));
              return done.test(this);
            });
  }

  private void apply(ChangeBatch b) {
    if (b.resync()) {
      state.clear();
    }
    for (ObjectChange c : b.changes()) {
      seen.add(c);
      switch (c.op()) {
        case LEAVE -> state.remove(c.ref());
        case ENTER -> state.put(c.ref(), new HashMap<>(c.values()));
        case MODIFY -> {
          Map<String, Object> s = state.computeIfAbsent(c.ref(), r -> new HashMap<>());
          if (c.kind() == ObjectChange.Kind.TASK && finished(s.get("state"))) {
            break; // a task that ended never runs again; the simulator replays "running" late
          }
          s.putAll(c.values());
        }
      }
    }
  }

  private static boolean finished(Object state) {
    return state == TaskInfo.State.SUCCESS || state == TaskInfo.State.ERROR;
  }

  boolean has(MoRef ref) {
    return state.containsKey(ref);
  }

  Object value(MoRef ref, String key) {
    Map<String, Object> s = state.get(ref);
    return s == null ? null : s.get(key);
  }

  Object taskState(TaskRef task) {
    return value(task.ref(), "state");
  }

  Map<String, Object> values(MoRef ref) {
    return state.getOrDefault(ref, Map.of());
  }

  /** Every change of {@code ref} seen so far, in order. */
  List<ObjectChange> changesOf(MoRef ref) {
    return seen.stream().filter(c -> c.ref().equals(ref)).toList();
  }
}
