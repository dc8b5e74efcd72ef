package com.codeconnect.vmgroup.faults;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario 5: a slow vCenter. First every SOAP call takes 2 s with jitter (the operator's
 * timeout is 60 s): small groups created while a big one converges are served meanwhile, no thread
 * waits for another group, and nothing is reported Degraded. Then clone calls answer after 3 s
 * while the operator gives up after 2.5 s: vCenter still carries out most of the clones the
 * operator thinks failed, and not one replica is duplicated.
 *
 * <p>Progress is timed on the groups' status (cheap to read while vCenter is slow); vCenter itself
 * is audited once the delays are gone.
 */
class SlowVcenterIT extends FaultFixture {
  static final Duration SLOW = Duration.ofSeconds(2);
  static final double JITTER = 0.3;
  static final List<String> SMALL = List.of("sl-s1", "sl-s2");
  private volatile Duration timeout = Duration.ofSeconds(60);

  @Override
  protected Duration vcenterTimeout() {
    return timeout;
  }

  @Test
  void otherGroupsProgressWhileVcenterIsSlowAndTimeoutsCauseNoDuplicates() {
    eventually(PATIENCE).until(operator::inventorySynced);
    sim.setCallDelays(SLOW, JITTER, Map.of());
    Map<String, Long> readyAfter = new LinkedHashMap<>();
    long start = System.nanoTime();
    try (DegradedWatch watch = new DegradedWatch(kube, namespace)) {
      create("sl-big", 1, 1, 4);
      eventually(PATIENCE).until(() -> operator.tasksInFlight() > 0);
      long smallStart = System.nanoTime();
      for (String g : SMALL) {
        create(g, 1, 1, 1);
      }
      awaitReady(SMALL, readyAfter, smallStart);
      boolean bigDoneFirst = ready("sl-big");
      awaitReady(List.of("sl-big"), readyAfter, start);
      assertThat(watch.seen()).as("statuses that said Degraded while vCenter was slow").isEmpty();
      assertThat(bigDoneFirst).as("the small groups didn't wait for the big one").isFalse();
    }
    long slowPhase = millisSince(start);

    // Clones answer after 3 s, the operator gives up after 2.5 s.
    stopOperator();
    timeout = Duration.ofMillis(2500);
    sim.setCallDelays(Duration.ofSeconds(1), 0.2, Map.of("CloneVM_Task", Duration.ofSeconds(2)));
    startOperator();
    Map<String, AtomicInteger> cloneOutcomes = new ConcurrentHashMap<>();
    operatorClient.setListener(
        (protocol, method, outcome, latency) -> {
          if ("CloneVM_Task".equals(method)) {
            cloneOutcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
          }
        });
    start = System.nanoTime();
    Map<String, Long> timeoutPhase = new LinkedHashMap<>();
    int degradedWhileTimingOut;
    try (DegradedWatch watch = new DegradedWatch(kube, namespace)) {
      edit("sl-big", s -> s.setReplicas(6));
      create("sl-t1", 1, 1, 2);
      awaitReady(List.of("sl-big", "sl-t1"), timeoutPhase, start);
      degradedWhileTimingOut = watch.seen().size();
    }
    long timeoutRecovery = millisSince(start);

    sim.setCallDelays(Duration.ZERO, 0.0, Map.of());
    VcenterAudit.Result audit = audit();
    List.of("sl-big", "sl-s1", "sl-s2", "sl-t1").forEach(this::awaitConverged);
    int timedOut = count(cloneOutcomes, "Transport");
    FaultReport.of("slow-vcenter")
        .put("faults", "every_call_2s_jitter0.3,clone_calls_3s_vs_timeout_2.5s")
        .put("small_groups_ready_ms", SMALL.stream().map(readyAfter::get).toList())
        .put("big_group_ready_ms", readyAfter.get("sl-big"))
        .put("slow_phase_ms", slowPhase)
        .put("clone_calls_ok", count(cloneOutcomes, "ok"))
        .put("clone_calls_timed_out", timedOut)
        .put("clone_calls_other", cloneOutcomes.toString().replace(' ', '_'))
        .put("degraded_statuses_while_timing_out", degradedWhileTimingOut)
        .put("recovery_ms", timeoutRecovery)
        .audit(audit)
        .write();
    assertThat(audit.problems()).isEmpty();
    assertThat(timedOut).as("clone calls that ran into the timeout").isPositive();
  }

  private void awaitReady(List<String> groups, Map<String, Long> readyAfter, long since) {
    eventually(Duration.ofMinutes(3), Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              for (String g : groups) {
                if (!readyAfter.containsKey(g) && ready(g)) {
                  readyAfter.put(g, millisSince(since));
                }
              }
              assertThat(readyAfter.keySet()).containsAll(groups);
            });
  }

  /** Ready as the status says, for the current spec. */
  private boolean ready(String group) {
    VmGroup g = get(group);
    return g != null
        && g.getStatus() != null
        && g.getMetadata().getGeneration().equals(g.getStatus().getObservedGeneration())
        && isTrue(group, StatusBuilder.READY);
  }

  private static int count(Map<String, AtomicInteger> outcomes, String outcome) {
    AtomicInteger n = outcomes.get(outcome);
    return n == null ? 0 : n.get();
  }
}
