package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec;
import com.codeconnect.vmgroup.vsphere.MoRef;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The group's anti-affinity rule: its name, its membership and what proves it is the group's. */
class AntiAffinityTest {
  static final MoRef A = new MoRef("VirtualMachine", "vm-1");
  static final MoRef B = new MoRef("VirtualMachine", "vm-2");
  static final MoRef C = new MoRef("VirtualMachine", "vm-3");
  static final MoRef STRANGER = new MoRef("VirtualMachine", "vm-99");
  static final String NAME = AntiAffinity.ruleName("ns", "web", "uid-1");

  static AntiAffinity.Decision diff(
      PlacementSpec.AntiAffinity policy, List<MoRef> members, List<AntiAffinity.Rule> rules) {
    return AntiAffinity.diff(policy, NAME, members, rules, Set.of(A, B, C), "DC0_C0");
  }

  @Test
  void theNameIsDeterministicFromTheGroupAndWithinVcentersLimit() {
    assertThat(NAME).startsWith("vmgroup-ns-web-").hasSize("vmgroup-ns-web-".length() + 8);
    assertThat(AntiAffinity.ruleName("ns", "web", "uid-1")).isEqualTo(NAME);
    assertThat(AntiAffinity.ruleName("ns", "web", "uid-2")).isNotEqualTo(NAME);
    String longName = AntiAffinity.ruleName("n".repeat(63), "g".repeat(63), "uid");
    assertThat(longName.length()).isLessThanOrEqualTo(80);
  }

  @Test
  void membershipChangesAreOneEditAddingAndRemovalFollowThePolicy() {
    AntiAffinity.Decision add = diff(PlacementSpec.AntiAffinity.Required, List.of(A, B), List.of());
    assertThat(add.change()).isEqualTo(new AntiAffinity.Change.Add(NAME, true, List.of(A, B)));
    AntiAffinity.Rule mine = new AntiAffinity.Rule(7, NAME, true, true, true, List.of(A, B));
    assertThat(diff(PlacementSpec.AntiAffinity.Required, List.of(A, B), List.of(mine)).change())
        .isNull();
    assertThat(diff(PlacementSpec.AntiAffinity.Required, List.of(A, B, C), List.of(mine)).change())
        .isEqualTo(new AntiAffinity.Change.Edit(7, NAME, true, List.of(A, B, C)));
    assertThat(diff(PlacementSpec.AntiAffinity.Preferred, List.of(A, B), List.of(mine)).change())
        .isEqualTo(new AntiAffinity.Change.Edit(7, NAME, false, List.of(A, B)));
    assertThat(diff(PlacementSpec.AntiAffinity.None, List.of(A, B), List.of(mine)).change())
        .isEqualTo(new AntiAffinity.Change.Remove(7));
    // one VM left: a rule of one keeps nothing apart
    assertThat(diff(PlacementSpec.AntiAffinity.Required, List.of(A), List.of(mine)).change())
        .isEqualTo(new AntiAffinity.Change.Remove(7));
  }

  @Test
  void aRuleOfTheNameWithAStrangerOrOfAnotherKindIsNeverTouched() {
    AntiAffinity.Rule copied = new AntiAffinity.Rule(8, NAME, true, false, true, List.of(STRANGER));
    AntiAffinity.Decision d = diff(PlacementSpec.AntiAffinity.None, List.of(A, B), List.of(copied));
    assertThat(d.change()).isNull();
    assertThat(d.problem().reason()).isEqualTo(Problem.Reason.AntiAffinityNotApplicable);
    AntiAffinity.Rule affinity = new AntiAffinity.Rule(9, NAME, true, false, false, List.of(A, B));
    assertThat(diff(PlacementSpec.AntiAffinity.Required, List.of(A, B), List.of(affinity)).change())
        .isNull();
    AntiAffinity.Rule similar =
        new AntiAffinity.Rule(10, NAME + "x", true, true, true, List.of(A, B));
    assertThat(diff(PlacementSpec.AntiAffinity.None, List.of(A, B), List.of(similar)).change())
        .isNull();
  }

  @Test
  void applicabilityNamesWhyDrsCantKeepTheVmsApart() {
    assertThat(
            AntiAffinity.applicability(PlacementSpec.AntiAffinity.Preferred, "H0", false, 1, 3)
                .message())
        .contains("DRS", "H0");
    assertThat(
            AntiAffinity.applicability(PlacementSpec.AntiAffinity.Required, "C0", true, 3, 4)
                .message())
        .contains("3 hosts for 4 VMs");
    assertThat(AntiAffinity.applicability(PlacementSpec.AntiAffinity.Preferred, "C0", true, 3, 4))
        .isNull();
    assertThat(AntiAffinity.applicability(PlacementSpec.AntiAffinity.None, "H0", false, 1, 3))
        .isNull();
  }
}
