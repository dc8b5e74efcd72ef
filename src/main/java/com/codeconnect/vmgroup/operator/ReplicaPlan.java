package com.codeconnect.vmgroup.operator;

import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Pure planning: what has to change in vCenter to turn the observed VMs into the desired ones.
 *
 * <p>Replica {@code i} is the VM named {@link Naming#vmName(String, int)}; the desired set is
 * indices {@code 0..replicas-1}. VMs with a task in flight are left alone until it finishes, so a
 * plan never races its own previous actions.
 */
public final class ReplicaPlan {
  private ReplicaPlan() {}

  /**
   * The desired state of one group.
   *
   * @param canClone false while the template is missing or ambiguous: nothing new is created, but
   *     existing VMs are still powered on, resized and scaled in
   */
  public record Desired(
      String groupName, int replicas, int cpu, long memoryMiB, boolean canClone) {}

  /**
   * @param owned the VMs that carry this group's ownership marker, and nothing else
   * @param busy names of VMs with a task in flight
   * @return actions in the order to start them: scale-in first (it frees capacity), then clones by
   *     index, then repairs
   */
  public static List<Action> plan(Desired desired, List<VmInfo> owned, Set<String> busy) {
    Map<Integer, VmInfo> byIndex = new HashMap<>();
    List<VmInfo> surplus = new ArrayList<>();
    for (VmInfo vm : sortedByName(owned)) {
      OptionalInt index = indexOf(desired.groupName(), vm);
      if (index.isEmpty()
          || index.getAsInt() >= desired.replicas()
          || byIndex.containsKey(index.getAsInt())) {
        surplus.add(vm);
      } else {
        byIndex.put(index.getAsInt(), vm);
      }
    }

    List<Action> removals = new ArrayList<>();
    surplus.sort(
        Comparator.comparingInt((VmInfo vm) -> indexOf(desired.groupName(), vm).orElse(-1))
            .reversed());
    for (VmInfo vm : surplus) {
      if (!busy.contains(vm.name())) {
        removals.add(removal(vm));
      }
    }

    List<Action> clones = new ArrayList<>();
    List<Action> repairs = new ArrayList<>();
    for (int i = 0; i < desired.replicas(); i++) {
      VmInfo vm = byIndex.get(i);
      String name = vm != null ? vm.name() : Naming.vmName(desired.groupName(), i);
      if (busy.contains(name)) {
        continue;
      }
      if (vm == null) {
        if (desired.canClone()) {
          clones.add(new Action.Clone(i, name));
        }
      } else if (!sized(vm, desired)) {
        repairs.add(
            vm.powerState() == PowerState.POWERED_OFF
                ? new Action.Reconfigure(vm, desired.cpu(), desired.memoryMiB())
                : new Action.PowerOff(vm, Action.PowerOff.Purpose.RESIZE));
      } else if (vm.powerState() != PowerState.POWERED_ON) {
        repairs.add(new Action.PowerOn(vm));
      }
    }

    List<Action> actions = new ArrayList<>(removals);
    actions.addAll(clones);
    actions.addAll(repairs);
    return actions;
  }

  /** Everything needed to remove all of a group's VMs (on deletion). */
  public static List<Action> teardown(List<VmInfo> owned, Set<String> busy) {
    List<Action> actions = new ArrayList<>();
    for (VmInfo vm : sortedByName(owned)) {
      if (!busy.contains(vm.name())) {
        actions.add(removal(vm));
      }
    }
    return actions;
  }

  /** A VM counts as ready when it is powered on with the spec's CPU and memory. */
  public static boolean ready(VmInfo vm, Desired desired) {
    return vm.powerState() == PowerState.POWERED_ON && sized(vm, desired);
  }

  /** The replica index of an owned VM: the clone-time marker, else its name. */
  public static OptionalInt indexOf(String groupName, VmInfo vm) {
    OptionalInt marked = Ownership.index(vm);
    return marked.isPresent() ? marked : Naming.indexOf(groupName, vm.name());
  }

  private static boolean sized(VmInfo vm, Desired desired) {
    return vm.cpu() == desired.cpu() && vm.memoryMiB() == desired.memoryMiB();
  }

  private static Action removal(VmInfo vm) {
    return vm.powerState() == PowerState.POWERED_OFF
        ? new Action.Destroy(vm)
        : new Action.PowerOff(vm, Action.PowerOff.Purpose.DELETE);
  }

  private static List<VmInfo> sortedByName(List<VmInfo> vms) {
    List<VmInfo> sorted = new ArrayList<>(vms);
    sorted.sort(Comparator.comparing(VmInfo::name));
    return sorted;
  }
}
