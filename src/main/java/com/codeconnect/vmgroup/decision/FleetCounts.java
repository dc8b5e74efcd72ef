package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Pure: the counts behind the fleet gauges, from the informer cache and the inventory. */
public final class FleetCounts {
  private FleetCounts() {}

  /** A VmGroup's Ready condition, as the {@code ready} label says it. */
  public enum Readiness {
    TRUE("true"),
    FALSE("false"),
    UNKNOWN("unknown");

    private final String label;

    Readiness(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** From a condition's status ({@code True}, {@code False}, {@code Unknown}) or null. */
    public static Readiness of(String conditionStatus) {
      if ("True".equals(conditionStatus)) {
        return TRUE;
      }
      return "False".equals(conditionStatus) ? FALSE : UNKNOWN;
    }
  }

  /** Groups by their Ready condition; a group without status or condition is unknown. */
  public static Map<Readiness, Integer> byReadiness(Collection<VmGroup> groups) {
    Map<Readiness, Integer> counts = new EnumMap<>(Readiness.class);
    for (VmGroup g : groups) {
      Condition ready =
          g.getStatus() == null
              ? null
              : StatusBuilder.find(g.getStatus().getConditions(), StatusBuilder.READY);
      counts.merge(Readiness.of(ready == null ? null : ready.getStatus()), 1, Integer::sum);
    }
    return counts;
  }

  /**
   * VMs carrying the ownership marker of one of {@code groups}, by power state. Only these groups'
   * markers count: with sharding (--selector, --namespaces) another operator's VMs share the
   * inventory's root folder but are not this operator's to report.
   */
  public static Map<PowerState, Integer> managedVmsByPowerState(
      Collection<VmGroup> groups, Collection<VmInfo> vms) {
    Set<String> uids = new HashSet<>();
    for (VmGroup g : groups) {
      uids.add(g.getMetadata().getUid());
    }
    Map<PowerState, Integer> counts = new EnumMap<>(PowerState.class);
    for (VmInfo vm : vms) {
      String owner = vm.extraConfig().get(Ownership.OWNER_UID);
      if (owner != null && uids.contains(owner)) {
        counts.merge(vm.powerState(), 1, Integer::sum);
      }
    }
    return counts;
  }
}
