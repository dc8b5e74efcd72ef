package com.codeconnect.vmgroup.vsphere;

import java.util.List;

/**
 * A cluster or a standalone host: where a resource pool's VMs run, and whether DRS can keep them
 * apart.
 *
 * @param drsEnabled whether DRS is on; always false for a standalone host
 * @param hostCount the hosts it has: a mandatory anti-affinity rule over more VMs than hosts keeps
 *     the extra VMs from powering on
 * @param rootPool its root resource pool ({@code .../Resources})
 * @param rules its DRS rules (all of them, not only the operator's); empty for a standalone host
 */
public record ComputeResourceInfo(
    MoRef ref,
    String name,
    Kind kind,
    boolean drsEnabled,
    int hostCount,
    MoRef rootPool,
    List<VmRule> rules) {

  public enum Kind {
    CLUSTER,
    STANDALONE_HOST
  }

  public ComputeResourceInfo {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /**
   * Whether a VM-VM anti-affinity rule can work here: only DRS acts on one, and only a cluster has
   * DRS.
   */
  public boolean antiAffinityApplies() {
    return kind == Kind.CLUSTER && drsEnabled;
  }
}
