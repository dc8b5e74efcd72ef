package com.codeconnect.vmgroup.operator;

import com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec;
import com.codeconnect.vmgroup.api.v1alpha1.RollingUpdate;
import com.codeconnect.vmgroup.api.v1alpha1.UpdateStrategy;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a spec before anything touches vCenter. The CRD schema holds the same rules, but not every
 * API server enforces it (and objects created before a schema change never were checked).
 */
public final class SpecValidator {
  /** Longest template reference accepted: a deep inventory path, with room to spare. */
  static final int MAX_TEMPLATE_LENGTH = 1024;

  private SpecValidator() {}

  /** Problems with the spec, each naming the field; empty when the spec is usable. */
  public static List<String> validate(VmGroupSpec spec, int maxReplicas) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      problems.add("spec is missing");
      return problems;
    }
    range(problems, "spec.cpu", spec.getCpu(), VmGroupSpec.MIN_CPU, VmGroupSpec.MAX_CPU);
    range(
        problems,
        "spec.memory",
        spec.getMemory(),
        VmGroupSpec.MIN_MEMORY_GIB,
        VmGroupSpec.MAX_MEMORY_GIB);
    if (spec.getReplicas() == null) {
      problems.add("spec.replicas is required");
    } else if (spec.getReplicas() < 0) {
      problems.add("spec.replicas must be 0 or more, got " + spec.getReplicas());
    } else if (spec.getReplicas() > maxReplicas) {
      problems.add(
          "spec.replicas must be at most "
              + maxReplicas
              + " (the operator's --max-replicas), got "
              + spec.getReplicas());
    }
    String template = spec.getTemplate();
    if (template == null || template.isBlank()) {
      problems.add("spec.template is required and must not be empty");
    } else if (template.length() > MAX_TEMPLATE_LENGTH) {
      problems.add("spec.template is longer than " + MAX_TEMPLATE_LENGTH + " characters");
    } else if (template.chars().anyMatch(Character::isISOControl)) {
      problems.add("spec.template must not contain control characters");
    }
    updateStrategy(problems, spec.getUpdateStrategy());
    placement(problems, spec.getPlacement());
    return problems;
  }

  private static void placement(List<String> problems, PlacementSpec p) {
    if (p == null) {
      return;
    }
    String[][] fields = {
      {"datacenter", p.getDatacenter()},
      {"resourcePool", p.getResourcePool()},
      {"datastore", p.getDatastore()},
      {"folder", p.getFolder()}
    };
    for (String[] f : fields) {
      String value = f[1];
      if (value == null) {
        continue;
      }
      String field = "spec.placement." + f[0];
      if (value.isBlank()) {
        problems.add(field + " must not be empty; leave it out for the operator's default");
      } else if (value.length() > MAX_TEMPLATE_LENGTH
          || value.chars().anyMatch(Character::isISOControl)) {
        problems.add(field + " must be a name or path without control characters");
      }
    }
    if (p.getFolder() != null && p.getFolder().contains("/")) {
      problems.add(
          "spec.placement.folder must be a folder name without '/', got '" + p.getFolder() + "'");
    }
  }

  /** The rules the CRD states in CEL, for API servers that don't run them. */
  private static void updateStrategy(List<String> problems, UpdateStrategy strategy) {
    if (strategy == null || strategy.getRollingUpdate() == null) {
      return;
    }
    if (strategy.effectiveType() != UpdateStrategy.Type.RollingUpdate) {
      problems.add(
          "spec.updateStrategy.rollingUpdate may only be set when type is RollingUpdate, not "
              + strategy.effectiveType());
    }
    RollingUpdate limits = strategy.getRollingUpdate();
    boolean unavailableZero = limit(problems, "maxUnavailable", limits.getMaxUnavailable());
    boolean surgeZero = limit(problems, "maxSurge", limits.getMaxSurge());
    if (unavailableZero && surgeZero) {
      problems.add(
          "spec.updateStrategy.rollingUpdate: maxSurge and maxUnavailable must not both be 0:"
              + " the update could never proceed");
    }
  }

  /** Checks one limit; true when it is set to zero. */
  private static boolean limit(List<String> problems, String name, IntOrString value) {
    if (value == null) {
      return false;
    }
    String field = "spec.updateStrategy.rollingUpdate." + name;
    if (value.getIntVal() != null) {
      if (value.getIntVal() < 0) {
        problems.add(field + " must be 0 or more, got " + value.getIntVal());
      }
      return value.getIntVal() == 0;
    }
    String text = value.getStrVal();
    if (text == null || !text.matches("(100|[1-9]?[0-9])%")) {
      problems.add(
          field + " must be a number of VMs or a percentage such as 25%, got '" + text + "'");
      return false;
    }
    return text.equals("0%");
  }

  private static void range(List<String> problems, String field, Integer value, int min, int max) {
    if (value == null) {
      problems.add(field + " is required");
    } else if (value < min || value > max) {
      problems.add(field + " must be between " + min + " and " + max + ", got " + value);
    }
  }
}
