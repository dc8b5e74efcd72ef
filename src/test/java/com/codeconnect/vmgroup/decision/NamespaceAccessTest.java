package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.AllowedNamespaces;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamespaceAccessTest {
  @Test
  void nothingSetAllowsNoNamespaceAndAnEmptySelectorAllowsAll() {
    assertThat(NamespaceAccess.allows(null, "a", Map.of())).isFalse();
    assertThat(NamespaceAccess.allows(new AllowedNamespaces(), "a", Map.of())).isFalse();
    AllowedNamespaces all = AllowedNamespaces.matching(new LabelSelector());
    assertThat(NamespaceAccess.allows(all, "a", Map.of())).isTrue();
    assertThat(NamespaceAccess.allows(all, "a", null)).as("labels unknown").isFalse();
  }

  @Test
  void theListAllowsByName() {
    AllowedNamespaces list = AllowedNamespaces.named("a", "b");
    assertThat(NamespaceAccess.allows(list, "b", null)).isTrue();
    assertThat(NamespaceAccess.allows(list, "c", Map.of())).isFalse();
  }

  @Test
  void matchLabelsAndEveryExpressionOperatorFollowKubernetes() {
    LabelSelector s =
        new LabelSelectorBuilder()
            .addToMatchLabels("env", "prod")
            .addNewMatchExpression()
            .withKey("site")
            .withOperator("In")
            .withValues("a", "b")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("tier")
            .withOperator("NotIn")
            .withValues("test")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("team")
            .withOperator("Exists")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("frozen")
            .withOperator("DoesNotExist")
            .endMatchExpression()
            .build();
    Map<String, String> ok = Map.of("env", "prod", "site", "a", "team", "x");
    assertThat(NamespaceAccess.matches(s, ok)).isTrue();
    assertThat(NamespaceAccess.matches(s, Map.of("env", "dev", "site", "a", "team", "x")))
        .isFalse();
    assertThat(NamespaceAccess.matches(s, Map.of("env", "prod", "site", "c", "team", "x")))
        .isFalse();
    assertThat(
            NamespaceAccess.matches(
                s, Map.of("env", "prod", "site", "a", "team", "x", "tier", "test")))
        .isFalse();
    assertThat(NamespaceAccess.matches(s, Map.of("env", "prod", "site", "a"))).isFalse();
    assertThat(
            NamespaceAccess.matches(
                s, Map.of("env", "prod", "site", "a", "team", "x", "frozen", "")))
        .isFalse();
  }
}
