package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
  @Test
  void seedSamplesAreValid() {
    assertThat(SpecValidator.validate(new VmGroupSpec(1, 1, 3, "vm-template"), 100)).isEmpty();
    assertThat(SpecValidator.validate(new VmGroupSpec(4, 8, 0, "/DC0/vm/t"), 100)).isEmpty();
  }

  @Test
  void eachRuleNamesItsField() {
    assertThat(SpecValidator.validate(new VmGroupSpec(null, (Integer) null, null, null), 100))
        .containsExactly(
            "spec.cpu is required",
            "spec.memory is required",
            "spec.replicas is required",
            "spec.template or spec.source.contentLibrary is required: it says what VMs are made"
                + " from");
    assertThat(SpecValidator.validate(new VmGroupSpec(0, 0, -1, " "), 100))
        .containsExactly(
            "spec.cpu must be between 1 and 768, got 0",
            "spec.memory must be between 1 and 24576 (GiB), got 0",
            "spec.replicas must be 0 or more, got -1",
            "spec.template is required and must not be empty");
  }

  @Test
  void aContentLibrarySourceIsTheOnlySourceWellFormedAndDeployedAsAFullCopy() {
    VmGroupSpec library = new VmGroupSpec(1, 1, 1, null);
    library.setSource(
        new com.codeconnect.vmgroup.api.v1alpha1.SourceSpec(
            new com.codeconnect.vmgroup.api.v1alpha1.ContentLibrarySpec("golden", "ubuntu")));
    assertThat(SpecValidator.validate(library, 100)).isEmpty();

    library.setTemplate("vm-operator-template");
    assertThat(SpecValidator.validate(library, 100))
        .containsExactly(
            "spec.template and spec.source can't both be set: exactly one says what VMs are made"
                + " from");
    library.setTemplate(null);

    library.getSource().getContentLibrary().setItem(" ");
    library.getSource().getContentLibrary().setLibrary("l".repeat(256));
    library.setCloneMode(VmGroupSpec.CloneMode.linked);
    assertThat(SpecValidator.validate(library, 100))
        .containsExactly(
            "spec.source.contentLibrary.library is longer than 255 characters",
            "spec.source.contentLibrary.item is required and must not be empty",
            "spec.cloneMode linked needs a template's snapshot; a content library item is deployed"
                + " as a full copy");

    library.setSource(new com.codeconnect.vmgroup.api.v1alpha1.SourceSpec());
    library.setCloneMode(null);
    assertThat(SpecValidator.validate(library, 100))
        .containsExactly("spec.source.contentLibrary is required when spec.source is set");
  }

  @Test
  void replicasAboveTheOperatorLimitAreRefused() {
    assertThat(SpecValidator.validate(new VmGroupSpec(1, 1, 10000, "t"), 100))
        .containsExactly(
            "spec.replicas must be at most 100 (the operator's --max-replicas), got 10000");
  }

  @Test
  void templateWithControlCharactersOrHugeLengthIsRefused() {
    assertThat(SpecValidator.validate(new VmGroupSpec(1, 1, 1, "a\nb"), 100)).hasSize(1);
    assertThat(SpecValidator.validate(new VmGroupSpec(1, 1, 1, "a".repeat(2000)), 100)).hasSize(1);
    assertThat(SpecValidator.validate(new VmGroupSpec(1, 1, 1, null), 100)).hasSize(1);
    assertThat(SpecValidator.validate(null, 100)).containsExactly("spec is missing");
  }

  @Test
  void updateStrategyRulesMatchTheCrdsCelRules() {
    var spec = new VmGroupSpec(1, 1, 3, "t");
    spec.setUpdateStrategy(
        new com.codeconnect.vmgroup.api.v1alpha1.UpdateStrategy(
            com.codeconnect.vmgroup.api.v1alpha1.UpdateStrategy.Type.Recreate,
            new com.codeconnect.vmgroup.api.v1alpha1.RollingUpdate(
                new io.fabric8.kubernetes.api.model.IntOrString("0%"),
                new io.fabric8.kubernetes.api.model.IntOrString(0))));
    assertThat(SpecValidator.validate(spec, 100))
        .containsExactly(
            "spec.updateStrategy.rollingUpdate may only be set when type is RollingUpdate, not"
                + " Recreate",
            "spec.updateStrategy.rollingUpdate: maxSurge and maxUnavailable must not both be 0:"
                + " the update could never proceed");
    spec.getUpdateStrategy().setType(null);
    spec.getUpdateStrategy()
        .getRollingUpdate()
        .setMaxSurge(new io.fabric8.kubernetes.api.model.IntOrString("lots"));
    assertThat(SpecValidator.validate(spec, 100))
        .containsExactly(
            "spec.updateStrategy.rollingUpdate.maxSurge must be a number of VMs or a percentage"
                + " such as 25%, got 'lots'");
  }

  @Test
  void placementFieldsAreNamesOrPaths() {
    var spec = new VmGroupSpec(1, 1, 1, "t");
    spec.setPlacement(
        new com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec(" ", null, "ds\u0000", "a/b"));
    assertThat(SpecValidator.validate(spec, 100))
        .containsExactly(
            "spec.placement.datacenter must not be empty; leave it out for the operator's default",
            "spec.placement.datastore must be a name or path without control characters",
            "spec.placement.folder must be a folder name without '/', got 'a/b'");
  }

  @Test
  void templatesAreOneVmByNameOrLiteralPath() {
    assertThat(SpecValidator.templateProblem("templates/ubuntu-22")).isNull();
    assertThat(SpecValidator.templateProblem("/DC0/vm/a%b/t")).isNull();
    assertThat(SpecValidator.templateProblem("t".repeat(80))).isNull();
    assertThat(SpecValidator.templateProblem("vm-*")).contains("wildcards");
    assertThat(SpecValidator.templateProblem("vm-?")).contains("wildcards");
    assertThat(SpecValidator.templateProblem("../t")).contains("'..' segments");
    assertThat(SpecValidator.templateProblem("/DC0/vm/./t")).contains("'..' segments");
    assertThat(SpecValidator.templateProblem("/DC0/vm//t")).contains("empty path segment");
    assertThat(SpecValidator.templateProblem("t/")).contains("must not end with '/'");
    assertThat(SpecValidator.templateProblem(" t")).contains("leading or trailing whitespace");
    assertThat(SpecValidator.templateProblem("\u00a0")).contains("must not be empty");
    assertThat(SpecValidator.templateProblem("\u3000")).contains("must not be empty");
    assertThat(SpecValidator.templateProblem("t\u200b")).contains("U+200B at position 1");
    assertThat(SpecValidator.templateProblem("t".repeat(81))).contains("80-character limit");
    // vCenter stores % escaped as %25: 78 characters with two of them count 82
    assertThat(SpecValidator.templateProblem("t".repeat(76) + "%%")).contains("80-character");
    assertThat(SpecValidator.templateProblem("/DC0/vm/" + "t".repeat(81))).contains("80-char");
  }

  @Test
  void namesFollowKubernetesRules() {
    VmGroupSpec ok = new VmGroupSpec(1, 1, 1, "t");
    assertThat(SpecValidator.validateGroup(new VmGroup("ns", "a".repeat(253), ok), 100)).isEmpty();
    assertThat(SpecValidator.validateGroup(new VmGroup("ns", "a".repeat(254), ok), 100))
        .containsExactly("metadata.name is 254 characters long; Kubernetes allows at most 253");
    assertThat(SpecValidator.validateGroup(new VmGroup("ns", "Vg_1", ok), 100))
        .singleElement()
        .asString()
        .contains("'Vg_1' is not a valid Kubernetes name");
  }

  @Test
  void problemsFoundWhileReadingComeFirstAndOtherFieldsAreStillChecked() {
    VmGroup g =
        Serialization.unmarshal(
            "{\"apiVersion\":\"vm.codeconnect.vmworld.com/v1alpha1\",\"kind\":\"VmGroup\","
                + "\"metadata\":{\"name\":\"g\"},"
                + "\"spec\":{\"cpu\":\"two\",\"memory\":24577,\"replicas\":1,\"template\":\"t\"}}",
            VmGroup.class);
    assertThat(SpecValidator.validateGroup(g, 100))
        .containsExactly(
            "spec.cpu must be an integer, got string \"two\"",
            "spec.memory must be between 1 and 24576 (GiB), got 24577");
  }

  @Test
  void aSpecFullOfUnknownKeysStillGetsAShortMessage() {
    StringBuilder spec =
        new StringBuilder("{\"cpu\":1,\"memory\":1,\"replicas\":1,\"template\":\"t\"");
    for (int i = 0; i < 5000; i++) {
      spec.append(",\"k").append(i).append("\":1");
    }
    VmGroup g =
        Serialization.unmarshal(
            "{\"apiVersion\":\"vm.codeconnect.vmworld.com/v1alpha1\",\"kind\":\"VmGroup\","
                + "\"metadata\":{\"name\":\"g\"},\"spec\":"
                + spec
                + "}}",
            VmGroup.class);
    List<String> problems = SpecValidator.validateGroup(g, 100);
    assertThat(problems).hasSize(10).last().isEqualTo("and 4991 more problems");
    assertThat(problems.get(0)).startsWith("spec.k0 is not a VmGroup field (known: cpu, memory");
  }
}
