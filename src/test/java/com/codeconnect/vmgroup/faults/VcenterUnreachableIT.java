package com.codeconnect.vmgroup.faults;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.decision.StatusBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario 2: the network between the operator and vCenter fails for 30 s by resetting
 * every connection, and later by dropping packets (until the operator notices). Every group says
 * VcenterUnreachable soon, the operator keeps running and doesn't hammer vCenter (connection
 * attempts are counted at the proxy), and it recovers by itself, including a change made to a group
 * during the outage.
 */
class VcenterUnreachableIT extends FaultFixture {
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  static final Duration OUTAGE = Duration.ofSeconds(30);

  /** The feed's long poll (30 s) and its timeout, then a group's call and its timeout. */
  static final Duration BLACKHOLE_DETECTION =
      Duration.ofSeconds(30).plus(TIMEOUT).plus(TIMEOUT).plusSeconds(10);

  static final List<String> GROUPS = List.of("un-a", "un-b", "un-c");

  @Override
  protected boolean throughProxy() {
    return true;
  }

  @Override
  protected Duration vcenterTimeout() {
    return TIMEOUT;
  }

  @Test
  void conditionsSayVcenterUnreachableTheCallRateStaysLowAndTheOperatorRecoversByItself() {
    for (String g : GROUPS) {
      create(g, 1, 1, 2);
    }
    GROUPS.forEach(this::awaitConverged);
    eventually(PATIENCE).until(operator::inventorySynced);

    // Connections are reset: the operator notices at its next call.
    long down = System.nanoTime();
    long attemptsBefore = proxy.attempts();
    long callsBefore = operatorClient.callCount();
    long reconcilesBefore = operator.reconcileCount();
    proxy.mode(TcpProxy.Mode.RESET);
    awaitUnreachable(TIMEOUT.plusSeconds(5));
    long detectedReset = millisSince(down);
    // A change during the outage waits for vCenter.
    edit("un-a", s -> s.setReplicas(3));
    eventually(OUTAGE.plusSeconds(5), Duration.ofMillis(500))
        .during(OUTAGE.minusMillis(millisSince(down)))
        .until(() -> GROUPS.stream().allMatch(this::unreachable));
    long attempts = proxy.attempts() - attemptsBefore;
    long calls = operatorClient.callCount() - callsBefore;
    long reconciles = operator.reconcileCount() - reconcilesBefore;
    long outageMillis = millisSince(down);
    assertThat(operator.notReadyReason()).as("not ready while vCenter is away").isNotNull();

    long up = System.nanoTime();
    proxy.mode(TcpProxy.Mode.PASS);
    GROUPS.forEach(this::awaitConverged);
    eventually(PATIENCE)
        .until(() -> GROUPS.stream().noneMatch(g -> isTrue(g, StatusBuilder.DEGRADED)));
    eventually(PATIENCE).until(() -> operator.notReadyReason() == null);
    long recoveredReset = millisSince(up);

    // Packets are dropped: calls hang until the client's own timeout ends them. Nothing tells the
    // change feed before its long poll (up to 30 s) times out; then the groups' own calls time out.
    down = System.nanoTime();
    long blackholeAttemptsBefore = proxy.attempts();
    proxy.mode(TcpProxy.Mode.BLACKHOLE);
    awaitUnreachable(BLACKHOLE_DETECTION);
    long detectedBlackhole = millisSince(down);
    long blackholeAttempts = proxy.attempts() - blackholeAttemptsBefore;
    long blackholeMillis = millisSince(down);
    up = System.nanoTime();
    proxy.mode(TcpProxy.Mode.PASS);
    GROUPS.forEach(this::awaitConverged);
    eventually(PATIENCE)
        .until(() -> GROUPS.stream().noneMatch(g -> isTrue(g, StatusBuilder.DEGRADED)));
    long recoveredBlackhole = millisSince(up);

    VcenterAudit.Result audit = audit();
    double perSecond = attempts * 1000.0 / outageMillis;
    FaultReport.of("vcenter-unreachable")
        .put("faults", "connections_reset_30s,packets_dropped_until_detected")
        .put("vc_timeout_ms", TIMEOUT.toMillis())
        .put("detected_reset_ms", detectedReset)
        .put("connection_attempts_reset", attempts)
        .put("vcenter_calls_reset", calls)
        .put("reconciles_reset", reconciles)
        .put("outage_reset_ms", outageMillis)
        .put("attempts_per_second_reset", String.format("%.2f", perSecond))
        .put("recovery_reset_ms", recoveredReset)
        .put("detected_blackhole_ms", detectedBlackhole)
        .put("connection_attempts_blackhole", blackholeAttempts)
        .put("outage_blackhole_ms", blackholeMillis)
        .put("recovery_blackhole_ms", recoveredBlackhole)
        .audit(audit)
        .write();
    assertThat(audit.problems()).isEmpty();
    assertThat(detectedBlackhole).isLessThanOrEqualTo(BLACKHOLE_DETECTION.toMillis());
    // Each group backs off exponentially (from 1 s, doubling, with jitter down to half), and so
    // does the change feed: at most log2(30 s) + 3 calls each, the edit's reconcile included, plus
    // the feed's 4 cleanup calls. A retry loop would make hundreds.
    long perCaller = (long) Math.ceil(Math.log(OUTAGE.toSeconds()) / Math.log(2)) + 3;
    long bound = (GROUPS.size() + 1) * perCaller + 4;
    assertThat(calls).as("vCenter calls in a 30 s outage").isLessThanOrEqualTo(bound);
    // The JDK's HTTP client tries a second connection when the first is reset.
    assertThat(attempts).as("connections in a 30 s outage").isLessThanOrEqualTo(2 * bound);
  }

  private void awaitUnreachable(Duration within) {
    eventually(within, Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(GROUPS)
                    .allSatisfy(g -> assertThat(unreachable(g)).as("%s unreachable", g).isTrue()));
  }

  private boolean unreachable(String group) {
    Condition c = condition(group, StatusBuilder.DEGRADED);
    return c != null && "True".equals(c.getStatus()) && "VcenterUnreachable".equals(c.getReason());
  }
}
