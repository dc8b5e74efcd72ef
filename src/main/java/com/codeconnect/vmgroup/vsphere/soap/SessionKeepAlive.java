package com.codeconnect.vmgroup.vsphere.soap;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a check on a daemon thread several times per keep-alive interval; the check decides whether
 * the session has been idle long enough to need a ping. Stopped by {@link #stop()}.
 */
final class SessionKeepAlive {
  private static final Logger LOG = LoggerFactory.getLogger(SessionKeepAlive.class);

  private final ScheduledExecutorService scheduler;

  /**
   * @param check called with the interval; pings when the session was idle that long
   */
  SessionKeepAlive(Duration interval, Consumer<Duration> check) {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vsphere-keepalive");
              t.setDaemon(true);
              return t;
            });
    // checking a quarter interval apart pings at most a quarter interval late
    long period = Math.max(50, Math.min(interval.toMillis() / 4, 30_000));
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            check.accept(interval);
          } catch (RuntimeException e) {
            LOG.debug("keep-alive check failed", e);
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
  }

  void stop() {
    scheduler.shutdownNow();
  }
}
