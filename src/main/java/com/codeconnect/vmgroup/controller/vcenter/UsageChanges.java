package com.codeconnect.vmgroup.controller.vcenter;

import com.codeconnect.vmgroup.api.v1alpha1.VCenter;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes a VCenter whose usage changed, at most once per the refresh interval: the reconcile that
 * follows makes no vCenter call unless a check is due.
 */
final class UsageChanges extends AbstractEventSource<Void, VCenter> {
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.ScheduledExecutorService flusher =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "vcenter-usage");
            t.setDaemon(true);
            return t;
          });

  private final Duration refresh;

  UsageChanges(Duration refresh) {
    super(Void.class, "vcenter-usage");
    this.refresh = refresh;
  }

  @Override
  public void start() {
    super.start();
    flusher.scheduleWithFixedDelay(
        this::flush,
        refresh.toMillis(),
        refresh.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  void changed(String name) {
    pending.add(name);
  }

  private void flush() {
    if (!isRunning()) {
      return;
    }
    for (String name : List.copyOf(pending)) {
      pending.remove(name);
      getEventHandler().handleEvent(new Event(new ResourceID(name)));
    }
  }

  @Override
  public void stop() {
    flusher.shutdownNow();
    super.stop();
  }

  @Override
  public Set<Void> getSecondaryResources(VCenter primary) {
    return Set.of();
  }
}
