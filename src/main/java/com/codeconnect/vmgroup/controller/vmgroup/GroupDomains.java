package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.FailureDomainSpec;
import com.codeconnect.vmgroup.api.v1alpha1.NetworkSpec;
import com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.FailureDomains;
import com.codeconnect.vmgroup.decision.Placement;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.endpoint.NetworkResolver;
import com.codeconnect.vmgroup.endpoint.PlacementResolver.PlacementException;
import com.codeconnect.vmgroup.vsphere.NetworkInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A group's failure domains as one look found them ({@link FailureDomains} is the pure part): each
 * domain's placement, resolved through the endpoint's cached {@link
 * com.codeconnect.vmgroup.endpoint.PlacementResolver} so the steady state calls no vCenter, its
 * networks once a clone needs them, and why a domain can't take VMs. A domain that fails holds back
 * only the VMs whose index falls on it.
 *
 * @param placements the placement of each domain that resolved, by name
 * @param networks each domain's networks in spec order, once resolved for a clone
 * @param unavailable why a domain can't take VMs now, by name
 * @param notFound the listed names defined nowhere, or null
 */
record GroupDomains(
    FailureDomains.Layout layout,
    Map<String, FailureDomains.Domain> defined,
    Map<String, Placement> placements,
    Map<String, List<NetworkInfo>> networks,
    Map<String, String> unavailable,
    Problem notFound) {

  static final GroupDomains NONE =
      new GroupDomains(FailureDomains.Layout.NONE, Map.of(), Map.of(), Map.of(), Map.of(), null);

  GroupDomains {
    defined = Map.copyOf(defined);
    placements = Map.copyOf(placements);
    networks = Map.copyOf(networks);
    unavailable = Collections.unmodifiableMap(new LinkedHashMap<>(unavailable));
  }

  /**
   * The group's domains with their placements.
   *
   * @param group the group's own placement (datacenter, folder, datastore)
   * @param vcenter the VCenter's spec.failureDomains, or null
   */
  static GroupDomains resolve(
      Endpoint ep, VmGroup group, Placement base, List<FailureDomainSpec> vcenter) {
    PlacementSpec spec = group.getSpec() == null ? null : group.getSpec().getPlacement();
    if (spec == null || spec.getFailureDomains() == null || spec.getFailureDomains().isEmpty()) {
      return NONE;
    }
    FailureDomains.Resolved resolved =
        FailureDomains.resolve(spec, vcenter, ep.isOwn() ? null : ep.name());
    Map<String, FailureDomains.Domain> defined = new LinkedHashMap<>();
    Map<String, Placement> placements = new LinkedHashMap<>();
    Map<String, String> why = new LinkedHashMap<>();
    for (FailureDomains.Domain d : resolved.domains()) {
      defined.put(d.name(), d);
      try {
        placements.put(
            d.name(), ep.placement().inDomain(base, d.cluster(), d.resourcePool(), d.datastore()));
      } catch (PlacementException e) {
        why.put(d.name(), e.getMessage());
      }
    }
    Set<String> waiting = new HashSet<>(why.keySet());
    waiting.addAll(resolved.missing());
    return new GroupDomains(
        new FailureDomains.Layout(group.getMetadata().getName(), resolved.names(), waiting),
        defined,
        placements,
        Map.of(),
        why,
        resolved.problem());
  }

  boolean active() {
    return layout.active();
  }

  /**
   * The domains with the networks their VMs connect to, each domain's own names in place of the
   * spec's where it has them. A domain whose networks can't be used takes no VMs, as one whose
   * placement failed.
   *
   * @param allowed the VCenter's allowedNetworks (null: any)
   */
  GroupDomains withNetworks(Endpoint ep, List<NetworkSpec> spec, List<String> allowed) {
    Map<String, List<NetworkInfo>> found = new LinkedHashMap<>();
    Map<String, String> why = new LinkedHashMap<>(unavailable);
    for (Map.Entry<String, Placement> e : placements.entrySet()) {
      FailureDomains.Domain d = defined.get(e.getKey());
      List<String> names = FailureDomains.networks(d, spec);
      List<NetworkSpec> renamed = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        renamed.add(new NetworkSpec(names.get(i), spec.get(i).getAddresses()));
      }
      NetworkResolver.Result r = ep.networks().resolve(e.getValue(), renamed, allowed, ep.name());
      if (r instanceof NetworkResolver.Found f) {
        found.put(d.name(), f.networks());
      } else {
        why.put(d.name(), ((NetworkResolver.Missing) r).problem().message());
      }
    }
    Set<String> waiting = new HashSet<>(layout.unavailable());
    waiting.addAll(why.keySet());
    return new GroupDomains(
        new FailureDomains.Layout(layout.group(), layout.names(), waiting),
        defined,
        placements,
        found,
        why,
        notFound);
  }

  /** Where the VM with this index is cloned: its domain's placement, else the group's. */
  Placement placementOf(int index, Placement group) {
    String name = layout.domainOfIndex(index);
    return name == null ? group : placements.getOrDefault(name, group);
  }

  /** The networks of the VM with this index: its domain's, else the group's. */
  List<NetworkInfo> networksOf(int index, List<NetworkInfo> group) {
    String name = layout.domainOfIndex(index);
    return name == null ? group : networks.getOrDefault(name, group);
  }

  /** What a new VM with this index records about its domain. */
  Map<String, String> markers(int index) {
    String name = layout.domainOfIndex(index);
    return name == null ? Map.of() : Map.of(FailureDomains.MARKER, name);
  }

  /** What to report: names defined nowhere first, else the domains that can't take VMs, or null. */
  Problem problem() {
    return notFound != null ? notFound : FailureDomains.unavailable(unavailable);
  }
}
