package com.codeconnect.vmgroup.controller.vmgroup;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.GuestInfoCheck;
import com.codeconnect.vmgroup.api.v1alpha1.HealthCheckSpec;
import com.codeconnect.vmgroup.api.v1alpha1.ReadinessSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmStatus;
import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.ToolsStatus;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Readiness from the guest, healing with its brake and a rollout's progress deadline, through the
 * reconcile's steps on the in-memory vCenter, with a hand-moved clock: what vCenter has after each
 * step is what is asserted.
 */
class HealingStepsTest {
  static final String NEW_TEMPLATE = "vm-operator-template-2";

  private static Steps steps() {
    return new Steps(
        false,
        8,
        b ->
            b.templates("vm-operator-template", NEW_TEMPLATE)
                .guestReadyAfter(Duration.ofSeconds(5)));
  }

  private static VmGroup heartbeatGroup(String name, int replicas, String maxUnhealthy) {
    VmGroup g = Steps.group(name, replicas);
    g.getSpec().setReadiness(new ReadinessSpec(ReadinessSpec.Mode.guestHeartbeat));
    g.getSpec()
        .setHealthCheck(
            new HealthCheckSpec(
                "1m",
                "2m",
                maxUnhealthy.endsWith("%")
                    ? new IntOrString(maxUnhealthy)
                    : new IntOrString(Integer.parseInt(maxUnhealthy))));
    return g;
  }

  /** Passes a second apart until every VM is ready by the group's readiness. */
  private static void untilReady(Steps steps, VmGroup g) {
    steps.converge(g, 30);
    for (int i = 0; i < 30 && !allReady(g); i++) {
      steps.clock.advance(Duration.ofSeconds(1));
      steps.reconcileAndRecord(g);
    }
    assertThat(allReady(g)).as("ready: %s", g.getStatus()).isTrue();
  }

  private static boolean allReady(VmGroup g) {
    return g.getStatus() != null
        && g.getStatus().getReadyReplicas() != null
        && g.getStatus().getReadyReplicas().equals(g.getSpec().getReplicas());
  }

  private static Map<String, String> uuids(Steps steps, VmGroup g) {
    return steps.vms(g).stream().collect(Collectors.toMap(VmInfo::name, VmInfo::instanceUuid));
  }

  /** Passes {@code every} apart for {@code total}; returns the actions they planned. */
  private static List<Action> run(Steps steps, VmGroup g, Duration total, Duration every) {
    List<Action> planned = new ArrayList<>();
    for (Duration t = Duration.ZERO; t.compareTo(total) < 0; t = t.plus(every)) {
      planned.addAll(steps.reconcileAndRecord(g).planned().plan().actions());
      steps.clock.advance(every);
    }
    return planned;
  }

  private static Condition condition(VmGroup g, String type) {
    return StatusBuilder.find(g.getStatus().getConditions(), type);
  }

  @Test
  void aVmWhoseHeartbeatTurnsRedIsReplacedAfterUnhealthyAfterOnce() {
    try (Steps steps = steps()) {
      VmGroup g = heartbeatGroup("heal", 3, "1");
      untilReady(steps, g);
      Map<String, String> before = uuids(steps, g);
      VmInfo sick =
          steps.vms(g).stream().filter(vm -> vm.name().equals("heal-1")).findFirst().get();
      steps.vcenter.admin().setGuest(sick.ref(), ToolsStatus.RUNNING, Heartbeat.RED);

      List<Action> early = run(steps, g, Duration.ofSeconds(55), Duration.ofSeconds(5));
      assertThat(early).noneMatch(a -> a instanceof Action.Replace);
      VmStatus entry =
          g.getStatus().getVms().stream()
              .filter(v -> v.getName().equals("heal-1"))
              .findFirst()
              .get();
      assertThat(entry.getReady()).isFalse();
      assertThat(entry.getReadyReason()).isEqualTo("HeartbeatRed");
      assertThat(g.getStatus().getReadyReplicas()).isEqualTo(2);

      List<Action> later = run(steps, g, Duration.ofMinutes(3), Duration.ofSeconds(1));
      assertThat(later.stream().filter(a -> a instanceof Action.Replace).map(Action::target))
          .isNotEmpty()
          .allMatch("heal-1"::equals);
      Map<String, String> after = uuids(steps, g);
      assertThat(after).containsOnlyKeys("heal-0", "heal-1", "heal-2");
      assertThat(after.get("heal-1")).isNotEqualTo(before.get("heal-1"));
      assertThat(after.get("heal-0")).isEqualTo(before.get("heal-0"));
      assertThat(after.get("heal-2")).isEqualTo(before.get("heal-2"));
      assertThat(steps.running(g)).hasSize(3);
      assertThat(g.getStatus().getReadyReplicas()).isEqualTo(3);
      // the replacement is ready, so one more stretch past the limits replaces nothing
      assertThat(run(steps, g, Duration.ofMinutes(3), Duration.ofSeconds(10)))
          .noneMatch(a -> a instanceof Action.Replace);
      assertThat(uuids(steps, g)).isEqualTo(after);
    }
  }

  @Test
  void moreUnhealthyThanMaxUnhealthyReplacesNothingAndSaysWhy() {
    try (Steps steps = steps()) {
      VmGroup g = heartbeatGroup("brake", 6, "30%");
      untilReady(steps, g);
      Map<String, String> before = uuids(steps, g);
      steps.vms(g).stream()
          .filter(vm -> List.of("brake-0", "brake-2", "brake-4").contains(vm.name()))
          .forEach(
              vm -> steps.vcenter.admin().setGuest(vm.ref(), ToolsStatus.RUNNING, Heartbeat.RED));

      List<Action> planned = run(steps, g, Duration.ofMinutes(4), Duration.ofSeconds(5));

      assertThat(planned).noneMatch(a -> a instanceof Action.Replace);
      assertThat(uuids(steps, g)).isEqualTo(before);
      assertThat(steps.running(g)).hasSize(6);
      Condition degraded = condition(g, StatusBuilder.DEGRADED);
      assertThat(degraded.getStatus()).isEqualTo("True");
      assertThat(degraded.getReason()).isEqualTo("TooManyUnhealthy");
      assertThat(degraded.getMessage())
          .contains("3 of 6 VMs are unhealthy", "(1)", "brake-0", "HeartbeatRed");
    }
  }

  @Test
  void aPausedGroupIsNotHealed() {
    try (Steps steps = steps()) {
      VmGroup g = heartbeatGroup("rest", 2, "1");
      untilReady(steps, g);
      Map<String, String> before = uuids(steps, g);
      steps
          .vms(g)
          .forEach(
              vm -> steps.vcenter.admin().setGuest(vm.ref(), ToolsStatus.RUNNING, Heartbeat.RED));
      g.getMetadata().setAnnotations(Map.of(VmGroup.PAUSED_ANNOTATION, "true"));

      List<Action> planned = run(steps, g, Duration.ofMinutes(4), Duration.ofSeconds(10));

      assertThat(planned).noneMatch(a -> a instanceof Action.Replace);
      assertThat(uuids(steps, g)).isEqualTo(before);
    }
  }

  @Test
  void aRolloutWhoseNewVmsNeverGetReadyStopsAtItsDeadlineWithTheOldVmsRunning() {
    try (Steps steps = steps()) {
      VmGroup g = Steps.group("deadline", 3);
      ReadinessSpec readiness = new ReadinessSpec(ReadinessSpec.Mode.guestInfo);
      GuestInfoCheck check = new GuestInfoCheck();
      check.setKey("guestinfo.vmgroup.ready");
      readiness.setGuestInfo(check);
      g.getSpec().setReadiness(readiness);
      g.getSpec().setProgressDeadlineSeconds(120);
      steps.converge(g, 30);
      // the old template's guests say they are ready; the new template's never will
      steps
          .vms(g)
          .forEach(
              vm ->
                  steps.vcenter.admin().setGuestInfo(vm.ref(), "guestinfo.vmgroup.ready", "true"));
      untilReady(steps, g);
      Function<VmGroup, Long> oldRunning =
          group ->
              steps.running(group).stream()
                  .filter(
                      vm -> "true".equals(vm.guest().guestInfo().get("guestinfo.vmgroup.ready")))
                  .count();

      g.getSpec().setTemplate(NEW_TEMPLATE);
      g.getMetadata().setGeneration(2L);
      run(steps, g, Duration.ofMinutes(5), Duration.ofSeconds(2));

      Condition progressing = condition(g, StatusBuilder.PROGRESSING);
      assertThat(progressing.getStatus()).isEqualTo("False");
      assertThat(progressing.getReason()).isEqualTo("ProgressDeadlineExceeded");
      assertThat(condition(g, StatusBuilder.DEGRADED).getMessage())
          .contains("no progress for 120s", "2 old VMs kept running", "GuestInfoNotSet");
      // maxUnavailable 1: one old VM made room for a new one, the other two still serve
      assertThat(oldRunning.apply(g)).isEqualTo(2);
      assertThat(steps.vms(g)).hasSize(3);
      // and stay so
      List<Action> planned = run(steps, g, Duration.ofMinutes(5), Duration.ofSeconds(10));
      assertThat(planned)
          .noneMatch(a -> a instanceof Action.Destroy || a instanceof Action.Replace);
      assertThat(oldRunning.apply(g)).isEqualTo(2);
    }
  }
}
