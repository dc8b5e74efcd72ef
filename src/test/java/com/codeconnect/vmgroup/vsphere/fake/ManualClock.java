package com.codeconnect.vmgroup.vsphere.fake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock a test moves by hand. {@link InMemoryVcenter} listens to it, so a change feed waiting for
 * a task to end wakes up as soon as the test moves the clock past the task's end, with no real
 * waiting.
 */
public final class ManualClock extends Clock {
  private volatile Instant now;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public ManualClock() {
    this(Instant.parse("2025-01-01T00:00:00Z"));
  }

  public ManualClock(Instant start) {
    this.now = start;
  }

  /** Moves the clock forward and tells whoever waits on it. */
  public ManualClock advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a clock does not run backwards: " + d);
    }
    synchronized (this) {
      now = now.plus(d);
    }
    listeners.forEach(Runnable::run);
    return this;
  }

  void onAdvance(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
