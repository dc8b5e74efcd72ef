package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.decision.Problem;
import java.time.Duration;

/**
 * A reconcile stops here: the group can't be acted on until {@code problem} is fixed. The spine
 * reports it (status and a Warning Event) and looks again after {@code retry}, or when the group or
 * its vCenter changes if that is null.
 */
final class GroupStopped extends RuntimeException {
  private final transient Problem problem;
  private final String step;
  private final transient Duration retry;

  /**
   * @param step what the operator was doing, the Event's action ("Validate", "Resolve", ...)
   */
  GroupStopped(Problem problem, String step, Duration retry) {
    super(problem.message(), null, false, false);
    this.problem = problem;
    this.step = step;
    this.retry = retry;
  }

  Problem problem() {
    return problem;
  }

  String step() {
    return step;
  }

  Duration retry() {
    return retry;
  }
}
