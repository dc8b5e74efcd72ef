package com.codeconnect.vmgroup.vsphere;

import java.util.List;
import java.util.Objects;

/**
 * One change of a cluster's DRS rules in {@link VsphereClient#reconfigureRules}. The operator
 * writes only VM-VM anti-affinity rules, and names a rule it changes by key, so rules it didn't
 * create are never touched.
 */
public sealed interface RuleChange {

  /**
   * A new anti-affinity rule; vCenter chooses its key.
   *
   * @param vms at least one VM (the WSDL's minimum); vCenter's UI asks for two, and a rule of one
   *     VM keeps nothing apart
   */
  record Add(String name, boolean enabled, boolean mandatory, List<MoRef> vms)
      implements RuleChange {
    public Add {
      Objects.requireNonNull(name, "name");
      vms = members(vms);
    }
  }

  /**
   * Replaces the anti-affinity rule of this key: its name, flags and VMs. govmomi's simulator finds
   * the rule by name instead, so there an edit must keep the rule's name.
   */
  record Edit(int key, String name, boolean enabled, boolean mandatory, List<MoRef> vms)
      implements RuleChange {
    public Edit {
      Objects.requireNonNull(name, "name");
      vms = members(vms);
    }
  }

  /** Removes the rule of this key. */
  record Remove(int key) implements RuleChange {}

  private static List<MoRef> members(List<MoRef> vms) {
    List<MoRef> copy = List.copyOf(vms);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("a rule needs at least one VM");
    }
    return copy;
  }
}
