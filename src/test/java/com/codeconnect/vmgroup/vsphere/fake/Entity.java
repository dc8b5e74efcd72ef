package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.GuestState;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** One object of the in-memory inventory; mutable, and only touched under the vCenter's lock. */
final class Entity {
  final MoRef ref;
  String name;
  MoRef parent;
  // insertion-ordered, so listings come back in creation order as the simulator's do
  final Set<MoRef> children = new LinkedHashSet<>();
  // for VMs and templates only
  VmState vm;
  // for VMs and templates only: not watched by feeds, so not part of the state they compare
  VmHardware hardware;
  // for clusters only
  FakeClusters.Rules rules;
  // for datacenters only
  MoRef vmFolder;
  MoRef hostFolder;

  Entity(MoRef ref, String name, MoRef parent) {
    this.ref = ref;
    this.name = name;
    this.parent = parent;
  }

  boolean isVm() {
    return vm != null;
  }

  boolean isFolder() {
    return ref.type().equals("Folder");
  }

  VmInfo vmInfo(String prefix) {
    return new VmInfo(
        ref,
        name,
        parent,
        vm.power(),
        vm.cpu(),
        vm.memoryMiB(),
        vm.template(),
        vm.instanceUuid(),
        vm.ipAddress(),
        vm.markers(prefix),
        vm.cpuHotAdd(),
        vm.memoryHotAdd(),
        vm.snapshot(),
        guestState(vm),
        vm.customValues());
  }

  static GuestState guestState(VmState vm) {
    return new GuestState(
        vm.guest().tools(),
        vm.guest().heartbeat(),
        vm.guest().ipAddresses(),
        vm.markers(GuestState.GUEST_INFO_PREFIX));
  }

  /**
   * What a change feed needs to know about an object at one moment: its properties, and the chain
   * of containers above it, which tells whether it is below a feed's root.
   */
  record Snapshot(MoRef ref, String name, MoRef parent, List<MoRef> ancestors, VmState vm) {
    ObjectChange.Kind kind() {
      return vm != null ? ObjectChange.Kind.VM : ObjectChange.Kind.FOLDER;
    }

    boolean below(MoRef root) {
      return ancestors.contains(root);
    }

    /** Every property a feed watches, under the seam's neutral keys. */
    Map<String, Object> values(String prefix) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("name", name);
      v.put("parent", parent);
      if (vm != null) {
        v.put("powerState", vm.power());
        v.put("cpu", vm.cpu());
        v.put("memoryMiB", vm.memoryMiB());
        v.put("template", vm.template());
        v.put("instanceUuid", vm.instanceUuid());
        v.put("ipAddress", vm.ipAddress());
        v.put("extraConfig", vm.markers(prefix));
        v.put("cpuHotAdd", vm.cpuHotAdd());
        v.put("memoryHotAdd", vm.memoryHotAdd());
        v.put("currentSnapshot", vm.snapshot());
        v.put("toolsStatus", vm.guest().tools());
        v.put("heartbeat", vm.guest().heartbeat());
        v.put("ipAddresses", vm.guest().ipAddresses());
        v.put("guestInfo", vm.markers(GuestState.GUEST_INFO_PREFIX));
        v.put("customValues", vm.customValues());
      }
      return v;
    }

    /**
     * The properties that differ from {@code before}, as vCenter reports a modification. The
     * marker-filtered extraConfig and the guest's readiness keys are sent whenever the whole
     * extraConfig changed, since vCenter watches the property, not the keys a client keeps.
     */
    Map<String, Object> changedSince(Snapshot before, String prefix) {
      Map<String, Object> was = before.values(prefix);
      Map<String, Object> out = new LinkedHashMap<>();
      values(prefix)
          .forEach(
              (k, v) -> {
                boolean changed =
                    k.equals("extraConfig") || k.equals("guestInfo")
                        ? !before.vm().extraConfig().equals(vm.extraConfig())
                        : !Objects.equals(was.get(k), v);
                if (changed) {
                  out.put(k, v);
                }
              });
      return out;
    }
  }
}
