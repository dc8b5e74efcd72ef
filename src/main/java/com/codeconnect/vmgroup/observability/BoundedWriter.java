package com.codeconnect.vmgroup.observability;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One thread that runs writes in the order given, holding at most {@code limit} of them: a write
 * beyond that is refused with {@link RejectedExecutionException}, so a slow API server costs
 * neither memory nor the callers' time. Closing runs what is queued for up to {@code drain}, then
 * gives up.
 */
final class BoundedWriter implements Executor, AutoCloseable {
  private final ThreadPoolExecutor thread;
  private final Duration drain;

  BoundedWriter(String name, int limit, Duration drain) {
    this.drain = drain;
    this.thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(limit),
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            },
            (r, executor) -> {
              throw new RejectedExecutionException(name + " queue full");
            });
  }

  @Override
  public void execute(Runnable write) {
    thread.execute(write);
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
