package com.codeconnect.vmgroup.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.UnboundSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Strict binding of spec.memory and of the nested new fields: never an exception, always a message.
 */
class SpecBindingTest {
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static VmGroupSpec read(String specJson) {
    return SERIALIZATION
        .unmarshal(
            "{\"apiVersion\":\"vm.codeconnect.vmworld.com/v1alpha1\",\"kind\":\"VmGroup\","
                + "\"metadata\":{\"name\":\"g\"},\"spec\":"
                + specJson
                + "}",
            VmGroup.class)
        .getSpec();
  }

  static List<String> problems(String specJson) {
    VmGroupSpec spec = read(specJson);
    assertThat(spec).isInstanceOf(UnboundSpec.class);
    return ((UnboundSpec) spec).problems();
  }

  static String seedWith(String memory, String extra) {
    return "{\"cpu\":1,\"memory\":" + memory + ",\"replicas\":1,\"template\":\"t\"" + extra + "}";
  }

  @Test
  void memoryIsAnIntegerOrAString() {
    assertThat(read(seedWith("2", ""))).isNotInstanceOf(UnboundSpec.class);
    assertThat(read(seedWith("2", "")).memoryMiB()).isEqualTo(2048);
    VmGroupSpec quantity = read(seedWith("\"1536Mi\"", ""));
    assertThat(quantity).isNotInstanceOf(UnboundSpec.class);
    assertThat(quantity.memoryMiB()).isEqualTo(1536);
    // a string that isn't a quantity is bound: the validator names it
    assertThat(read(seedWith("\"lots\"", ""))).isNotInstanceOf(UnboundSpec.class);
  }

  @Test
  void anythingElseForMemoryIsAProblemNotAnException() {
    assertThat(problems(seedWith("true", "")))
        .containsExactly("spec.memory must be an integer or a string, got boolean true");
    assertThat(problems(seedWith("1.5", "")))
        .containsExactly("spec.memory must be an integer or a string, got number 1.5");
    assertThat(problems(seedWith("[1]", "")))
        .containsExactly("spec.memory must be an integer or a string, got a list");
    assertThat(problems(seedWith("{\"gi\":1}", "")))
        .containsExactly("spec.memory must be an integer or a string, got an object");
    assertThat(problems(seedWith("4294967297", "")))
        .containsExactly(
            "spec.memory must be an integer in the 32-bit range, got number 4294967297");
    VmGroupSpec bad = read(seedWith("true", ""));
    assertThat(((UnboundSpec) bad).unusable("memory")).isTrue();
    assertThat(bad.getCpu()).as("the other fields still count").isEqualTo(1);
  }

  @Test
  void nestedFieldsAreAsStrictAsTopLevelOnes() {
    assertThat(problems(seedWith("1", ",\"disk\":{\"sizeGiB\":20.5}")))
        .containsExactly("spec.disk.sizeGiB must be an integer, got number 20.5");
    assertThat(problems(seedWith("1", ",\"disk\":{\"sizeGiB\":\"20\"}")))
        .containsExactly("spec.disk.sizeGiB must be an integer, got string \"20\"");
    assertThat(
            problems(
                seedWith(
                    "1",
                    ",\"networks\":[{\"name\":\"n\",\"addresses\":{\"prefix\":\"24\","
                        + "\"ranges\":\"10.0.0.1-10.0.0.9\"}},null,7]")))
        .containsExactly(
            "spec.networks[0].addresses.prefix must be an integer, got string \"24\"",
            "spec.networks[0].addresses.ranges must be a list, got string \"10.0.0.1-10.0.0.9\"",
            "spec.networks[1] must not be null",
            "spec.networks[2] must be an object, got number 7");
    assertThat(problems(seedWith("1", ",\"extraDisks\":[{\"sizeGiB\":1,\"thin\":true}]")))
        .containsExactly(
            "spec.extraDisks[0].thin is not a field here (known: sizeGiB, provisioning)");
    assertThat(problems(seedWith("1", ",\"bootstrap\":{\"cloudInit\":{\"userData\":42}}")))
        .containsExactly("spec.bootstrap.cloudInit.userData must be a string, got number 42");
    assertThat(problems(seedWith("1", ",\"bootstrap\":\"cloud-init\"")))
        .containsExactly("spec.bootstrap must be an object, got string \"cloud-init\"");
  }

  @Test
  void aSpecWithNestedProblemsWritesBackAsReceived() {
    String json =
        seedWith("true", ",\"networks\":[{\"name\":\"n\",\"addresses\":{\"prefix\":\"24\"}}]");
    VmGroup group =
        SERIALIZATION.unmarshal(
            "{\"apiVersion\":\"vm.codeconnect.vmworld.com/v1alpha1\",\"kind\":\"VmGroup\","
                + "\"metadata\":{\"name\":\"g\"},\"spec\":"
                + json
                + "}",
            VmGroup.class);
    JsonNode written = SERIALIZATION.convertValue(group, JsonNode.class).get("spec");
    assertThat(written).isEqualTo(SERIALIZATION.unmarshal(json, JsonNode.class));
  }
}
