package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.AllowedNamespaces;
import com.codeconnect.vmgroup.decision.EndpointSelector.Candidate;
import com.codeconnect.vmgroup.decision.EndpointSelector.Choice;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointSelectorTest {
  static final Candidate A = new Candidate("site-a", AllowedNamespaces.named("team-a", "shared"));
  static final Candidate B =
      new Candidate(
          "site-b",
          AllowedNamespaces.matching(
              new LabelSelectorBuilder().addToMatchLabels("site", "b").build()));
  static final Candidate CLOSED = new Candidate("closed", null);
  static final List<Candidate> ALL = List.of(B, A, CLOSED);

  private static Choice select(
      String ns, String requested, Map<String, String> labels, String own) {
    return EndpointSelector.select(ns, requested, ALL, labels, own);
  }

  @Test
  void theOneVCenterAllowingTheNamespaceIsChosenByNameOrLabel() {
    assertThat(select("team-a", null, Map.of(), "default").name()).isEqualTo("site-a");
    assertThat(select("team-b", null, Map.of("site", "b"), "default").name()).isEqualTo("site-b");
  }

  @Test
  void withoutAnyMatchTheOperatorsOwnVCenterTakesTheGroupOrTheProblemSaysWhy() {
    assertThat(select("team-c", null, Map.of(), "default").name()).isEqualTo("default");
    Choice none = select("team-c", null, Map.of(), null);
    assertThat(none.name()).isNull();
    assertThat(none.problem().reason()).isEqualTo(Problem.Reason.VCenterNotFound);
    assertThat(none.problem().message()).contains("team-c");
  }

  @Test
  void twoMatchesAreAmbiguousAndNamedUnlessTheSpecChooses() {
    Choice both = select("shared", null, Map.of("site", "b"), "default");
    assertThat(both.problem().reason()).isEqualTo(Problem.Reason.VCenterAmbiguous);
    assertThat(both.problem().message()).contains("site-a", "site-b", "spec.vcenter");
    assertThat(select("shared", "site-b", Map.of("site", "b"), "default").name())
        .isEqualTo("site-b");
  }

  @Test
  void aNamedVCenterMustExistAndAllowTheNamespace() {
    Choice unknown = select("team-a", "nope", Map.of(), "default");
    assertThat(unknown.problem().reason()).isEqualTo(Problem.Reason.VCenterNotFound);
    assertThat(unknown.problem().message()).contains("'nope'", "site-a", "site-b", "'default'");
    Choice forbidden = select("team-a", "site-b", Map.of(), "default");
    assertThat(forbidden.problem().reason()).isEqualTo(Problem.Reason.VCenterNotAllowed);
    assertThat(select("team-a", "closed", Map.of(), "default").problem().reason())
        .as("no allowedNamespaces allows nobody")
        .isEqualTo(Problem.Reason.VCenterNotAllowed);
  }

  @Test
  void theOperatorsOwnVCenterCanBeNamedAndAResourceOfThatNameTakesItsPlace() {
    assertThat(select("team-a", "default", Map.of(), "default").name()).isEqualTo("default");
    assertThat(select("team-a", "default", Map.of(), null).problem().reason())
        .isEqualTo(Problem.Reason.VCenterNotFound);
    Candidate shadow = new Candidate("default", AllowedNamespaces.named("other"));
    assertThat(
            EndpointSelector.select("team-a", "default", List.of(shadow), Map.of(), "default")
                .problem()
                .reason())
        .isEqualTo(Problem.Reason.VCenterNotAllowed);
    assertThat(
            EndpointSelector.select("team-a", null, List.of(shadow), Map.of(), "default")
                .problem()
                .reason())
        .as("no fallback to the own vCenter's name when a resource holds it")
        .isEqualTo(Problem.Reason.VCenterNotFound);
  }

  @Test
  void anUnknownNamespaceIsAllowedOnlyByName() {
    assertThat(select("team-b", null, null, "default").name())
        .as("labels not known: the selector can't match")
        .isEqualTo("default");
    assertThat(select("team-a", null, null, "default").name()).isEqualTo("site-a");
  }
}
