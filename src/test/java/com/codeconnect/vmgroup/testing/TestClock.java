package com.codeconnect.vmgroup.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock a test moves by hand; also read from threads the code under test starts. The in-memory
 * vCenter listens to it ({@link #onAdvance}), so a change feed waiting for a task to end wakes up
 * as soon as the test moves the clock past the task's end, with no real waiting.
 */
public final class TestClock extends Clock {
  public volatile Instant now;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public TestClock() {
    this("2025-01-01T00:00:00Z");
  }

  public TestClock(String start) {
    this.now = Instant.parse(start);
  }

  /** Moves the clock forward and tells whoever waits on it. */
  public TestClock advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a clock does not run backwards: " + d);
    }
    synchronized (this) {
      now = now.plus(d);
    }
    listeners.forEach(Runnable::run);
    return this;
  }

  /** Who is told each time the clock moves (after it moved). */
  public void onAdvance(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
