package com.codeconnect.vmgroup.decision;

import java.util.ArrayList;
import java.util.List;

/**
 * Which vCenter network a spec.networks entry means, and whether the VCenter lets groups use it.
 * Pure: the controller passes the networks its inventory knows, as inventory paths.
 */
public final class Networks {
  private Networks() {}

  /** The network an entry resolved to, or why it didn't. */
  public sealed interface Resolution {}

  /** Exactly one network: its inventory path. */
  public record Found(String path) implements Resolution {}

  /** NetworkNotFound or NetworkAmbiguous. */
  public record Failed(Problem problem) implements Resolution {}

  /**
   * Finds {@code wanted} among the datacenter's networks: an absolute inventory path matches
   * itself, a relative one the path under the datacenter's network folder, and a name the networks
   * whose last path segment it is (vCenter names are unique per network folder, not per datacenter,
   * so a name can match several).
   *
   * @param datacenterPath such as /DC0
   * @param paths every network of the datacenter, such as /DC0/network/DC0_DVPG0
   */
  public static Resolution resolve(String wanted, String datacenterPath, List<String> paths) {
    List<String> matches = new ArrayList<>();
    if (wanted.startsWith("/")) {
      paths.stream().filter(wanted::equals).forEach(matches::add);
    } else if (wanted.contains("/")) {
      String full = datacenterPath + "/network/" + wanted;
      paths.stream().filter(full::equals).forEach(matches::add);
    } else {
      paths.stream().filter(p -> lastSegment(p).equals(wanted)).forEach(matches::add);
    }
    if (matches.size() == 1) {
      return new Found(matches.get(0));
    }
    if (matches.isEmpty()) {
      return new Failed(
          new Problem(
              Problem.Reason.NetworkNotFound,
              "network '"
                  + wanted
                  + "' not found in datacenter '"
                  + lastSegment(datacenterPath)
                  + "'"));
    }
    List<String> shown = matches.stream().sorted().limit(5).toList();
    return new Failed(
        new Problem(
            Problem.Reason.NetworkAmbiguous,
            "network name '"
                + wanted
                + "' matches "
                + matches.size()
                + " networks ("
                + String.join(", ", shown)
                + (matches.size() > shown.size() ? ", ..." : "")
                + "): use an inventory path in spec.networks"));
  }

  /**
   * NetworkNotAllowed naming the first network the VCenter doesn't allow, or null. An entry of
   * {@code allowed} allows the network with that name or that inventory path.
   *
   * @param allowed the VCenter's allowedNetworks; null allows every network
   * @param resolved the group's networks as inventory paths ({@link #resolve}), in spec order
   */
  public static Problem notAllowed(String vcenter, List<String> allowed, List<String> resolved) {
    if (allowed == null) {
      return null;
    }
    for (String path : resolved) {
      if (!allowed(allowed, path)) {
        return new Problem(
            Problem.Reason.NetworkNotAllowed,
            "network '"
                + path
                + "' is not among the networks VCenter '"
                + vcenter
                + "' allows ("
                + (allowed.isEmpty() ? "none" : String.join(", ", allowed))
                + "): choose one of them or ask its administrator to add it to"
                + " spec.allowedNetworks");
      }
    }
    return null;
  }

  /** Whether {@code allowed} names the network at {@code path}, by path or by name. */
  public static boolean allowed(List<String> allowed, String path) {
    return allowed == null
        || allowed.stream().anyMatch(a -> a.equals(path) || a.equals(lastSegment(path)));
  }

  private static String lastSegment(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
