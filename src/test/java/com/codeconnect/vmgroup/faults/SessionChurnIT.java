package com.codeconnect.vmgroup.faults;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario 4: an administrator (or vCenter's session limit) ends every session every two
 * seconds while the operator creates, scales out, scales in and resizes four groups. No status ever
 * says Degraded, no reconcile fails visibly, and sessions don't pile up: one login per lost
 * session.
 *
 * <p>CredentialsSuite and VcenterEfficiencySuite cover single terminations of an idle operator;
 * this is the same under load, with every status write watched.
 */
class SessionChurnIT extends FaultFixture {
  static final Duration EVERY = Duration.ofSeconds(2);
  static final List<String> GROUPS = List.of("sc-a", "sc-b", "sc-c", "sc-d");
  static final int ROUNDS = 12;

  /** Replicas, CPU and memory the groups go through. */
  static final int[][] LOAD = {{8, 1, 1}, {3, 2, 1}, {6, 1, 2}, {5, 1, 1}};

  @Test
  void sessionsTerminatedUnderLoadCauseNoVisibleFailureAndDontPileUp() throws Exception {
    AtomicInteger terminations = new AtomicInteger();
    AtomicInteger maxSessions = new AtomicInteger();
    ScheduledExecutorService admin = Executors.newSingleThreadScheduledExecutor();
    long loginsBefore = operatorClient.callCount("Login");
    long start = System.nanoTime();
    try (DegradedWatch watch = new DegradedWatch(kube, namespace)) {
      admin.scheduleAtFixedRate(
          () -> {
            try {
              maxSessions.accumulateAndGet(sim.sessionCount(), Math::max);
              if (sim.terminateSessions() > 0) {
                terminations.incrementAndGet();
              }
            } catch (RuntimeException e) {
              // A scheduled task that throws is never run again: keep the administrator going.
              System.out.println("terminating sessions failed: " + e);
            }
          },
          EVERY.toMillis(),
          EVERY.toMillis(),
          TimeUnit.MILLISECONDS);

      for (String g : GROUPS) {
        create(g, 1, 1, 5);
      }
      GROUPS.forEach(this::awaitConverged);
      // Scale out, resize and scale in, round and round, until enough sessions were ended.
      for (int i = 0; i < LOAD.length || terminations.get() < ROUNDS; i++) {
        int[] spec = LOAD[i % LOAD.length];
        for (String g : GROUPS) {
          edit(
              g,
              s -> {
                s.setReplicas(spec[0]);
                s.setCpu(spec[1]);
                s.setMemory(new IntOrString(spec[2]));
              });
        }
        GROUPS.forEach(this::awaitConverged);
      }
      admin.shutdown();
      assertThat(admin.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      long churnMillis = millisSince(start);

      GROUPS.forEach(this::awaitConverged);
      eventually(PATIENCE).until(operator::inventorySynced);
      long logins = operatorClient.callCount("Login") - loginsBefore;
      int sessionsAfter = sim.sessionCount();
      VcenterAudit.Result audit = audit();
      FaultReport.of("session-churn")
          .put("faults", "all_sessions_terminated_every_2s")
          .put("rounds", terminations.get())
          .put("churn_ms", churnMillis)
          .put("operator_logins", logins)
          .put("max_sessions_seen", maxSessions.get())
          .put("sessions_after", sessionsAfter)
          .put("degraded_statuses_seen", watch.seen().size())
          .audit(audit)
          .write();
      assertThat(terminations.get())
          .as("rounds that ended sessions")
          .isGreaterThanOrEqualTo(ROUNDS);
      assertThat(watch.seen()).as("statuses that said Degraded").isEmpty();
      assertThat(audit.problems()).isEmpty();
      // One login per terminated session (the first one included), never a pile of them.
      assertThat(logins).isLessThanOrEqualTo(terminations.get() + 1);
      // The operator's session and the test's own observer.
      assertThat(maxSessions.get()).isLessThanOrEqualTo(2);
      assertThat(sessionsAfter).isLessThanOrEqualTo(2);
    } finally {
      admin.shutdownNow();
    }
  }
}
