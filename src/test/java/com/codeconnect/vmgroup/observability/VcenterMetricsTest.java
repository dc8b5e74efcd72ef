package com.codeconnect.vmgroup.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.CallListener;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VcenterMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final VcenterMetrics metrics = new VcenterMetrics(registry);

  private Timer timer(String method, String outcome) {
    return registry.get(VcenterMetrics.TIMER).tag("method", method).tag("outcome", outcome).timer();
  }

  @Test
  void recordsCountAndLatencyByMethodAndOutcome() {
    metrics.onCall("RetrievePropertiesEx", "ok", Duration.ofMillis(10));
    metrics.onCall("RetrievePropertiesEx", "ok", Duration.ofMillis(30));
    metrics.onCall("RetrievePropertiesEx", "Transport", Duration.ofSeconds(2));
    metrics.onCall("PowerOnVM_Task", "ok", Duration.ofMillis(5));

    Timer ok = timer("RetrievePropertiesEx", "ok");
    assertThat(ok.count()).isEqualTo(2);
    assertThat(ok.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40.0);
    assertThat(ok.max(TimeUnit.MILLISECONDS)).isEqualTo(30.0);
    assertThat(timer("RetrievePropertiesEx", "Transport").count()).isEqualTo(1);
    assertThat(timer("PowerOnVM_Task", "ok").count()).isEqualTo(1);
    assertThat(registry.get(VcenterMetrics.TIMER).timers()).hasSize(3);
  }

  @Test
  void tellsRestCallsFromSoapCalls() {
    metrics.onCall(CallListener.REST, "tag.attach", "ok", Duration.ofMillis(7));
    metrics.onCall("RetrievePropertiesEx", "ok", Duration.ofMillis(3));
    assertThat(
            registry
                .get(VcenterMetrics.TIMER)
                .tags("protocol", "rest", "method", "tag.attach", "outcome", "ok")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(registry.get(VcenterMetrics.TIMER).tags("protocol", "soap").timers()).hasSize(1);
  }

  @Test
  void publishesAPercentileHistogramToPrometheus() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try {
      new VcenterMetrics(prometheus).onCall("Login", "ok", Duration.ofMillis(50));
      String text = prometheus.scrape();
      assertThat(text)
          .contains(
              "vcenter_calls_seconds_bucket{method=\"Login\",outcome=\"ok\",protocol=\"soap\","
                  + "le=\"0.001\"} 0")
          .contains(
              "vcenter_calls_seconds_bucket{method=\"Login\",outcome=\"ok\",protocol=\"soap\","
                  + "le=\"+Inf\"} 1")
          .doesNotContain("le=\"120.0\"");
    } finally {
      prometheus.close();
    }
  }

  @Test
  void toleratesMissingValues() {
    metrics.onCall(null, " ", null);
    metrics.onCall("Logout", "ok", Duration.ofMillis(-3));
    assertThat(timer("unknown", "unknown").count()).isEqualTo(1);
    assertThat(timer("unknown", "unknown").totalTime(TimeUnit.NANOSECONDS)).isZero();
    assertThat(timer("Logout", "ok").totalTime(TimeUnit.NANOSECONDS)).isZero();
  }
}
