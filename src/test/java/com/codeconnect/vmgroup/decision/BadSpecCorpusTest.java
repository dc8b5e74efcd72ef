package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.BadSpecCorpus;
import com.codeconnect.vmgroup.api.BadSpecCorpus.Entry;
import com.codeconnect.vmgroup.api.CrdSchemaWalker;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.endpoint.TemplateResolver;
import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 7, scenario 10, offline half: every manifest of the bad-input corpus is read without an
 * exception, gets a message naming its problem from the operator's own validation (or is left to
 * the template lookup, as its header says), and where a real API server would refuse it, the
 * generated CRD schema has the rule that does.
 */
class BadSpecCorpusTest {
  private static final Path CRD = Path.of("deploy/crd/vmgroups.vm.codeconnect.vmworld.com-v1.yml");
  private static final int MAX_REPLICAS = OperatorSettings.defaults().maxReplicas();
  private static final Placement DC0 =
      new Placement(
          new DatacenterInfo(
              new MoRef("Datacenter", "datacenter-2"),
              "DC0",
              new MoRef("Folder", "group-4"),
              new MoRef("Folder", "group-5")),
          new MoRef("ResourcePool", "resgroup-1"),
          "/DC0/host/DC0_C0/Resources",
          null,
          null,
          new MoRef("Folder", "group-9"),
          "/DC0/vm/vm-operator");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static JSONSchemaProps schema;
  private static CustomResourceDefinition crd;

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = Files.newInputStream(CRD)) {
      crd = SERIALIZATION.unmarshal(in, CustomResourceDefinition.class);
      schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }
  }

  static List<Entry> corpus() {
    return BadSpecCorpus.all();
  }

  @Test
  void theCorpusIsBigAndCoversEveryKindOfMistake() {
    List<Entry> all = corpus();
    assertThat(all).hasSizeGreaterThanOrEqualTo(50);
    assertThat(all).extracting(Entry::name).doesNotHaveDuplicates();
    assertThat(all).filteredOn(e -> e.schema().endsWith(" type")).hasSizeGreaterThan(5);
    assertThat(all).filteredOn(e -> e.schema().equals("accepts")).hasSizeGreaterThan(10);
    assertThat(all).filteredOn(e -> e.apiServer() != null).isNotEmpty();
    assertThat(all).filteredOn(e -> !e.detectedOffline()).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void theOperatorNamesTheProblem(Entry e) {
    VmGroup group = SERIALIZATION.unmarshal(e.yaml(), VmGroup.class);
    List<String> problems = SpecValidator.validateGroup(group, MAX_REPLICAS);
    if (e.detectedOffline()) {
      assertThat(e.reason()).isEqualTo("InvalidSpec");
      // the reconciler's message for an invalid spec
      String message = "invalid spec: " + String.join("; ", problems);
      assertThat(problems).as("validation must refuse %s", e).isNotEmpty();
      assertThat(message).contains(e.messages());
      if (e.absent() != null) {
        assertThat(message).doesNotContain(e.absent());
      }
      return;
    }
    assertThat(problems).as("left to the template lookup").isEmpty();
    Problem outside =
        group.getSpec().getTemplate() == null
            ? null
            : TemplateResolver.outsideDatacenter(DC0, group.getSpec().getTemplate());
    if (e.reason().equals("InvalidSpec")) {
      assertThat(outside).isNotNull();
      assertThat(outside.reason()).isEqualTo(Problem.Reason.InvalidSpec);
      assertThat(outside.message()).contains(e.messages());
    } else {
      // found or not found is vCenter's answer: the integration test checks the message
      assertThat(outside).isNull();
      assertThat(e.reason())
          .isEqualTo(
              group.getSpec().getTemplate() == null ? "LibraryItemNotFound" : "TemplateNotFound");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void theGeneratedSchemaHasTheRuleThatRefusesIt(Entry e) {
    List<String> violations = CrdSchemaWalker.violations(schema, e.json());
    if (e.schema().equals("accepts")) {
      assertThat(violations).as("the schema lets %s through", e).isEmpty();
    } else {
      String rule = e.schema().substring("rejects ".length());
      assertThat(violations).as("schema violations of %s", e).contains(rule);
    }
    if (e.cel() != null) {
      assertThat(CrdSchemaWalker.celRules(schema)).anyMatch(r -> r.endsWith(" " + e.cel()));
    }
    if (e.apiServer() != null) {
      // a rule of the API server itself, which the operator repeats for servers that don't have it
      assertThat(e.apiServer()).isIn("rejects metadata.name", "rejects spec.replicas");
      String field = e.apiServer().substring("rejects ".length());
      if (field.equals("spec.replicas")) {
        // the server's rule comes with the scale subresource: an int32 at its replicas path
        assertThat(crd.getSpec().getVersions().get(0).getSubresources().getScale())
            .extracting(s -> s.getSpecReplicasPath())
            .isEqualTo(".spec.replicas");
      }
      VmGroup group = SERIALIZATION.unmarshal(e.yaml(), VmGroup.class);
      assertThat(SpecValidator.validateGroup(group, MAX_REPLICAS))
          .anyMatch(p -> p.startsWith(field));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void readingAndWritingBackKeepsTheSpecAsSent(Entry e) {
    VmGroup group = SERIALIZATION.unmarshal(e.yaml(), VmGroup.class);
    JsonNode written = SERIALIZATION.convertValue(group, JsonNode.class).get("spec");
    JsonNode sent = e.json().get("spec");
    if (sent instanceof ObjectNode o) {
      sent = o.deepCopy();
      // the API server drops nulls too
      ((ObjectNode) sent).properties().removeIf(f -> f.getValue().isNull());
    }
    assertThat(written).isEqualTo(sent);
    // and a copy (JOSDK clones through JSON) is still as invalid, for the same reasons
    VmGroup copy = SERIALIZATION.clone(group);
    assertThat(SpecValidator.validateGroup(copy, MAX_REPLICAS))
        .isEqualTo(SpecValidator.validateGroup(group, MAX_REPLICAS));
  }

  /**
   * Each x-kubernetes-validations rule of the CRD needs a corpus entry that breaks it ({@code #
   * cel: RULE}), so a rule added to the model is shown to reach the generated schema. Transition
   * rules (on {@code oldSelf}) need an update to break, which one manifest can't show: the suite of
   * the field they guard does (e.g. PlacementSuite for spec.placement).
   */
  @Test
  void everyCelRuleOfTheCrdHasACorpusEntry() {
    List<String> covered =
        corpus().stream().map(Entry::cel).filter(java.util.Objects::nonNull).toList();
    assertThat(CrdSchemaWalker.celRules(schema).stream().filter(r -> !r.contains("oldSelf")))
        .allSatisfy(
            rule ->
                assertThat(covered)
                    .as(
                        "add a manifest to %s with a '# cel: %s' header for rule %s",
                        BadSpecCorpus.DIR, rule.substring(rule.indexOf(' ') + 1), rule)
                    .anyMatch(c -> rule.endsWith(" " + c)));
  }
}
