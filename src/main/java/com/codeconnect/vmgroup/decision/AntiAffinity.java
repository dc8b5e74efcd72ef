package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Pure: the VM-VM anti-affinity rule that keeps a group's VMs on different hosts ({@code
 * spec.placement.antiAffinity}), one per cluster that holds VMs of the group.
 *
 * <p>Ownership: a DRS rule is the group's only when its name is exactly {@link #ruleName} (which
 * ends in a hash of the group's UID, so a group deleted and made again under the same name, or a
 * person copying the name of another group's rule, doesn't match by accident) and every VM in it
 * carries the group's ownership marker. A rule with the name but a stranger among its VMs is left
 * alone and reported: the operator never edits or removes a rule it can't prove it made. The
 * members are exactly the group's VMs in the cluster that exist, whatever they are doing (replaced,
 * surge, being removed), so each change of membership is at most one rule change.
 */
public final class AntiAffinity {
  /** Every rule the operator makes starts with this, so people can tell them apart in vCenter. */
  public static final String PREFIX = "vmgroup-";

  private static final int UID_HASH_CHARS = 8;

  private AntiAffinity() {}

  /**
   * A DRS rule of a cluster as vCenter has it.
   *
   * @param key vCenter's key of the rule in its cluster
   * @param antiAffinity whether it is a VM-VM anti-affinity rule (others are never ours)
   */
  public record Rule(
      int key,
      String name,
      boolean enabled,
      boolean mandatory,
      boolean antiAffinity,
      List<MoRef> vms) {
    public Rule {
      vms = vms == null ? List.of() : List.copyOf(vms);
    }
  }

  /** One change of a cluster's rules; at most one per cluster and look. */
  public sealed interface Change {
    /** A new rule, enabled. */
    record Add(String name, boolean mandatory, List<MoRef> vms) implements Change {}

    /** The rule of this key gets these flags and VMs, and keeps its name. */
    record Edit(int key, String name, boolean mandatory, List<MoRef> vms) implements Change {}

    record Remove(int key) implements Change {}
  }

  /**
   * What to do in one cluster.
   *
   * @param change the one change to make, or null
   * @param problem why the rule can't do its job there, or null
   */
  public record Decision(Change change, Problem problem) {}

  /**
   * The rule's name: {@code vmgroup-<namespace>-<name>-<8 hex of the UID's SHA-256>}, within
   * vCenter's 80 characters (a long namespace and name keep a prefix and a hash of both).
   */
  public static String ruleName(String namespace, String name, String uid) {
    String suffix = "-" + Naming.shortHash(uid).substring(0, UID_HASH_CHARS);
    String base = PREFIX + namespace + "-" + name;
    int room = Naming.VCENTER_MAX_NAME - suffix.length();
    if (Naming.vcenterLength(base) > room) {
      String hash = "-" + Naming.shortHash(base);
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < base.length(); i++) {
        String ch = base.substring(i, i + 1);
        if (Naming.vcenterLength(prefix + ch) > room - hash.length()) {
          break;
        }
        prefix.append(ch);
      }
      base = prefix + hash;
    }
    return base + suffix;
  }

  /**
   * The rule's VMs in one cluster: the group's VMs there that exist, in name order (every one,
   * whether old, new, surge or being removed: they all run somewhere until they are gone).
   */
  public static List<MoRef> members(List<VmInfo> ownedInCluster) {
    return ownedInCluster.stream()
        .filter(vm -> vm.ref() != null)
        .sorted(Comparator.comparing(VmInfo::name))
        .map(VmInfo::ref)
        .toList();
  }

  /**
   * Whether the rule is the group's: exactly its name, an anti-affinity rule, and only VMs of the
   * group in it.
   *
   * @param groupVms every VM carrying the group's ownership marker
   */
  public static boolean ours(Rule rule, String name, Set<MoRef> groupVms) {
    return rule.name().equals(name) && rule.antiAffinity() && groupVms.containsAll(rule.vms());
  }

  /**
   * The change that brings one cluster's rules to the policy.
   *
   * @param members the group's VMs in this cluster ({@link #members})
   * @param rules every DRS rule of the cluster
   * @param groupVms every VM carrying the group's marker, in any cluster
   * @param cluster the cluster's name, for messages
   */
  public static Decision diff(
      PlacementSpec.AntiAffinity policy,
      String name,
      List<MoRef> members,
      List<Rule> rules,
      Set<MoRef> groupVms,
      String cluster) {
    Rule mine = null;
    for (Rule r : rules) {
      if (!r.name().equals(name)) {
        continue;
      }
      if (!ours(r, name, groupVms)) {
        return new Decision(
            null,
            new Problem(
                Problem.Reason.AntiAffinityNotApplicable,
                "cluster '"
                    + cluster
                    + "' has a rule named '"
                    + name
                    + "' that is not this group's (another kind of rule, or VMs of others in it):"
                    + " it is left alone; rename or remove it for the operator to keep its own"));
      }
      mine = r;
    }
    boolean wanted = policy != null && policy != PlacementSpec.AntiAffinity.None;
    // a rule of one VM keeps nothing apart
    if (!wanted || members.size() < 2) {
      return new Decision(mine == null ? null : new Change.Remove(mine.key()), null);
    }
    boolean mandatory = policy == PlacementSpec.AntiAffinity.Required;
    if (mine == null) {
      return new Decision(new Change.Add(name, mandatory, members), null);
    }
    boolean same =
        mine.enabled()
            && mine.mandatory() == mandatory
            && new HashSet<>(mine.vms()).equals(new HashSet<>(members));
    return new Decision(same ? null : new Change.Edit(mine.key(), name, mandatory, members), null);
  }

  /**
   * Why the policy can't work in a cluster, or null when it can.
   *
   * @param drsCluster a cluster with DRS enabled (a standalone host, or DRS off, ignores rules)
   * @param hosts the cluster's hosts
   * @param vms the group's VMs there
   */
  public static Problem applicability(
      PlacementSpec.AntiAffinity policy, String cluster, boolean drsCluster, int hosts, int vms) {
    if (policy == null || policy == PlacementSpec.AntiAffinity.None || vms < 2) {
      return null;
    }
    if (!drsCluster) {
      return new Problem(
          Problem.Reason.AntiAffinityNotApplicable,
          "antiAffinity "
              + policy
              + " needs a cluster with DRS enabled, and '"
              + cluster
              + "' is a standalone host or has DRS off: the "
              + vms
              + " VMs there may share a host");
    }
    if (policy == PlacementSpec.AntiAffinity.Required && vms > hosts) {
      return new Problem(
          Problem.Reason.AntiAffinityNotApplicable,
          "antiAffinity Required puts each VM on a host of its own, and cluster '"
              + cluster
              + "' has "
              + hosts
              + " hosts for "
              + vms
              + " VMs: "
              + (vms - hosts)
              + " can't power on; add hosts, lower replicas, spread over failure domains or use"
              + " Preferred");
    }
    return null;
  }

  /** The problems of several clusters as one (the first reason, every message), or null. */
  public static Problem combine(List<Problem> problems) {
    List<Problem> real = new ArrayList<>(problems.stream().filter(Objects::nonNull).toList());
    if (real.isEmpty()) {
      return null;
    }
    return new Problem(
        real.get(0).reason(), String.join("; ", real.stream().map(Problem::message).toList()));
  }
}
