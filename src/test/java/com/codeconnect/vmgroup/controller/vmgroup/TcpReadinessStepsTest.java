package com.codeconnect.vmgroup.controller.vmgroup;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.ReadinessSpec;
import com.codeconnect.vmgroup.api.v1alpha1.TcpCheck;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmStatus;
import com.codeconnect.vmgroup.testing.Wait;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Readiness by TCP: the operator connects to the VM's address beside the reconcile, and the VM is
 * ready while a listener accepts. The guest's address is the loopback, where the test listens.
 */
class TcpReadinessStepsTest {
  @Test
  void aVmIsReadyWhileItsPortAcceptsAndNotOnceItRefuses() throws Exception {
    try (Steps steps = new Steps();
        ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      VmGroup g = Steps.group("probe", 1);
      ReadinessSpec readiness = new ReadinessSpec(ReadinessSpec.Mode.tcp);
      readiness.setTcp(new TcpCheck(listener.getLocalPort()));
      g.getSpec().setReadiness(readiness);
      steps.converge(g, 30);
      steps.vms(g).forEach(vm -> steps.vcenter.admin().setGuestIps(vm.ref(), List.of("127.0.0.1")));

      Wait.fast(Duration.ofSeconds(10))
          .until(
              () -> {
                steps.reconcileAndRecord(g);
                steps.clock.advance(Duration.ofSeconds(1));
                return "TcpConnected".equals(entry(g).getReadyReason());
              });
      assertThat(g.getStatus().getReadyReplicas()).isEqualTo(1);

      listener.close();
      Wait.fast(Duration.ofSeconds(10))
          .until(
              () -> {
                steps.reconcileAndRecord(g);
                steps.clock.advance(Duration.ofSeconds(5));
                return "TcpRefused".equals(entry(g).getReadyReason());
              });
      assertThat(entry(g).getReady()).isFalse();
      assertThat(g.getStatus().getReadyReplicas()).isZero();
    }
  }

  private static VmStatus entry(VmGroup g) {
    return g.getStatus().getVms().get(0);
  }
}
