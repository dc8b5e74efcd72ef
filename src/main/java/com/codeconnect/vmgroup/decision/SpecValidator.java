package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.MemoryQuantity;
import com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec;
import com.codeconnect.vmgroup.api.v1alpha1.RollingUpdate;
import com.codeconnect.vmgroup.api.v1alpha1.UnboundSpec;
import com.codeconnect.vmgroup.api.v1alpha1.UpdateStrategy;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a group before anything touches vCenter. The CRD schema holds most of the same rules, but
 * not every API server enforces it (and objects created before a schema change never were checked);
 * some rules (the replica limit, template paths) only the operator knows.
 */
public final class SpecValidator {
  /** Longest template reference accepted: a deep inventory path, with room to spare. */
  static final int MAX_TEMPLATE_LENGTH = 1024;

  /** Kubernetes' limit for object names (a DNS subdomain). */
  static final int MAX_NAME_LENGTH = 253;

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private SpecValidator() {}

  /** Problems with the group's name and spec, each naming the field; empty when usable. */
  public static List<String> validateGroup(VmGroup group, int maxReplicas) {
    List<String> problems = new ArrayList<>();
    String name = group.getMetadata() == null ? null : group.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      problems.add("metadata.name is missing");
    } else if (name.length() > MAX_NAME_LENGTH) {
      problems.add(
          "metadata.name is "
              + name.length()
              + " characters long; Kubernetes allows at most "
              + MAX_NAME_LENGTH);
    } else if (!DNS_SUBDOMAIN.matcher(name).matches()) {
      // An API server would never have stored it; one that did isn't enforcing anything.
      problems.add(
          "metadata.name '"
              + printable(name)
              + "' is not a valid Kubernetes name (lowercase letters, digits, '-' and '.',"
              + " starting and ending with a letter or digit)");
    }
    problems.addAll(validate(group.getSpec(), maxReplicas));
    return problems;
  }

  /** Problems with the spec, each naming the field; empty when the spec is usable. */
  public static List<String> validate(VmGroupSpec spec, int maxReplicas) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      problems.add("spec is missing");
      return problems;
    }
    UnboundSpec unbound = spec instanceof UnboundSpec u ? u : null;
    if (unbound != null) {
      problems.addAll(unbound.problems());
      if (unbound.unusable("*")) {
        return problems;
      }
    }
    if (usable(unbound, "cpu")) {
      range(problems, "spec.cpu", spec.getCpu(), VmGroupSpec.MIN_CPU, VmGroupSpec.MAX_CPU);
    }
    if (usable(unbound, "memory")) {
      String memory = MemoryQuantity.problem(spec.getMemory());
      if (memory != null) {
        problems.add(memory);
      }
    }
    if (!usable(unbound, "replicas")) {
      // already reported
    } else if (spec.getReplicas() == null) {
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
    if (usable(unbound, "template") && usable(unbound, "source")) {
      SourceValidator.validate(spec, problems);
    }
    updateStrategy(problems, spec.getUpdateStrategy());
    placement(problems, spec.getPlacement());
    ShapeValidator.validate(spec, unbound, problems);
    NativeValidator.validate(spec, unbound, problems);
    if (usable(unbound, "networks")) {
      NetworkValidator.validate(spec, problems);
    }
    HealthValidator.validate(spec, unbound, problems);
    if (spec.getVcenter() != null && !VCENTER_NAME.matcher(spec.getVcenter()).matches()) {
      problems.add(
          "spec.vcenter must be the name of a VCenter (lower case letters, digits, '-' and '.'),"
              + " got '"
              + spec.getVcenter()
              + "'");
    }
    return problems;
  }

  private static final Pattern VCENTER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

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

  private static boolean usable(UnboundSpec unbound, String field) {
    return unbound == null || !unbound.unusable(field);
  }

  /**
   * A template is one VM, named or addressed by a literal inventory path: vCenter's
   * FindByInventoryPath neither globs nor resolves {@code ..}, so such input would only ever fail
   * later with a less helpful "not found".
   */
  static String templateProblem(String template) {
    if (template == null || blank(template)) {
      return "spec.template is required and must not be empty";
    }
    if (template.length() > MAX_TEMPLATE_LENGTH) {
      return "spec.template is longer than " + MAX_TEMPLATE_LENGTH + " characters";
    }
    if (template.chars().anyMatch(Character::isISOControl)) {
      return "spec.template must not contain control characters";
    }
    for (int i = 0; i < template.length(); ) {
      int cp = template.codePointAt(i);
      if (Character.getType(cp) == Character.FORMAT) {
        // zero-width and direction marks make a name look like another one in kubectl output
        return String.format(
            "spec.template contains the invisible character U+%04X at position %d", cp, i);
      }
      i += Character.charCount(cp);
    }
    if (space(template.codePointAt(0)) || space(template.codePointBefore(template.length()))) {
      return "spec.template '" + template + "' has leading or trailing whitespace";
    }
    if (template.indexOf('*') >= 0 || template.indexOf('?') >= 0) {
      return "spec.template '"
          + template
          + "' must name one VM: wildcards ('*', '?') are not supported";
    }
    if (template.indexOf('/') >= 0) {
      if (template.endsWith("/")) {
        return "spec.template '" + template + "' must not end with '/'";
      }
      String[] segments = template.split("/", -1);
      for (int i = 0; i < segments.length; i++) {
        String s = segments[i];
        if (s.isEmpty() && i > 0) {
          return "spec.template '" + template + "' has an empty path segment ('//')";
        }
        if (s.equals(".") || s.equals("..")) {
          return "spec.template '"
              + template
              + "' must not contain '.' or '..' segments: inventory paths are literal";
        }
      }
      for (String s : segments) {
        if (Naming.vcenterLength(s) > Naming.VCENTER_MAX_NAME) {
          return tooLong(s);
        }
      }
    } else if (Naming.vcenterLength(template) > Naming.VCENTER_MAX_NAME) {
      return tooLong(template);
    }
    return null;
  }

  private static String tooLong(String name) {
    return "spec.template name '"
        + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
        + "' is longer than vCenter's "
        + Naming.VCENTER_MAX_NAME
        + "-character limit for names (%, / and \\ count as 3), so no VM can have it";
  }

  private static boolean blank(String s) {
    return s.codePoints().allMatch(SpecValidator::space);
  }

  /** Whitespace including no-break and ideographic spaces, which String.isBlank misses. */
  private static boolean space(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .limit(64)
        .forEach(c -> b.append(Character.isISOControl(c) ? "?" : new String(Character.toChars(c))));
    return s.codePointCount(0, s.length()) > 64 ? b + "..." : b.toString();
  }

  private static void range(List<String> problems, String field, Integer value, int min, int max) {
    if (value == null) {
      problems.add(field + " is required");
    } else if (value < min || value > max) {
      problems.add(field + " must be between " + min + " and " + max + ", got " + value);
    }
  }
}
