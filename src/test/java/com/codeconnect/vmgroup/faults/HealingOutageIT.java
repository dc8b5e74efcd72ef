package com.codeconnect.vmgroup.faults;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.HealthCheckSpec;
import com.codeconnect.vmgroup.api.v1alpha1.ReadinessSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.demo.VcsimBuilder;
import com.codeconnect.vmgroup.testing.Wait;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: a vCenter outage must not read as "every VM unhealthy". A healed group (heartbeat
 * readiness, replaced after 10 s not ready) loses vCenter for 30 s; afterwards, and for longer than
 * unhealthyAfter, every VM is the one it was: vCenter, read through the test's own session, holds
 * the same VMs.
 */
class HealingOutageIT extends FaultFixture {
  static final Duration OUTAGE = Duration.ofSeconds(30);
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Override
  protected boolean throughProxy() {
    return true;
  }

  @Override
  protected Duration vcenterTimeout() {
    return TIMEOUT;
  }

  @Override
  protected VcsimBuilder simulator() {
    return super.simulator().guestDelay(Duration.ofSeconds(1));
  }

  @Test
  void aThirtySecondOutageReplacesNothing() {
    VmGroupSpec spec = new VmGroupSpec(1, 1, 3, TEMPLATE);
    spec.setReadiness(new ReadinessSpec(ReadinessSpec.Mode.guestHeartbeat));
    spec.setHealthCheck(new HealthCheckSpec("10s", "60s", new IntOrString(3)));
    groups.create("steady", spec);
    eventually(PATIENCE).until(() -> readyReplicas() == 3);
    eventually(PATIENCE).until(operator::inventorySynced);
    Map<String, MoRef> before = refs();

    proxy.mode(TcpProxy.Mode.RESET);
    eventually(TIMEOUT.plusSeconds(10), Duration.ofMillis(200))
        .until(() -> degraded("VcenterUnreachable"));
    Wait.quietPeriod(OUTAGE);
    proxy.mode(TcpProxy.Mode.PASS);

    eventually(PATIENCE).until(() -> !degraded("VcenterUnreachable"));
    // past unhealthyAfter, twice: a VM misjudged unhealthy on reconnection would be gone by now
    Wait.quietPeriod(Duration.ofSeconds(20));
    assertThat(refs()).isEqualTo(before);
    assertThat(readyReplicas()).isEqualTo(3);
  }

  private int readyReplicas() {
    VmGroup g = get("steady");
    return g.getStatus() == null || g.getStatus().getReadyReplicas() == null
        ? 0
        : g.getStatus().getReadyReplicas();
  }

  private Map<String, MoRef> refs() {
    return vmsOf("steady").stream().collect(Collectors.toMap(VmInfo::name, VmInfo::ref));
  }

  private boolean degraded(String reason) {
    Condition c = condition("steady", StatusBuilder.DEGRADED);
    return c != null && "True".equals(c.getStatus()) && reason.equals(c.getReason());
  }
}
