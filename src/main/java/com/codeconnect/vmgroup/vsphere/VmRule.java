package com.codeconnect.vmgroup.vsphere;

import java.util.List;

/**
 * One DRS rule of a cluster ({@code configurationEx.rule}), as the operator reads it.
 *
 * @param key vCenter's key of the rule in its cluster: what edits and removals name
 * @param mandatory whether the rule must hold ("required") rather than be preferred
 * @param vms the rule's VMs for affinity and anti-affinity rules; empty for {@link Kind#OTHER}
 */
public record VmRule(
    int key, String name, boolean enabled, boolean mandatory, Kind kind, List<MoRef> vms) {

  public enum Kind {
    /** VM-VM anti-affinity: the VMs run on different hosts. */
    ANTI_AFFINITY,
    /** VM-VM affinity: the VMs run on one host. */
    AFFINITY,
    /** VM-host and dependency rules, which the operator never writes. */
    OTHER
  }

  public VmRule {
    name = name == null ? "" : name;
    vms = vms == null ? List.of() : List.copyOf(vms);
  }
}
