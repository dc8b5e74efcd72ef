package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.app.OperatorRuntime;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two instances with leader election: one acts, the other takes over when it stops. */
abstract class FailoverSuite extends OperatorFixture {
  static final Duration LEASE = Duration.ofSeconds(4);

  @Override
  protected OperatorSettings settings() {
    return OperatorSettings.defaults()
        .withResyncInterval(Duration.ofSeconds(1))
        .withLeaderElection(
            new OperatorSettings.LeaderElection(
                "vmgroup-operator",
                namespace,
                LEASE,
                Duration.ofSeconds(3),
                Duration.ofMillis(500),
                false));
  }

  @Test
  void onlyTheLeaderActsAndTheStandbyTakesOverWithoutDuplicates() {
    // The fixture's instance started first and leads (once it holds the lease: under load that can
    // take a moment); a second one joins as standby.
    eventually()
        .until(
            () -> {
              var lease = kube.leases().inNamespace(namespace).withName("vmgroup-operator").get();
              return lease != null
                  && lease.getSpec() != null
                  && lease.getSpec().getHolderIdentity() != null;
            });
    VsphereClient standbyClient = client(operatorCredentials());
    OperatorRuntime standby = OperatorRuntime.start(kube, standbyClient, settings());
    try {
      create("ha-1", 1, 1, 3, TEMPLATE);
      eventually().untilAsserted(() -> assertThat(running("ha-1")).hasSize(3));
      assertThat(operator.reconcileCount()).as("leader reconciles").isPositive();
      assertThat(standby.reconcileCount()).as("standby reconciles").isZero();

      long stoppedAt = System.nanoTime();
      operator.close();
      create("ha-2", 1, 1, 2, TEMPLATE);
      edit("ha-1", s -> s.setReplicas(4));
      eventually().untilAsserted(() -> assertThat(running("ha-2")).hasSize(2));
      eventually().untilAsserted(() -> assertThat(running("ha-1")).hasSize(4));
      long takeoverMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
      System.out.println("failover_ms=" + takeoverMillis);
      assertThat(standby.reconcileCount()).isPositive();
      assertThat(takeoverMillis).isLessThan(LEASE.toMillis() + 20_000);
      // No duplicates: exactly the replicas, by name, in each folder.
      assertThat(vmsOf("ha-1"))
          .extracting(VmInfo::name)
          .containsExactlyInAnyOrder("ha-1-0", "ha-1-1", "ha-1-2", "ha-1-3");
      assertThat(vmsOf("ha-2"))
          .extracting(VmInfo::name)
          .containsExactlyInAnyOrder("ha-2-0", "ha-2-1");
    } finally {
      standby.close();
      standbyClient.close();
    }
  }

  private List<VmInfo> running(String group) {
    return vmsOf(group).stream()
        .filter(Folders::owned)
        .filter(vm -> vm.powerState() == PowerState.POWERED_ON)
        .toList();
  }
}
