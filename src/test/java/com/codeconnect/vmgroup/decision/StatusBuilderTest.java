package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusBuilderTest {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  static final Instant T1 = Instant.parse("2026-11-25T10:05:00Z");

  static StatusBuilder.Observation converged(long generation) {
    return new StatusBuilder.Observation(generation, 3, 3, 3, 0, 0, null, null);
  }

  @Test
  void convergedGroupIsRunningAndReady() {
    VmGroupStatus s = StatusBuilder.build(converged(2), null, T0);
    assertThat(s.getPhase()).isEqualTo("RUNNING");
    assertThat(s.getCurrentReplicas()).isEqualTo(3);
    assertThat(s.getDesiredReplicas()).isEqualTo(3);
    assertThat(s.getReadyReplicas()).isEqualTo(3);
    assertThat(s.getObservedGeneration()).isEqualTo(2);
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("AllReplicasReady");
    assertThat(condition(s, "Progressing").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Degraded").getStatus()).isEqualTo("False");
    assertThat(s.getConditions()).allMatch(c -> c.getObservedGeneration() == 2);
    assertThat(s.getLastMessage()).isEqualTo("3 of 3 VMs ready (3 exist)");
  }

  @Test
  void missingTemplateIsAnErrorNamingIt() {
    Problem p =
        new Problem(
            Problem.Reason.TemplateNotFound,
            "template 'doesNotExist' not found in datacenter 'DC0'");
    VmGroupStatus s =
        StatusBuilder.build(new StatusBuilder.Observation(1, 2, 0, 0, 0, 0, null, p), null, T0);
    assertThat(s.getPhase()).isEqualTo("ERROR");
    assertThat(s.getLastMessage()).contains("doesNotExist").contains("DC0");
    assertThat(condition(s, "Degraded").getReason()).isEqualTo("TemplateNotFound");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Progressing").getReason()).isEqualTo("Blocked");
  }

  @Test
  void workInFlightIsPendingAndProgressing() {
    VmGroupStatus s =
        StatusBuilder.build(
            new StatusBuilder.Observation(1, 3, 1, 0, 2, 1, "clone vg-1, clone vg-2", null),
            null,
            T0);
    assertThat(s.getPhase()).isEqualTo("PENDING");
    assertThat(condition(s, "Progressing").getStatus()).isEqualTo("True");
    assertThat(s.getLastMessage()).isEqualTo("clone vg-1, clone vg-2");
  }

  @Test
  void transitionTimeMovesOnlyWhenStatusFlips() {
    VmGroupStatus first = StatusBuilder.build(converged(1), null, T0);
    VmGroupStatus same = StatusBuilder.build(converged(1), first, T1);
    assertThat(same).isEqualTo(first);
    assertThat(condition(same, "Ready").getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z");

    VmGroupStatus scaling =
        StatusBuilder.build(new StatusBuilder.Observation(2, 5, 3, 3, 2, 0, null, null), first, T1);
    assertThat(condition(scaling, "Ready").getLastTransitionTime())
        .isEqualTo("2026-11-25T10:05:00Z");
    assertThat(condition(scaling, "Degraded").getLastTransitionTime())
        .isEqualTo("2026-11-25T10:00:00Z");
  }

  @Test
  void invalidSpecHasNoDesiredCount() {
    VmGroupStatus s =
        StatusBuilder.build(
            new StatusBuilder.Observation(
                1,
                null,
                0,
                0,
                0,
                0,
                null,
                new Problem(Problem.Reason.InvalidSpec, "invalid spec: spec.cpu is required")),
            null,
            T0);
    assertThat(s.getPhase()).isEqualTo("ERROR");
    assertThat(s.getDesiredReplicas()).isNull();
    assertThat(condition(s, "Ready").getMessage()).isEqualTo("spec is invalid");
  }

  @Test
  void perVmListShowsWhatEachVmIsDoing() {
    ReplicaPlan.Desired desired = new ReplicaPlan.Desired("vg", 3, 2, 2048, true);
    var ready = com.codeconnect.vmgroup.testing.Vms.ready(0);
    var resizing =
        com.codeconnect.vmgroup.testing.Vms.vm(
            1, com.codeconnect.vmgroup.vsphere.PowerState.POWERED_ON, 1, 1024);
    var surplus = com.codeconnect.vmgroup.testing.Vms.ready(5);
    var vms =
        StatusBuilder.vms(
            desired,
            java.util.List.of(surplus, resizing, ready),
            java.util.Map.of(
                "vg-1", new Action.PowerOff(resizing, Action.PowerOff.Purpose.RESIZE),
                "vg-2", new Action.Clone(2, "vg-2")),
            java.util.Map.of("vg-7", "clone 'vg-7' failed: NoDiskSpace: datastore full"));
    assertThat(vms)
        .extracting(
            com.codeconnect.vmgroup.api.v1alpha1.VmStatus::getName,
            com.codeconnect.vmgroup.api.v1alpha1.VmStatus::getPhase)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("vg-0", "Running"),
            org.assertj.core.groups.Tuple.tuple("vg-1", "Updating"),
            org.assertj.core.groups.Tuple.tuple("vg-2", "Cloning"),
            // a surplus VM keeps running until its removal starts
            org.assertj.core.groups.Tuple.tuple("vg-5", "Running"),
            org.assertj.core.groups.Tuple.tuple("vg-7", "Failed"));
    assertThat(vms.get(0).getPowerState()).isEqualTo("poweredOn");
    assertThat(vms.get(0).getInstanceUuid()).isEqualTo("uuid-0");
    assertThat(vms.get(4).getLastError()).contains("datastore full");
  }

  @Test
  void pausedGroupSaysWhatIsHeldBack() {
    VmGroupStatus s =
        StatusBuilder.build(
            new StatusBuilder.Observation(
                3, 3, 1, 1, 1, 0, 2, 0, null, null, true, java.util.List.of()),
            null,
            T0);
    assertThat(s.getPhase()).isEqualTo("PENDING");
    assertThat(condition(s, "Progressing").getReason()).isEqualTo("Paused");
    assertThat(s.getLastMessage()).contains("paused").contains("2 vCenter changes");
  }

  private static Condition condition(VmGroupStatus s, String type) {
    return StatusBuilder.find(s.getConditions(), type);
  }
}
