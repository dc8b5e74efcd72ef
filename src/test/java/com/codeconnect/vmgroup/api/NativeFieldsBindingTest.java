package com.codeconnect.vmgroup.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.UnboundSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** The new fields are read as strictly as the others: never an exception, never a coercion. */
class NativeFieldsBindingTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static VmGroupSpec read(String specYaml) {
    String yaml =
        "apiVersion: vm.codeconnect.vmworld.com/v1alpha1\nkind: VmGroup\nmetadata:\n  name: g\n"
            + "spec:\n  cpu: 1\n  memory: 1\n  replicas: 1\n"
            + specYaml;
    return SERIALIZATION.unmarshal(yaml, VmGroup.class).getSpec();
  }

  @Test
  void tagsAndAttributesBind() {
    VmGroupSpec spec =
        read(
            "  template: t\n"
                + "  tags: [env/test, team/web]\n  customAttributes: {cost-center: \"42\"}\n");
    assertThat(spec).isNotInstanceOf(UnboundSpec.class);
    assertThat(spec.getTags()).containsExactly("env/test", "team/web");
    assertThat(spec.getCustomAttributes()).containsEntry("cost-center", "42");
  }

  @Test
  void anAttributeValueThatIsNoStringIsAProblemNotACoercion() {
    VmGroupSpec spec =
        read(
            "  template: t\n  customAttributes: {cost-center: 42, owner: null, flag: true}\n"
                + "  tags: [env/test]\n");
    assertThat(spec).isInstanceOf(UnboundSpec.class);
    UnboundSpec unbound = (UnboundSpec) spec;
    assertThat(unbound.problems())
        .containsExactly(
            "spec.customAttributes['cost-center'] must be a string, got number 42",
            "spec.customAttributes['owner'] must not be null",
            "spec.customAttributes['flag'] must be a string, got boolean true");
    assertThat(unbound.unusable("customAttributes")).isTrue();
    // the other fields are still read, and the spec writes back as received
    assertThat(unbound.getTags()).containsExactly("env/test");
    JsonNode written = SERIALIZATION.convertValue(spec, JsonNode.class);
    assertThat(written.get("customAttributes").get("cost-center").isNumber()).isTrue();
  }

  @Test
  void wrongShapesAreNamed() {
    UnboundSpec spec = (UnboundSpec) read("  template: t\n  customAttributes: [a]\n  tags: [1]\n");
    assertThat(spec.problems())
        .contains(
            "spec.customAttributes must be an object, got a list",
            "spec.tags[0] must be a string, got number 1");
  }
}
