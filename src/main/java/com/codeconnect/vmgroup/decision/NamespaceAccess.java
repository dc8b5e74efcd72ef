package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.AllowedNamespaces;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Whether a VCenter's allowedNamespaces lets a namespace in. Pure. Fabric8 offers label selectors
 * only as server-side list filters, and the decision is needed per namespace in memory, so the four
 * operators of a Kubernetes label selector are evaluated here.
 */
public final class NamespaceAccess {
  private NamespaceAccess() {}

  /**
   * @param labels the namespace's labels, or null when the namespace isn't known (then only the
   *     list can allow it)
   */
  public static boolean allows(
      AllowedNamespaces allowed, String namespace, Map<String, String> labels) {
    if (allowed == null) {
      return false;
    }
    if (allowed.list != null && allowed.list.contains(namespace)) {
      return true;
    }
    return allowed.selector != null && labels != null && matches(allowed.selector, labels);
  }

  /** Kubernetes' rules: every matchLabels pair and every expression must hold; {} matches all. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!holds(r, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean holds(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> labels.containsKey(r.getKey());
      case "DoesNotExist" -> !labels.containsKey(r.getKey());
      // An operator Kubernetes doesn't know: the API server rejects it; never a match here.
      default -> false;
    };
  }
}
