package com.codeconnect.vmgroup.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The checked-in CRD (which the build keeps equal to the generated one) says what users need. */
class CrdSchemaTest {
  static final Path CRD = Path.of("deploy/crd/vmgroups.vm.codeconnect.vmworld.com-v1.yml");
  static CustomResourceDefinition crd;
  static CustomResourceDefinitionVersion version;
  static JSONSchemaProps spec;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = Files.newInputStream(CRD)) {
      crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
    version = crd.getSpec().getVersions().get(0);
    spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  @Test
  void namesMatchTheSeed() {
    assertThat(crd.getSpec().getGroup()).isEqualTo("vm.codeconnect.vmworld.com");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("VmGroup");
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("vmgroups");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("vg");
    assertThat(version.getName()).isEqualTo("v1alpha1");
    assertThat(version.getServed()).isTrue();
    assertThat(version.getStorage()).isTrue();
  }

  @Test
  void specRulesAreInTheSchema() {
    assertThat(spec.getRequired()).containsExactlyInAnyOrder("cpu", "memory", "replicas");
    // template or source, exactly one: a rule, as the schema's required can't say "one of"
    assertThat(CrdSchemaWalker.celRules(spec))
        .anyMatch(r -> r.endsWith(" has(self.template) != has(self.source)"));
    assertRange("cpu", 1, 768);
    JSONSchemaProps memory = spec.getProperties().get("memory");
    assertThat(memory.getXKubernetesIntOrString()).isTrue();
    assertThat(memory.getXKubernetesValidations())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getRule())
                    .isEqualTo(
                        "type(self) == int ? self >= 1 && self <= 24576"
                            + " : self.matches('^[0-9]+([.][0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$')"));
    assertThat(spec.getProperties().get("replicas").getMinimum()).isEqualTo(0.0);
    assertThat(spec.getProperties().get("replicas").getMaximum()).isNull();
    assertThat(spec.getProperties().get("template").getPattern()).isEqualTo("\\S");
    assertThat(spec.getProperties().values())
        .allSatisfy(p -> assertThat(p.getDescription()).isNotBlank());
  }

  @Test
  void rulesSpanningFieldsAreCelValidations() {
    JSONSchemaProps strategy = spec.getProperties().get("updateStrategy");
    assertThat(strategy.getXKubernetesValidations())
        .singleElement()
        .satisfies(r -> assertThat(r.getRule()).contains("self.type == 'RollingUpdate'"));
    JSONSchemaProps rolling = strategy.getProperties().get("rollingUpdate");
    assertThat(rolling.getXKubernetesValidations())
        .singleElement()
        .satisfies(r -> assertThat(r.getMessage()).contains("must not both be 0"));
    for (String limit : java.util.List.of("maxUnavailable", "maxSurge")) {
      JSONSchemaProps p = rolling.getProperties().get(limit);
      assertThat(p.getXKubernetesIntOrString()).isTrue();
      assertThat(p.getXKubernetesValidations())
          .singleElement()
          .satisfies(r -> assertThat(r.getRule()).contains("matches('^(100|[1-9]?[0-9])%$')"));
    }
    assertThat(strategy.getProperties().get("type").getEnum())
        .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
        .containsExactlyInAnyOrder("RollingUpdate", "Recreate", "OnDelete");
    assertThat(spec.getProperties().get("cloneMode").getEnum())
        .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
        .containsExactlyInAnyOrder("full", "linked");
  }

  @Test
  void theNewFieldsAreOptionalDescribedAndBounded() {
    JSONSchemaProps networks = spec.getProperties().get("networks");
    assertThat(networks.getMaxItems()).isEqualTo(10L);
    JSONSchemaProps addresses = networks.getItems().getSchema().getProperties().get("addresses");
    assertThat(addresses.getProperties())
        .containsOnlyKeys("ranges", "cidrs", "prefix", "gateway", "dnsServers", "searchDomains");
    assertThat(spec.getProperties().get("extraDisks").getMaxItems()).isEqualTo(14L);
    assertThat(
            spec.getProperties()
                .get("extraDisks")
                .getItems()
                .getSchema()
                .getProperties()
                .get("provisioning")
                .getEnum())
        .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
        .containsExactlyInAnyOrder("thin", "thick");
    assertThat(spec.getProperties().get("disk").getProperties().get("sizeGiB").getMaximum())
        .isEqualTo(63488.0);
    assertThat(spec.getProperties().get("coresPerSocket").getMaximum()).isEqualTo(768.0);
    described(spec, "spec");
  }

  /** Every field says what it is: the descriptions are kubectl explain and the API reference. */
  private static void described(JSONSchemaProps p, String path) {
    if (p.getProperties() != null) {
      p.getProperties()
          .forEach(
              (k, v) -> {
                assertThat(v.getDescription()).as(path + "." + k).isNotBlank();
                described(v, path + "." + k);
              });
    }
    if (p.getItems() != null && p.getItems().getSchema() != null) {
      described(p.getItems().getSchema(), path + "[]");
    }
  }

  @Test
  void theNewRulesSpanningFieldsAreCelValidations() {
    assertThat(spec.getXKubernetesValidations())
        .extracting(r -> r.getRule())
        .contains(
            "!has(self.coresPerSocket) || self.cpu % self.coresPerSocket == 0",
            "!has(self.disk) || !has(self.disk.sizeGiB) || !has(self.cloneMode)"
                + " || self.cloneMode != 'linked'")
        .anyMatch(r -> r.contains("self.networks.all(n, !has(n.addresses))"));
    JSONSchemaProps bootstrap = spec.getProperties().get("bootstrap");
    assertThat(bootstrap.getXKubernetesValidations())
        .singleElement()
        .satisfies(r -> assertThat(r.getMessage()).contains("at most one of cloudInit"));
    assertThat(bootstrap.getProperties().get("cloudInit").getXKubernetesValidations())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getRule())
                    .isEqualTo("has(self.userData) != has(self.userDataSecretRef)"));
    JSONSchemaProps addresses =
        spec.getProperties()
            .get("networks")
            .getItems()
            .getSchema()
            .getProperties()
            .get("addresses");
    assertThat(addresses.getXKubernetesValidations())
        .extracting(r -> r.getRule())
        .containsExactlyInAnyOrder(
            "has(self.ranges) || has(self.cidrs)", "has(self.prefix) || has(self.cidrs)");
  }

  @Test
  void scaleSubresourceReadsTheObservedCount() {
    assertThat(version.getSubresources().getStatus()).isNotNull();
    assertThat(version.getSubresources().getScale().getSpecReplicasPath())
        .isEqualTo(".spec.replicas");
    assertThat(version.getSubresources().getScale().getStatusReplicasPath())
        .isEqualTo(".status.currentReplicas");
  }

  @Test
  void memoryShowsAsWrittenWholeGibOrAQuantity() {
    assertThat(version.getAdditionalPrinterColumns())
        .filteredOn(c -> c.getName().equals("Memory"))
        .singleElement()
        .satisfies(c -> assertThat(c.getType()).isEqualTo("string"));
  }

  @Test
  void printerColumnsAreTheSeedsInTheSeedsOrderWithReadyBesideTheCounts() {
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly(
            "Phase", "Current", "Ready", "Desired", "CPU", "Memory", "Template", "Last_Message");
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getJsonPath)
        .containsExactly(
            ".status.phase",
            ".status.currentReplicas",
            ".status.readyReplicas",
            ".spec.replicas",
            ".spec.cpu",
            ".spec.memory",
            ".spec.template",
            ".status.lastMessage");
  }

  @Test
  void statusHasConditionsAndObservedGeneration() {
    JSONSchemaProps status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
    assertThat(status.getProperties())
        .containsKeys(
            "phase",
            "currentReplicas",
            "desiredReplicas",
            "readyReplicas",
            "lastMessage",
            "observedGeneration",
            "conditions");
  }

  private static void assertRange(String field, double min, double max) {
    JSONSchemaProps p = spec.getProperties().get(field);
    assertThat(p.getType()).isEqualTo("integer");
    assertThat(p.getMinimum()).isEqualTo(min);
    assertThat(p.getMaximum()).isEqualTo(max);
  }
}
