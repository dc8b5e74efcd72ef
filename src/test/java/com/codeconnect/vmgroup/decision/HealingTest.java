package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The healing planner: limits, the brake, the shared maxUnavailable and what it never touches. */
class HealingTest {
  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  static final Healing.Policy POLICY =
      new Healing.Policy(Duration.ofMinutes(5), Duration.ofMinutes(10), new IntOrString("40%"));

  static VmInfo vm(int i) {
    return new VmInfo(
        new MoRef("VirtualMachine", "vm-" + i),
        "g-" + i,
        null,
        PowerState.POWERED_ON,
        1,
        1024,
        false,
        "u" + i,
        null,
        Map.of(),
        false,
        false,
        null);
  }

  static Readiness.Verdict ready() {
    return new Readiness.Verdict(true, true, "HeartbeatGreen", T0, T0, T0, null);
  }

  /** Was ready, not ready since {@code since}. */
  static Readiness.Verdict down(Instant since) {
    return new Readiness.Verdict(false, true, "HeartbeatRed", since, T0, T0, null);
  }

  static List<Healing.Member> members(Readiness.Verdict... verdicts) {
    List<Healing.Member> out = new ArrayList<>();
    for (int i = 0; i < verdicts.length; i++) {
      out.add(new Healing.Member(vm(i), verdicts[i], true, false));
    }
    return out;
  }

  static Healing.Group group(int replicas, int maxUnavailable) {
    return new Healing.Group(replicas, maxUnavailable, false, Healing.Vcenter.REACHABLE, false);
  }

  static final Instant NOW = T0.plus(Duration.ofHours(1));

  @Test
  void aVmNotReadyPastUnhealthyAfterIsReplacedOneBeforeIsNot() {
    Healing.Result r =
        Healing.plan(
            POLICY,
            group(5, 1),
            members(
                ready(), down(NOW.minusSeconds(301)), down(NOW.minusSeconds(60)), ready(), ready()),
            Set.of(),
            NOW);
    assertThat(r.replacements()).extracting(Action::target).containsExactly("g-1");
    assertThat(r.replacements().get(0).reason()).contains("not ready for 5m1s", "HeartbeatRed");
    assertThat(r.recheckAt()).isEqualTo(NOW.minusSeconds(60).plus(Duration.ofMinutes(5)));
  }

  @Test
  void aNewVmGetsStartupTimeout() {
    Readiness.Verdict neverReady =
        new Readiness.Verdict(
            false, true, "ToolsNotRunning", NOW.minusSeconds(400), null, null, null);
    Healing.Result r =
        Healing.plan(POLICY, group(2, 1), members(ready(), neverReady), Set.of(), NOW);
    assertThat(r.replacements()).isEmpty();
    assertThat(r.recheckAt()).isEqualTo(NOW.minusSeconds(400).plus(Duration.ofMinutes(10)));
  }

  @Test
  void theBrakeHoldsWhenMoreAreUnhealthyThanMaxUnhealthyRoundedDown() {
    Instant long_ago = NOW.minusSeconds(600);
    // 40% of 5 = 2: two are tolerated, three are not
    Healing.Result two =
        Healing.plan(
            POLICY,
            group(5, 5),
            members(down(long_ago), down(long_ago), ready(), ready(), ready()),
            Set.of(),
            NOW);
    assertThat(two.problem()).isNull();
    assertThat(two.replacements()).hasSize(2);
    Healing.Result three =
        Healing.plan(
            POLICY,
            group(5, 5),
            members(down(long_ago), down(long_ago), down(long_ago), ready(), ready()),
            Set.of(),
            NOW);
    assertThat(three.replacements()).isEmpty();
    assertThat(three.problem().reason()).isEqualTo(Problem.Reason.TooManyUnhealthy);
    assertThat(three.problem().message()).contains("3 of 5 VMs are unhealthy", "(2)", "g-0", "g-2");
    assertThat(new Healing.Policy(null, null, new IntOrString("30%")).allowedUnhealthy(4))
        .isEqualTo(1);
  }

  @Test
  void replacementsShareMaxUnavailableWithRemovalsAndAtLeastOneMayGo() {
    Instant longAgo = NOW.minusSeconds(600);
    List<Healing.Member> m =
        members(down(longAgo), down(longAgo), ready(), ready(), ready(), ready());
    Healing.Policy lenient =
        new Healing.Policy(Duration.ofMinutes(5), Duration.ofMinutes(10), new IntOrString(6));
    assertThat(Healing.plan(lenient, group(6, 2), m, Set.of(), NOW).replacements()).hasSize(2);
    // a rollout's removal in flight spends one of the two
    Healing.Result shared = Healing.plan(lenient, group(6, 2), m, Set.of("g-5"), NOW);
    assertThat(shared.replacements()).hasSize(1);
    assertThat(shared.waiting()).isEqualTo(1);
    // maxUnavailable 0 (surge only) still heals, one at a time
    assertThat(Healing.plan(lenient, group(6, 0), m, Set.of(), NOW).replacements()).hasSize(1);
  }

  @Test
  void nothingIsReplacedWhilePausedVcenterIsUnreachableStateIsUnknownOrWithoutAPolicy() {
    Instant longAgo = NOW.minusSeconds(600);
    List<Healing.Member> m = members(down(longAgo), ready(), ready());
    assertThat(
            Healing.plan(
                    POLICY,
                    new Healing.Group(3, 1, true, Healing.Vcenter.REACHABLE, false),
                    m,
                    Set.of(),
                    NOW)
                .replacements())
        .isEmpty();
    assertThat(
            Healing.plan(
                    POLICY,
                    new Healing.Group(3, 1, false, Healing.Vcenter.UNREACHABLE, false),
                    m,
                    Set.of(),
                    NOW)
                .replacements())
        .isEmpty();
    assertThat(Healing.plan(null, group(3, 1), m, Set.of(), NOW).replacements()).isEmpty();
    Readiness.Verdict unknown =
        new Readiness.Verdict(false, false, Readiness.UNKNOWN, longAgo, T0, null, null);
    assertThat(
            Healing.plan(POLICY, group(3, 1), members(unknown, unknown, unknown), Set.of(), NOW)
                .replacements())
        .isEmpty();
  }

  @Test
  void composePutsReplacementsFirstAndDropsThePlansActionsOnReplacedVms() {
    ReplicaPlan.Result plan =
        new ReplicaPlan.Result(
            List.of(new Action.PowerOn(vm(1)), new Action.Clone(7, "g-7")), 0, 0, false, 0, 0);
    Healing.Result healing =
        new Healing.Result(List.of(new Action.Replace(vm(1), "why")), List.of(), null, 0, null);
    assertThat(Healing.compose(plan, healing))
        .extracting(a -> a.getClass().getSimpleName())
        .containsExactly("Replace", "Clone");
  }
}
