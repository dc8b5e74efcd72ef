package com.codeconnect.vmgroup.vsphere;

import java.time.Duration;
import java.util.Collection;

/**
 * A stream of changes to the VMs and folders below one folder, and to tasks the caller chose to
 * watch, kept by vCenter's PropertyCollector (WaitForUpdatesEx) rather than by polling.
 *
 * <p>One thread calls {@link #next(Duration)} in a loop; {@link #watchTasks} and {@link
 * #unwatchTasks} may be called from any thread.
 */
public interface ChangeFeed extends AutoCloseable {

  /**
   * Waits up to {@code maxWait} for changes since the previous call. The first call, and any call
   * after the feed had to be rebuilt (a new session, InvalidCollectorVersion), returns a batch with
   * {@link ChangeBatch#resync()} set that holds the complete current state: the caller drops what
   * it knew before applying it. Returns an empty batch when nothing changed in time.
   */
  ChangeBatch next(Duration maxWait);

  /** Adds tasks to the watched set; their state arrives as {@link ObjectChange.Kind#TASK}. */
  void watchTasks(Collection<TaskRef> tasks);

  /** Stops watching tasks (e.g. once they finished). */
  void unwatchTasks(Collection<TaskRef> tasks);

  /**
   * Destroys the server-side filter and views. May be called from another thread while {@link
   * #next} waits: that wait, and any later call of it, returns an empty batch.
   */
  @Override
  void close();
}
