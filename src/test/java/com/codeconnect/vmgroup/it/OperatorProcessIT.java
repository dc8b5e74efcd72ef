package com.codeconnect.vmgroup.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.demo.EmbeddedKubernetes;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.testing.Groups;
import com.codeconnect.vmgroup.testing.OperatorProcess;
import com.codeconnect.vmgroup.testing.Wait;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar as a user starts it: its own process, configured by the seed's environment
 * variables. Checks health and metrics with real values, a graceful SIGTERM (logout included), and
 * that the password appears nowhere in what it printed.
 */
class OperatorProcessIT {
  static final String PASSWORD = "Pr0cess-Secret-Do-Not-Log!";
  // ready_after_ms is read off the readiness wait: a finer poll than Wait.POLL
  static final Duration POLL = Duration.ofMillis(100);

  @Test
  void theJarRunsReportsHealthAndMetricsAndStopsCleanlyWithoutLeakingThePassword()
      throws Exception {
    try (Vcsim sim = Vcsim.builder().credentials("administrator@vsphere.local", PASSWORD).start();
        EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      EmbeddedKubernetes.installCrd(api.client());
      OperatorProcess operator =
          OperatorProcess.builder()
              .apiServer(api.client().getMasterUrl().toString())
              .vcenter(sim.url(), "administrator@vsphere.local", PASSWORD)
              .env("LOG_LEVEL", "DEBUG")
              .args("--resync-interval=2s")
              .start();
      try {
        operator.awaitOk("/healthz", Wait.eventually(Duration.ofSeconds(60), POLL));
        operator.awaitOk("/readyz", Wait.eventually(Duration.ofSeconds(60), POLL));
        System.out.printf("ready_after_ms=%d%n", operator.millisSinceStart());

        Groups groups = Groups.in(api.client(), "default");
        groups.create("proc", 1, 1, 2, Folders.TEMPLATE);
        Wait.eventually(Duration.ofSeconds(60), POLL)
            .untilAsserted(
                () -> {
                  VmGroup g = groups.get("proc");
                  assertThat(g.getStatus()).isNotNull();
                  assertThat(g.getStatus().getPhase()).isEqualTo("RUNNING");
                });
        String metrics = operator.body("/metrics");
        assertThat(metrics)
            .contains("vcenter_calls_seconds_count{method=\"CloneVM_Task\",outcome=\"ok\"")
            .contains("jvm_memory_used_bytes");
        assertThat(metrics).containsPattern("operator_sdk\\S*reconcil");
        assertThat(sim.sessionCount()).isEqualTo(1);
      } finally {
        assertThat(operator.stop(Duration.ofSeconds(30))).as("stopped after SIGTERM").isTrue();
      }
      assertThat(operator.process().exitValue()).isIn(0, 143);
      assertThat(sim.sessionCount()).as("logged out on shutdown").isZero();
      String output = operator.output();
      assertThat(output).contains("operator started").contains("stopping");
      assertThat(output).as("the operator's output").doesNotContain(PASSWORD);
    }
  }
}
