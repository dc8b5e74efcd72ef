package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.FailureDomainSpec;
import com.codeconnect.vmgroup.api.v1alpha1.NetworkSpec;
import com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmStatus;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pure: spreading a group's VMs over failure domains ({@code spec.placement.failureDomains}).
 *
 * <p>The VM with index i belongs to the domain at position {@code i mod n} of the list, so a VM
 * replaced under its name (rollout, healing) goes back to its domain, and the domain is known
 * before the clone, like the index's static addresses. A VM records the domain it was cloned into
 * ({@link #MARKER}); that, not the list, says where it is, so changing the list moves no VM: new
 * and replaced VMs follow the new list, and scale-in takes first the VMs of domains no longer
 * listed, then those of the domain holding the most, which brings the spread back as the group
 * changes.
 */
public final class FailureDomains {
  /** The domain a VM was cloned into, in its extraConfig (written with the other markers). */
  public static final String MARKER = Ownership.PREFIX + "failure-domain";

  private FailureDomains() {}

  /**
   * A failure domain with its placement resolved from the group's entry or the VCenter's.
   *
   * @param networks network names replacing spec.networks' names in order, or empty
   */
  public record Domain(
      String name, String cluster, String resourcePool, String datastore, List<String> networks) {
    public Domain {
      networks = networks == null ? List.of() : List.copyOf(networks);
    }
  }

  /**
   * The group's domains.
   *
   * @param names every listed name in list order: a VM's domain is its index's position here
   * @param domains those whose definition was found
   * @param problem the names defined nowhere, or null
   */
  public record Resolved(List<String> names, List<Domain> domains, Problem problem) {
    /** The names defined nowhere: their VMs wait like those of an unavailable domain. */
    public Set<String> missing() {
      Set<String> m = new LinkedHashSet<>(names);
      domains.forEach(d -> m.remove(d.name()));
      return m;
    }
  }

  /**
   * The group's failure domains: an entry with a cluster or resource pool is its own; one with a
   * name alone is the VCenter's domain of that name. A name defined nowhere keeps its position, so
   * the other VMs' domains stay where their indices put them.
   *
   * @param vcenter the VCenter's spec.failureDomains, or null (the operator's own vCenter has none)
   * @param vcenterName for the message when a name isn't found
   */
  public static Resolved resolve(
      PlacementSpec placement, List<FailureDomainSpec> vcenter, String vcenterName) {
    List<FailureDomainSpec> listed =
        placement == null || placement.getFailureDomains() == null
            ? List.of()
            : placement.getFailureDomains();
    Map<String, FailureDomainSpec> shared = new HashMap<>();
    for (FailureDomainSpec d : vcenter == null ? List.<FailureDomainSpec>of() : vcenter) {
      shared.putIfAbsent(d.getName(), d);
    }
    List<Domain> out = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (FailureDomainSpec d : listed) {
      FailureDomainSpec source = d.reference() ? shared.get(d.getName()) : d;
      if (source == null || source.reference()) {
        missing.add(d.getName());
        continue;
      }
      String datastore =
          source.getDatastore() != null ? source.getDatastore() : placement.getDatastore();
      out.add(
          new Domain(
              d.getName(),
              source.getCluster(),
              source.getResourcePool(),
              datastore,
              source.getNetworks()));
    }
    List<String> names = listed.stream().map(FailureDomainSpec::getName).toList();
    if (!missing.isEmpty()) {
      return new Resolved(
          names,
          out,
          new Problem(
              Problem.Reason.FailureDomainNotFound,
              "failure domains "
                  + missing
                  + " name none of "
                  + (vcenterName == null
                      ? "the operator's vCenter"
                      : "VCenter '" + vcenterName + "'")
                  + "'s spec.failureDomains; define them there, or give each a cluster or"
                  + " resourcePool in the group; their VMs wait, the other domains keep theirs"));
    }
    return new Resolved(names, out, null);
  }

  /** The domain of the VM with this index, or null when the group has no domains. */
  public static Domain assign(List<Domain> domains, int index) {
    return domains.isEmpty() ? null : domains.get(Math.floorMod(index, domains.size()));
  }

  /**
   * The network names a VM of this domain connects to, in the order of spec.networks: the domain's
   * own where it has them.
   */
  public static List<String> networks(Domain domain, List<NetworkSpec> networks) {
    List<String> names = new ArrayList<>();
    List<NetworkSpec> spec = networks == null ? List.of() : networks;
    for (int i = 0; i < spec.size(); i++) {
      names.add(
          domain != null && i < domain.networks().size()
              ? domain.networks().get(i)
              : spec.get(i).getName());
    }
    return names;
  }

  /**
   * A problem naming the domains that can't take VMs now, or null.
   *
   * @param why what failed per domain name, e.g. "cluster 'DC0_C9' not found"
   */
  public static Problem unavailable(Map<String, String> why) {
    if (why.isEmpty()) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    why.forEach(
        (name, cause) ->
            b.append(b.length() == 0 ? "" : "; ")
                .append("failure domain '")
                .append(name)
                .append("': ")
                .append(cause));
    return new Problem(
        Problem.Reason.FailureDomainUnavailable,
        b + "; its VMs wait, the other domains keep theirs");
  }

  /** Writes each VM's domain into its status entry; returns the list. */
  public static List<VmStatus> record(List<VmStatus> vms, Layout layout, List<VmInfo> owned) {
    if (!layout.active()) {
      return vms;
    }
    Map<String, VmInfo> byName = new HashMap<>();
    owned.forEach(vm -> byName.put(vm.name(), vm));
    for (VmStatus s : vms) {
      VmInfo vm = byName.get(s.getName());
      s.setFailureDomain(
          vm != null
              ? layout.domainOf(vm)
              : Naming.indexOf(layout.group(), s.getName()).stream()
                  .mapToObj(layout::domainOfIndex)
                  .findFirst()
                  .orElse(null));
    }
    return vms;
  }

  /**
   * How the plan sees the domains: where each VM is, which domains take new VMs.
   *
   * @param names the domains in list order; empty: the group has none
   * @param unavailable domains that can't take VMs now
   */
  public record Layout(String group, List<String> names, Set<String> unavailable) {
    public static final Layout NONE = new Layout("", List.of(), Set.of());

    public Layout {
      names = List.copyOf(names);
      unavailable = Set.copyOf(unavailable);
    }

    public boolean active() {
      return !names.isEmpty();
    }

    /** The domain the VM is in: the one it was cloned into, else its index's. */
    public String domainOf(VmInfo vm) {
      String marked = vm.extraConfig().get(MARKER);
      if (marked != null && !marked.isEmpty()) {
        return marked;
      }
      return domainOfIndex(ReplicaPlan.indexOf(group, vm).orElse(0));
    }

    public String domainOfIndex(int index) {
      return names.isEmpty() ? null : names.get(Math.floorMod(index, names.size()));
    }

    /** Whether a new VM with this index can be made now: its domain takes VMs. */
    public boolean canTake(int index) {
      return !active() || !unavailable.contains(domainOfIndex(index));
    }

    /**
     * The VMs scale-in removes: within the order's tiers (not-ready first, then out-of-date), from
     * the domain holding the most (a domain no longer listed before any), newest first among
     * equals. One at a time, so each removal counts in the next choice.
     *
     * @param members the group's current VMs, busy ones included: they count in their domain
     * @param candidates the VMs that may go
     * @param tier the plan's order before age: its first VMs go first
     * @param newest newest first
     */
    public List<VmInfo> scaleIn(
        List<VmInfo> members,
        List<VmInfo> candidates,
        int count,
        Comparator<VmInfo> tier,
        Comparator<VmInfo> newest) {
      if (count <= 0) {
        return List.of();
      }
      if (!active()) {
        return candidates.stream().sorted(tier.thenComparing(newest)).limit(count).toList();
      }
      Map<String, Integer> load = new LinkedHashMap<>();
      members.forEach(vm -> load.merge(domainOf(vm), 1, Integer::sum));
      List<VmInfo> left = new ArrayList<>(candidates);
      List<VmInfo> chosen = new ArrayList<>();
      while (chosen.size() < count && !left.isEmpty()) {
        Comparator<VmInfo> fullest =
            Comparator.comparingInt(
                (VmInfo vm) ->
                    names.contains(domainOf(vm))
                        ? -load.getOrDefault(domainOf(vm), 0)
                        : Integer.MIN_VALUE);
        VmInfo next = left.stream().min(tier.thenComparing(fullest).thenComparing(newest)).get();
        left.remove(next);
        chosen.add(next);
        load.merge(domainOf(next), -1, Integer::sum);
      }
      return chosen;
    }
  }
}
