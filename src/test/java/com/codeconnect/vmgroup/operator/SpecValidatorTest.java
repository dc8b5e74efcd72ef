package com.codeconnect.vmgroup.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
  @Test
  void seedSamplesAreValid() {
    assertThat(SpecValidator.validate(new VmGroupSpec(1, 1, 3, "vm-template"), 100)).isEmpty();
    assertThat(SpecValidator.validate(new VmGroupSpec(4, 8, 0, "/DC0/vm/t"), 100)).isEmpty();
  }

  @Test
  void eachRuleNamesItsField() {
    assertThat(SpecValidator.validate(new VmGroupSpec(null, null, null, null), 100))
        .containsExactly(
            "spec.cpu is required",
            "spec.memory is required",
            "spec.replicas is required",
            "spec.template is required and must not be empty");
    assertThat(SpecValidator.validate(new VmGroupSpec(0, 9, -1, " "), 100))
        .containsExactly(
            "spec.cpu must be between 1 and 4, got 0",
            "spec.memory must be between 1 and 8, got 9",
            "spec.replicas must be 0 or more, got -1",
            "spec.template is required and must not be empty");
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
}
