package com.codeconnect.vmgroup.vsphere;

import java.util.Collection;
import java.util.List;

/**
 * A second client of the same vCenter beside the SOAP one: the REST API (vSphere Automation), which
 * alone offers tags and content libraries. The SOAP client hands those calls to it, so the operator
 * keeps holding one {@link VsphereClient}.
 */
public interface SiblingClient extends Tagging, ContentLibraries, AutoCloseable {

  /** Whether the task is one of the sibling's own, as its deploys return them. */
  boolean ownsTask(TaskRef task);

  /**
   * The state of tasks {@link #ownsTask} accepts, in the same order. One it no longer knows (ended
   * long ago, or of an earlier process) is ERROR with ManagedObjectNotFound, as vCenter answers for
   * a task it forgot.
   */
  List<TaskInfo> ownTasks(Collection<TaskRef> tasks);

  /**
   * The feed with the sibling's own tasks added: watching one of them is done by the sibling, and
   * its end arrives in the feed's batches as a TASK change, as a vCenter task's does.
   */
  ChangeFeed withOwnTasks(ChangeFeed feed);

  /** The sibling's own session, as it knows it now, without a call. */
  SessionState sessionState();

  /** Logs out; deploys still running are abandoned (vCenter finishes them without us). */
  @Override
  void close();
}
