package com.codeconnect.vmgroup.vsphere;

import java.time.Duration;
import java.util.Collection;

/**
 * A stream of changes to the VMs and folders below one folder, and to the tasks and clusters the
 * caller chose to watch, kept by vCenter's PropertyCollector (WaitForUpdatesEx) rather than by
 * polling.
 *
 * <p>One thread calls {@link #next(Duration)} in a loop; the watch and unwatch methods may be
 * called from any thread.
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
   * Adds clusters ({@code ClusterComputeResource}) to the watched set: each arrives as {@link
   * ObjectChange.Kind#CLUSTER} with its DRS rules, and again whenever its configuration changes, so
   * an administrator deleting or editing a rule is seen without asking vCenter. A cluster vCenter
   * doesn't know is reported once as leaving.
   */
  void watchClusters(Collection<MoRef> clusters);

  /** Stops watching clusters. */
  void unwatchClusters(Collection<MoRef> clusters);

  /**
   * Destroys the server-side filter and views. May be called from another thread while {@link
   * #next} waits: that wait, and any later call of it, returns an empty batch.
   */
  @Override
  void close();
}
