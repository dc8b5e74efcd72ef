package com.codeconnect.vmgroup.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tags and custom attributes in the checked-in CRD: optional, bounded, and with the rules that span
 * fields in CEL.
 */
class NativeFieldsSchemaTest {
  static JSONSchemaProps root;
  static JSONSchemaProps spec;

  @BeforeAll
  static void load() throws IOException {
    CustomResourceDefinition crd;
    try (InputStream in = Files.newInputStream(CrdSchemaTest.CRD)) {
      crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
    root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    spec = root.getProperties().get("spec");
  }

  @Test
  void tagsAreBoundedCategorySlashTagNames() {
    JSONSchemaProps tags = spec.getProperties().get("tags");
    assertThat(tags.getMaxItems()).isEqualTo(32L);
    JSONSchemaProps item = tags.getItems().getSchema();
    assertThat(item.getMaxLength()).isEqualTo(511L);
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(item.getPattern());
    assertThat(p.matcher("env/test").find()).isTrue();
    assertThat(p.matcher("Cost Center/Team A").find()).isTrue();
    assertThat(p.matcher("env").find()).isFalse();
    assertThat(p.matcher("env/test/eu").find()).isFalse();
    assertThat(p.matcher("/test").find()).isFalse();
    assertThat(p.matcher("env/").find()).isFalse();
    assertThat(p.matcher("env /test").find()).isFalse();
    assertThat(p.matcher("env/te\nst").find()).isFalse();
  }

  @Test
  void customAttributesAreABoundedMapOfStringsWithTheOwnerAttributeReserved() {
    JSONSchemaProps attributes = spec.getProperties().get("customAttributes");
    assertThat(attributes.getType()).isEqualTo("object");
    assertThat(attributes.getMaxProperties()).isEqualTo(32L);
    JSONSchemaProps value = attributes.getAdditionalProperties().getSchema();
    assertThat(value.getType()).isEqualTo("string");
    assertThat(value.getMaxLength()).isEqualTo(255L);
    // only constant-cost checks per key: the API server refuses a CRD whose rules may cost too much
    assertThat(attributes.getXKubernetesValidations())
        .extracting(ValidationRule::getRule)
        .containsExactlyInAnyOrder(
            "self.all(k, size(k) >= 1 && size(k) <= 255)", "!('vmgroup' in self)");
  }

  @Test
  void theTaggedSampleFitsTheSchema() throws IOException {
    JsonNode sample =
        Serialization.unmarshal(
            Files.readString(java.nio.file.Path.of("deploy/samples/vg-tagged.yaml")),
            JsonNode.class);
    assertThat(CrdSchemaWalker.violations(root, sample)).isEmpty();
    VmGroup group = Serialization.unmarshal(sample.toString(), VmGroup.class);
    assertThat(group.getSpec().getTags()).containsExactly("env/test", "backup/daily");
    assertThat(group.getSpec().getCustomAttributes()).containsEntry("cost-center", "4711");
  }
}
