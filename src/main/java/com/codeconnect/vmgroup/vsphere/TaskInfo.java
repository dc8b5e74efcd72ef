package com.codeconnect.vmgroup.vsphere;

/**
 * The state of a task.
 *
 * @param result the task's result when it is a managed object (e.g. the new VM of a clone), else
 *     null
 * @param error the fault when {@code state} is {@link State#ERROR}, else null
 */
public record TaskInfo(TaskRef task, State state, MoRef result, VsphereException error) {
  public enum State {
    QUEUED,
    RUNNING,
    SUCCESS,
    ERROR
  }

  public boolean done() {
    return state == State.SUCCESS || state == State.ERROR;
  }
}
