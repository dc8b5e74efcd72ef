package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.AllowedNamespaces;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which vCenter a group's VMs belong on. Pure, so every rule is tested without a cluster.
 *
 * <ol>
 *   <li>spec.vcenter names a VCenter: that one, if it allows the group's namespace.
 *   <li>Else the one VCenter that allows the namespace; two or more is ambiguous (never a guess).
 *   <li>Else the operator's own vCenter from its environment settings, when it has one.
 * </ol>
 *
 * A VCenter resource with the same name as the operator's own vCenter takes its place.
 */
public final class EndpointSelector {
  private EndpointSelector() {}

  /** What the selector needs to know of one VCenter resource. */
  public record Candidate(String name, AllowedNamespaces allowed) {}

  /** The outcome: a vCenter's name, or why there is none. */
  public record Choice(String name, Problem problem) {
    static Choice of(String name) {
      return new Choice(name, null);
    }

    static Choice none(Problem.Reason reason, String message) {
      return new Choice(null, new Problem(reason, message));
    }
  }

  /**
   * @param requested spec.vcenter, or null
   * @param labels the namespace's labels, or null when unknown
   * @param defaultName the operator's own vCenter, or null when it has none
   */
  public static Choice select(
      String namespace,
      String requested,
      List<Candidate> vcenters,
      Map<String, String> labels,
      String defaultName) {
    List<Candidate> sorted =
        vcenters.stream().sorted(Comparator.comparing(Candidate::name)).toList();
    String own = defaultName;
    boolean shadowed = own != null && sorted.stream().anyMatch(c -> c.name().equals(own));
    if (shadowed) {
      // The resource of that name takes the own vCenter's place everywhere, also as the fallback:
      // its allowedNamespaces must not be bypassed by falling back to "its" name.
      defaultName = null;
    }
    if (requested != null) {
      for (Candidate c : sorted) {
        if (c.name().equals(requested)) {
          return NamespaceAccess.allows(c.allowed(), namespace, labels)
              ? Choice.of(c.name())
              : Choice.none(
                  Problem.Reason.VCenterNotAllowed,
                  "VCenter '"
                      + requested
                      + "' does not allow namespace '"
                      + namespace
                      + "' (its spec.allowedNamespaces)");
        }
      }
      if (requested.equals(defaultName)) {
        return Choice.of(defaultName);
      }
      return Choice.none(
          Problem.Reason.VCenterNotFound,
          "VCenter '"
              + requested
              + "' not found; VCenters: "
              + sorted.stream().map(Candidate::name).toList()
              + (defaultName == null ? "" : ", or '" + defaultName + "' (the operator's own)"));
    }
    List<String> allowing =
        sorted.stream()
            .filter(c -> NamespaceAccess.allows(c.allowed(), namespace, labels))
            .map(Candidate::name)
            .toList();
    if (allowing.size() == 1) {
      return Choice.of(allowing.get(0));
    }
    if (allowing.size() > 1) {
      return Choice.none(
          Problem.Reason.VCenterAmbiguous,
          "VCenters "
              + allowing
              + " all allow namespace '"
              + namespace
              + "': set spec.vcenter to one of them");
    }
    if (defaultName != null) {
      return Choice.of(defaultName);
    }
    return Choice.none(
        Problem.Reason.VCenterNotFound,
        "no VCenter allows namespace '"
            + namespace
            + (shadowed
                ? "' (VCenter '" + own + "' takes the place of the operator's own vCenter)"
                : "' and the operator has no vCenter of its own (VC_HOST)"));
  }
}
