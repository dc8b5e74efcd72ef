package com.codeconnect.vmgroup.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * The one way a test waits: {@code eventually()} polls a condition (Awaitility) until it holds or
 * the time is up; {@link #quietPeriod} lets a fixed time pass, only where the time itself is what
 * the test measures.
 *
 * <p>A test that waits for something to happen polls for it instead of sleeping a guessed time: it
 * goes on as soon as the condition holds and fails with the last state seen when it never does.
 */
public final class Wait {
  /** How long a condition may take by default: a few reconciles on a loaded 2-core machine. */
  public static final Duration PATIENCE = Duration.ofSeconds(60);

  /** How often a condition is checked by default: often enough, not a load of its own. */
  public static final Duration POLL = Duration.ofMillis(200);

  /** For a test that times how long something took: the wait adds at most this to the figure. */
  public static final Duration FAST_POLL = Duration.ofMillis(20);

  private Wait() {}

  /** Up to {@link #PATIENCE}, checking every {@link #POLL}. */
  public static ConditionFactory eventually() {
    return eventually(PATIENCE);
  }

  /** Up to {@code atMost}, checking every {@link #POLL}. */
  public static ConditionFactory eventually(Duration atMost) {
    return eventually(atMost, POLL);
  }

  /** Up to {@code atMost}, checking every {@code every}. */
  public static ConditionFactory eventually(Duration atMost, Duration every) {
    return Awaitility.await().atMost(atMost).pollInterval(every);
  }

  /** Up to {@link #PATIENCE}, checking every {@link #FAST_POLL}. */
  public static ConditionFactory fast() {
    return fast(PATIENCE);
  }

  /** Up to {@code atMost}, checking every {@link #FAST_POLL}. */
  public static ConditionFactory fast(Duration atMost) {
    return eventually(atMost, FAST_POLL);
  }

  /**
   * Lets {@code period} pass. Not for waiting on a condition (use {@link #eventually()}): for a
   * check that nothing happens within the period, or for counting what happens in it.
   */
  public static void quietPeriod(Duration period) {
    try {
      Thread.sleep(period.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted during a quiet period of " + period, e);
    }
  }
}
