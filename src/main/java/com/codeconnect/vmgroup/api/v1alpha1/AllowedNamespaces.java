package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which namespaces may put VMs on a vCenter: those listed, plus those whose labels match the
 * selector. Nothing set allows no namespace, as in CAPV's VSphereClusterIdentity.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AllowedNamespaces {
  @JsonPropertyDescription("Namespaces allowed by name.")
  public List<String> list;

  @JsonPropertyDescription(
      "Namespaces allowed by their labels (matchLabels, matchExpressions). An empty selector ({})"
          + " allows every namespace.")
  public LabelSelector selector;

  public AllowedNamespaces() {}

  public static AllowedNamespaces named(String... names) {
    AllowedNamespaces a = new AllowedNamespaces();
    a.list = new ArrayList<>(List.of(names));
    return a;
  }

  public static AllowedNamespaces matching(LabelSelector selector) {
    AllowedNamespaces a = new AllowedNamespaces();
    a.selector = selector;
    return a;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AllowedNamespaces a
        && Objects.equals(list, a.list)
        && Objects.equals(selector, a.selector);
  }

  @Override
  public int hashCode() {
    return Objects.hash(list, selector);
  }
}
