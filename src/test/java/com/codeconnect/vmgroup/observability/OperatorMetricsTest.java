package com.codeconnect.vmgroup.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.decision.FleetCounts.Readiness;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.SessionState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What Prometheus reads at /metrics: names, labels and the values the sources hold right now. */
class OperatorMetricsTest {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final AtomicLong nanos = new AtomicLong();
  final OperatorMetrics metrics = new OperatorMetrics(registry, nanos::get);

  @AfterEach
  void close() {
    registry.close();
  }

  String scrape() {
    return registry.scrape();
  }

  @Test
  void countsStartedAndFailedTasksByKindAndFault() {
    metrics.taskStarted("Clone");
    metrics.taskStarted("Clone");
    metrics.taskStarted("PowerOn");
    metrics.taskFailed("Clone", "DuplicateName");
    metrics.taskFailed("PowerOn", null);

    assertThat(scrape())
        .contains("vcenter_tasks_started_total{kind=\"Clone\"} 2.0")
        .contains("vcenter_tasks_started_total{kind=\"PowerOn\"} 1.0")
        .contains("vcenter_tasks_failed_total{fault=\"DuplicateName\",kind=\"Clone\"} 1.0")
        .contains("vcenter_tasks_failed_total{fault=\"unknown\",kind=\"PowerOn\"} 1.0");
  }

  @Test
  void countsRefusedAndDroppedEvents() {
    metrics.eventRefused("VCenter");
    metrics.eventRefused("VCenter");
    metrics.eventRefused("VmGroup");
    metrics.eventDropped();

    assertThat(scrape())
        .contains("vmgroup_events_refused_total{kind=\"VCenter\"} 2.0")
        .contains("vmgroup_events_refused_total{kind=\"VmGroup\"} 1.0")
        .contains("vmgroup_events_dropped_total 1.0");
  }

  @Test
  void runningTasksAndSessionStateAreReadAtEachScrape() {
    AtomicInteger running = new AtomicInteger(3);
    AtomicReference<SessionState> session = new AtomicReference<>(SessionState.NONE);
    metrics.tasksRunning("default", running::get).session("default", session::get);

    assertThat(scrape())
        .contains("vcenter_tasks_running{vcenter=\"default\"} 3.0")
        .contains("vcenter_session_state{state=\"none\",vcenter=\"default\"} 1.0")
        .contains("vcenter_session_state{state=\"valid\",vcenter=\"default\"} 0.0")
        .contains("vcenter_session_state{state=\"rejected\",vcenter=\"default\"} 0.0")
        .contains("vcenter_session_state{state=\"login_failed\",vcenter=\"default\"} 0.0");

    running.set(0);
    session.set(SessionState.REJECTED);
    assertThat(scrape())
        .contains("vcenter_tasks_running{vcenter=\"default\"} 0.0")
        .contains("vcenter_session_state{state=\"rejected\",vcenter=\"default\"} 1.0")
        .contains("vcenter_session_state{state=\"none\",vcenter=\"default\"} 0.0");
  }

  @Test
  void managedVmsHaveEveryPowerStateAndKeepTheLastCountWhileTheSourceCannotSay() {
    AtomicReference<Map<PowerState, Integer>> counts =
        new AtomicReference<>(Map.of(PowerState.POWERED_ON, 3, PowerState.POWERED_OFF, 1));
    AtomicInteger computed = new AtomicInteger();
    metrics.managedVms(
        "default",
        () -> {
          computed.incrementAndGet();
          return counts.get();
        });

    String text = scrape();
    assertThat(text)
        .contains("vmgroup_managed_vms{power_state=\"poweredOn\",vcenter=\"default\"} 3.0")
        .contains("vmgroup_managed_vms{power_state=\"poweredOff\",vcenter=\"default\"} 1.0")
        .contains("vmgroup_managed_vms{power_state=\"suspended\",vcenter=\"default\"} 0.0")
        .contains("vmgroup_managed_vms{power_state=\"unknown\",vcenter=\"default\"} 0.0");
    assertThat(computed).as("one walk of the inventory for the four gauges").hasValue(1);

    // rebuilding: the source can't say, the last full count stays
    counts.set(null);
    nanos.addAndGet(OperatorMetrics.SNAPSHOT_MAX_AGE.toNanos());
    assertThat(scrape())
        .contains("vmgroup_managed_vms{power_state=\"poweredOn\",vcenter=\"default\"} 3.0");

    counts.set(Map.of(PowerState.POWERED_ON, 5));
    nanos.addAndGet(OperatorMetrics.SNAPSHOT_MAX_AGE.toNanos());
    assertThat(scrape())
        .contains("vmgroup_managed_vms{power_state=\"poweredOn\",vcenter=\"default\"} 5.0")
        .contains("vmgroup_managed_vms{power_state=\"poweredOff\",vcenter=\"default\"} 0.0");
  }

  @Test
  void groupsByReadinessAndInventorySync() {
    AtomicReference<Map<Readiness, Integer>> groups =
        new AtomicReference<>(Map.of(Readiness.TRUE, 2, Readiness.UNKNOWN, 1));
    boolean[] synced = {false};
    metrics.groups(groups::get).inventorySynced("default", () -> synced[0]);

    assertThat(scrape())
        .contains("vmgroup_groups{ready=\"true\"} 2.0")
        .contains("vmgroup_groups{ready=\"false\"} 0.0")
        .contains("vmgroup_groups{ready=\"unknown\"} 1.0")
        .contains("vmgroup_inventory_synced{vcenter=\"default\"} 0.0");

    synced[0] = true;
    groups.set(Map.of(Readiness.FALSE, 3));
    // within the snapshot age the counts are those of the same walk
    assertThat(scrape()).contains("vmgroup_groups{ready=\"true\"} 2.0");
    nanos.addAndGet(OperatorMetrics.SNAPSHOT_MAX_AGE.toNanos());
    assertThat(scrape())
        .contains("vmgroup_groups{ready=\"true\"} 0.0")
        .contains("vmgroup_groups{ready=\"false\"} 3.0")
        .contains("vmgroup_inventory_synced{vcenter=\"default\"} 1.0");
  }

  @Test
  void readinessComesFromTheConditionStatus() {
    assertThat(Readiness.of("True")).isEqualTo(Readiness.TRUE);
    assertThat(Readiness.of("False")).isEqualTo(Readiness.FALSE);
    assertThat(Readiness.of("Unknown")).isEqualTo(Readiness.UNKNOWN);
    assertThat(Readiness.of(null)).isEqualTo(Readiness.UNKNOWN);
  }
}
