package com.codeconnect.vmgroup.faults;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.decision.StatusBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario 9: vCenter fails clones (a full datastore, injected by the simulator). The
 * group says so in a condition, retries with a growing backoff instead of a loop, other groups are
 * served meanwhile, and it recovers by itself once the fault is gone.
 */
class TaskFailuresIT extends FaultFixture {
  /** How long the fault is watched once reported: long enough for several backoff steps. */
  static final Duration WINDOW = Duration.ofSeconds(20);

  @Test
  void aFailingCloneDegradesTheGroupBacksOffAndRecoversOnceTheFaultIsGone() {
    sim.failClones("^full-");
    long clonesBefore = operatorClient.callCount("CloneVM_Task");
    long start = System.nanoTime();
    create("full", 1, 1, 3);
    create("fine", 1, 1, 2);

    eventually(PATIENCE)
        .untilAsserted(
            () -> {
              Condition degraded = condition("full", StatusBuilder.DEGRADED);
              assertThat(degraded).isNotNull();
              assertThat(degraded.getStatus()).isEqualTo("True");
              assertThat(degraded.getReason()).isEqualTo("CloneFailed");
              assertThat(degraded.getMessage()).contains("NoDiskSpace").contains("full-");
            });
    long degradedAfter = millisSince(start);
    assertThat(events("full"))
        .as("a Warning event says why")
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("CloneFailed");
            });
    awaitConverged("fine");
    assertThat(isTrue("fine", StatusBuilder.DEGRADED)).isFalse();

    // While the fault lasts, the condition holds and the retries thin out.
    long clonesAtWindow = operatorClient.callCount("CloneVM_Task");
    eventually(WINDOW.plusSeconds(10), Duration.ofMillis(250))
        .during(WINDOW)
        .until(() -> isTrue("full", StatusBuilder.DEGRADED));
    long attemptsInWindow = operatorClient.callCount("CloneVM_Task") - clonesAtWindow;
    // Per VM, a doubling backoff from 1 s allows at most log2(20) + 1 attempts in 20 s.
    int replicas = 3;
    long bound = replicas * (long) (Math.ceil(Math.log(WINDOW.toSeconds()) / Math.log(2)) + 1);
    assertThat(attemptsInWindow)
        .as("clone attempts in %s while failing", WINDOW)
        .isLessThanOrEqualTo(bound);
    assertThat(vmsOf("full")).as("nothing half-made is left").isEmpty();

    sim.clearFailures();
    long cleared = System.nanoTime();
    awaitConverged("full");
    eventually(PATIENCE).until(() -> !isTrue("full", StatusBuilder.DEGRADED));
    long recovery = millisSince(cleared);
    long clonesTotal = operatorClient.callCount("CloneVM_Task") - clonesBefore;

    VcenterAudit.Result audit = audit();
    FaultReport.of("task-failures")
        .put("faults", "clone_NoDiskSpace")
        .put("degraded_after_ms", degradedAfter)
        .put("clone_attempts_in_20s_failing", attemptsInWindow)
        .put("clone_attempts_bound", bound)
        .put("clone_calls_total", clonesTotal)
        .put("recovery_ms", recovery)
        .audit(audit)
        .write();
    assertThat(audit.problems()).isEmpty();
  }
}
