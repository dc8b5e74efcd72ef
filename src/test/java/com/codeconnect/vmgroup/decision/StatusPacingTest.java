package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import com.codeconnect.vmgroup.api.v1alpha1.VmStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusPacingTest {
  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  /** A group of three being made: {@code ready} of them running, one more cloning. */
  static VmGroupStatus making(int ready, String error) {
    List<VmStatus> vms = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String phase = i < ready ? VmStatus.RUNNING : i == ready ? VmStatus.CLONING : null;
      if (phase != null) {
        vms.add(
            new VmStatus("g-" + i, null, null, null, null, null, phase, i == ready ? error : null));
      }
    }
    VmGroupStatus s =
        StatusBuilder.build(
            new StatusBuilder.Observation(
                1, 3, ready, ready, ready, 1, 0, 0, "cloning g-" + ready, null, false, vms),
            null,
            T0);
    s.setPlacement("DC0/Resources");
    s.setVcenter("default");
    return s;
  }

  static VmGroupStatus ready() {
    VmGroupStatus s = StatusBuilder.build(StatusBuilderTest.converged(1), null, T0);
    s.setPlacement("DC0/Resources");
    s.setVcenter("default");
    return s;
  }

  @Test
  void progressRightAfterAWriteWaitsForTheRestOfTheInterval() {
    Duration hold = StatusPacing.hold(making(0, null), making(1, null), T0, T0.plusMillis(300));
    assertThat(hold).isEqualTo(Duration.ofMillis(700));
  }

  @Test
  void progressOnceTheIntervalIsOverIsWrittenAtOnce() {
    assertThat(StatusPacing.hold(making(0, null), making(1, null), T0, T0.plusSeconds(1))).isNull();
    assertThat(StatusPacing.hold(making(0, null), making(1, null), T0, T0.plusSeconds(5))).isNull();
  }

  @Test
  void aStatusNotWrittenSinceStartIsWrittenAtOnce() {
    assertThat(StatusPacing.hold(making(0, null), making(1, null), null, T0)).isNull();
    assertThat(StatusPacing.hold(null, making(1, null), T0, T0)).isNull();
  }

  @Test
  void becomingReadyIsWrittenAtOnce() {
    assertThat(StatusPacing.significant(making(2, null), ready())).isTrue();
    assertThat(StatusPacing.hold(making(2, null), ready(), T0, T0.plusMillis(10))).isNull();
  }

  @Test
  void aVmErrorIsWrittenAtOnceButTheSameErrorAgainIsProgress() {
    assertThat(StatusPacing.significant(making(1, null), making(1, "clone failed: no space")))
        .isTrue();
    assertThat(
            StatusPacing.significant(
                making(1, "clone failed: no space"), making(1, "clone failed: no space")))
        .isFalse();
  }

  @Test
  void aProblemANewGenerationOrAMoveIsWrittenAtOnce() {
    VmGroupStatus degraded =
        StatusBuilder.build(
            new StatusBuilder.Observation(
                1,
                3,
                1,
                1,
                0,
                0,
                null,
                new Problem(Problem.Reason.TemplateNotFound, "template 'x' not found")),
            null,
            T0);
    degraded.setPlacement("DC0/Resources");
    degraded.setVcenter("default");
    assertThat(StatusPacing.significant(making(1, null), degraded)).isTrue();

    VmGroupStatus newGeneration = making(1, null);
    newGeneration.setObservedGeneration(2L);
    assertThat(StatusPacing.significant(making(1, null), newGeneration)).isTrue();

    VmGroupStatus moved = making(1, null);
    moved.setVcenter("other");
    assertThat(StatusPacing.significant(making(1, null), moved)).isTrue();
  }

  @Test
  void countsMessagesAndVmPhasesAreProgress() {
    assertThat(StatusPacing.significant(making(0, null), making(1, null))).isFalse();
  }
}
