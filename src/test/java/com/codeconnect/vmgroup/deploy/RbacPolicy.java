package com.codeconnect.vmgroup.deploy;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's least-privilege RBAC as a set of single grants ({@code group|resource|name|verb},
 * name {@code *} when a rule has no resourceNames), so any widening (an extra verb, resource,
 * group, a wildcard, a missing resourceNames restriction, a non-resource URL) shows up as a grant
 * that isn't allowed.
 */
final class RbacPolicy {
  static final String GROUP = "vm.codeconnect.vmworld.com";

  /**
   * What the operator may do with VmGroups, Events and the Secrets groups name for their bootstrap
   * (get by name only: no list or watch, so it can't enumerate Secrets), cluster-wide or per
   * watched namespace.
   */
  static final Set<String> VMGROUPS_AND_EVENTS =
      grants(
          List.of(
              rule(GROUP, "vmgroups", null, "get", "list", "watch", "update", "patch"),
              rule(GROUP, "vmgroups/status", null, "update", "patch"),
              rule(GROUP, "vmgroups/finalizers", null, "update", "patch"),
              rule("", "events", null, "create", "patch"),
              rule("events.k8s.io", "events", null, "create", "patch"),
              rule("", "secrets", null, "get")));

  /** What the operator may do in its own namespace: its Lease and its credentials Secret. */
  static final Set<String> OPERATOR_NAMESPACE =
      grants(
          List.of(
              rule("coordination.k8s.io", "leases", null, "get", "create", "update"),
              rule("", "secrets", "vc-creds", "get")));

  /**
   * VCenters (deploy/vcenters only): read them, write their status and finalizers. Update and patch
   * on vcenters itself are what adding and removing a finalizer (metadata) take. Namespaces are
   * only read, for the labels a VCenter's allowedNamespaces selector matches.
   */
  static final Set<String> VCENTERS =
      grants(
          List.of(
              rule(GROUP, "vcenters", null, "get", "list", "watch", "update", "patch"),
              rule(GROUP, "vcenters/status", null, "update", "patch"),
              rule(GROUP, "vcenters/finalizers", null, "update", "patch"),
              rule("", "namespaces", null, "get", "list", "watch")));

  /**
   * VCenters' Secrets and ConfigMaps, in the operator's namespace only (deploy/vcenters): informers
   * list and watch, which resourceNames can't restrict.
   */
  static final Set<String> VCENTERS_OPERATOR_NAMESPACE =
      grants(
          List.of(
              rule("", "secrets", null, "get", "list", "watch"),
              rule("", "configmaps", null, "get", "list", "watch")));

  /**
   * Events about the cluster-scoped VCenters, in the namespace default only (deploy/vcenters): the
   * API server accepts them nowhere else.
   */
  static final Set<String> VCENTERS_EVENTS_NAMESPACE =
      grants(
          List.of(
              rule("", "events", null, "create", "patch"),
              rule("events.k8s.io", "events", null, "create", "patch")));

  private RbacPolicy() {}

  private static PolicyRule rule(String group, String resource, String name, String... verbs) {
    PolicyRule r = new PolicyRule();
    r.setApiGroups(List.of(group));
    r.setResources(List.of(resource));
    r.setResourceNames(name == null ? List.of() : List.of(name));
    r.setVerbs(List.of(verbs));
    return r;
  }

  /**
   * Expands rules into single grants. Non-resource URLs become {@code url|<path>|-|<verb>} grants,
   * which no allowed set contains.
   */
  static Set<String> grants(List<PolicyRule> rules) {
    Set<String> out = new TreeSet<>();
    for (PolicyRule r : rules) {
      for (String url : nullSafe(r.getNonResourceURLs())) {
        for (String verb : nullSafe(r.getVerbs())) {
          out.add("url|" + url + "|-|" + verb);
        }
      }
      List<String> names =
          nullSafe(r.getResourceNames()).isEmpty() ? List.of("*") : r.getResourceNames();
      for (String group : nullSafe(r.getApiGroups())) {
        for (String resource : nullSafe(r.getResources())) {
          for (String name : names) {
            for (String verb : nullSafe(r.getVerbs())) {
              out.add(group + "|" + resource + "|" + name + "|" + verb);
            }
          }
        }
      }
      // a rule without groups, resources or verbs grants nothing but is still suspicious
      if (nullSafe(r.getApiGroups()).isEmpty() && nullSafe(r.getNonResourceURLs()).isEmpty()) {
        out.add("malformed|" + r + "|-|-");
      }
    }
    return out;
  }

  private static List<String> nullSafe(List<String> l) {
    return l == null ? List.of() : l;
  }
}
