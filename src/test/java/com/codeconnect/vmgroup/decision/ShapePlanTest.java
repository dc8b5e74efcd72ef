package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codeconnect.vmgroup.api.v1alpha1.AddressPoolSpec;
import com.codeconnect.vmgroup.api.v1alpha1.BootstrapSpec;
import com.codeconnect.vmgroup.api.v1alpha1.CloudInitSpec;
import com.codeconnect.vmgroup.api.v1alpha1.DiskSpec;
import com.codeconnect.vmgroup.api.v1alpha1.ExtraDiskSpec;
import com.codeconnect.vmgroup.api.v1alpha1.NetworkSpec;
import com.codeconnect.vmgroup.api.v1alpha1.RollingUpdate;
import com.codeconnect.vmgroup.api.v1alpha1.UpdateStrategy;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** How the plan reacts to the fields beyond template, cpu and memory. */
class ShapePlanTest {
  static VmGroupSpec spec(int replicas) {
    return new VmGroupSpec(2, 2, replicas, "ubuntu");
  }

  static ReplicaPlan.Desired desired(VmGroupSpec spec, Integer templateDiskGiB) {
    return ReplicaPlan.Desired.of("vg", spec, true, new ReplicaPlan.Facts(null, templateDiskGiB));
  }

  /** A running VM made for {@code made}, with the markers a clone of it gets. */
  static VmInfo vm(int index, VmGroupSpec made, PowerState power, Integer diskGiB) {
    ReplicaPlan.Desired d = desired(made, null);
    return new VmInfo(
        new MoRef("VirtualMachine", "vm-" + index + "-" + d.hash().source()),
        Naming.vmName("vg", index),
        new MoRef("Folder", "group"),
        power,
        2,
        2048,
        false,
        "uuid-" + index,
        null,
        Ownership.markers(
            "uid", "ns", "vg", index, d.hash(), d.addresses().addressesOf(index), diskGiB),
        false,
        false,
        null);
  }

  static List<VmInfo> running(VmGroupSpec made, Integer diskGiB, int... indices) {
    List<VmInfo> vms = new ArrayList<>();
    for (int i : indices) {
      vms.add(vm(i, made, PowerState.POWERED_ON, diskGiB));
    }
    return vms;
  }

  static VmGroupSpec withDisk(VmGroupSpec s, int gib) {
    s.setDisk(new DiskSpec(gib));
    return s;
  }

  @Test
  void aLargerBootDiskIsGrownInPlaceOnRunningVms() {
    VmGroupSpec grown = withDisk(spec(3), 40);
    List<VmInfo> vms = running(withDisk(spec(3), 20), 20, 0, 1, 2);
    ReplicaPlan.Result r = ReplicaPlan.compute(desired(grown, 16), vms, Set.of(), Set.of());
    assertThat(r.actions())
        .as("no replacement: the disk size is no part of the source hash")
        .containsExactly(
            new Action.GrowDisk(vms.get(0), 40),
            new Action.GrowDisk(vms.get(1), 40),
            new Action.GrowDisk(vms.get(2), 40));
    assertThat(r.spendsAvailability()).isFalse();
    assertThat(r.outdated()).isZero();
    assertThat(ReplicaPlan.upToDate(vms.get(0), desired(grown, 16))).isFalse();
    Action.GrowDisk grow = new Action.GrowDisk(vms.get(0), 40);
    assertThat(grow.describe()).isEqualTo("growing the boot disk of VM 'vg-0' to 40 GiB");
    assertThat(grow.settledBy(vms.get(0))).isFalse();
    assertThat(grow.settledBy(vm(0, grown, PowerState.POWERED_ON, 40))).isTrue();
  }

  @Test
  void vmsClonedAtTheTemplatesSizeGrowFromIt() {
    List<VmInfo> unmarked = running(spec(2), null, 0, 1);
    assertThat(ReplicaPlan.plan(desired(withDisk(spec(2), 40), 16), unmarked, Set.of()))
        .containsExactly(
            new Action.GrowDisk(unmarked.get(0), 40), new Action.GrowDisk(unmarked.get(1), 40));
    assertThat(ReplicaPlan.plan(desired(withDisk(spec(2), 40), null), unmarked, Set.of()))
        .as("the template's size unknown: nothing to go by")
        .isEmpty();
    assertThat(ReplicaPlan.plan(desired(withDisk(spec(2), 16), 16), unmarked, Set.of()))
        .as("as large as the template's already")
        .isEmpty();
  }

  @Test
  void aSmallerBootDiskIsNeverPlannedButRefused() {
    List<VmInfo> vms = running(withDisk(spec(2), 40), 40, 0, 1);
    ReplicaPlan.Desired smaller = desired(withDisk(spec(2), 30), 16);
    assertThat(ReplicaPlan.plan(smaller, vms, Set.of())).isEmpty();
    assertThat(vms).allMatch(vm -> ReplicaPlan.upToDate(vm, smaller));
    Problem p = BootDisk.shrinkRefused(smaller, vms);
    assertThat(p.reason()).isEqualTo(Problem.Reason.DiskShrinkRefused);
    assertThat(p.message())
        .isEqualTo(
            "spec.disk.sizeGiB 30 is smaller than the boot disk of VMs vg-0, vg-1 (up to 40 GiB):"
                + " vSphere can't shrink a disk, so they keep theirs; set it back to 40 or more");
    assertThat(BootDisk.shrinkRefused(desired(withDisk(spec(2), 40), 16), vms)).isNull();
    assertThatThrownBy(() -> new Action.GrowDisk(vms.get(0), 30))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a disk only grows");
  }

  @Test
  void theTemplatesDiskBoundsTheSpec() {
    Problem p = BootDisk.belowTemplate(10, 16, "ubuntu");
    assertThat(p.reason()).isEqualTo(Problem.Reason.DiskShrinkRefused);
    assertThat(p.message())
        .isEqualTo(
            "spec.disk.sizeGiB 10 is smaller than the boot disk of template 'ubuntu' (16 GiB):"
                + " vSphere can't shrink a disk; ask for 16 or more, or leave it out");
    assertThat(BootDisk.belowTemplate(16, 16, "ubuntu")).isNull();
    assertThat(BootDisk.belowTemplate(null, 16, "ubuntu")).isNull();
    assertThat(BootDisk.atClone(40, 16)).isEqualTo(40);
    assertThat(BootDisk.atClone(16, 16)).as("the template's size: nothing to change").isNull();
    assertThat(BootDisk.atClone(null, 16)).isNull();
    assertThat(BootDisk.atClone(40, null)).isEqualTo(40);
  }

  @Test
  void diskGrowthWaitsForPowerAndForTasksAndSkipsVmsKeptAtAnOlderSpec() {
    VmGroupSpec grown = withDisk(spec(2), 40);
    VmInfo off = vm(0, spec(2), PowerState.POWERED_OFF, 20);
    VmInfo busy = vm(1, spec(2), PowerState.POWERED_ON, 20);
    assertThat(ReplicaPlan.plan(desired(grown, 16), List.of(off, busy), Set.of("vg-1")))
        .containsExactly(new Action.PowerOn(off));
    VmGroupSpec onDelete = withDisk(spec(2), 40);
    onDelete.setCpu(4);
    onDelete.setUpdateStrategy(new UpdateStrategy(UpdateStrategy.Type.OnDelete, null));
    List<VmInfo> kept = running(spec(2), 20, 0, 1);
    assertThat(ReplicaPlan.plan(desired(onDelete, 16), kept, Set.of()))
        .as("OnDelete keeps VMs of an earlier spec as they are")
        .isEmpty();
  }

  /** Every field only a new VM can take makes the VMs outdated: replaced one at a time. */
  @Test
  void eachCloneOnlyFieldReplacesTheVmsFollowingTheStrategy() {
    List<Consumer<VmGroupSpec>> changes =
        List.of(
            s -> s.setCoresPerSocket(2),
            s ->
                s.setBootstrap(new BootstrapSpec(new CloudInitSpec("#cloud-config\n"), null, null)),
            s -> s.setNetworks(List.of(new NetworkSpec("VM Network", null))),
            s -> s.setExtraDisks(List.of(new ExtraDiskSpec(20, null))));
    List<VmInfo> old = running(spec(3), null, 0, 1, 2);
    for (Consumer<VmGroupSpec> change : changes) {
      VmGroupSpec next = spec(3);
      change.accept(next);
      ReplicaPlan.Result r = ReplicaPlan.compute(desired(next, null), old, Set.of(), Set.of());
      assertThat(r.outdated()).as("after %s", next).isEqualTo(3);
      assertThat(r.actions())
          .containsExactly(new Action.PowerOff(old.get(2), Action.PowerOff.Purpose.DELETE));
      next.setUpdateStrategy(new UpdateStrategy(UpdateStrategy.Type.OnDelete, null));
      assertThat(ReplicaPlan.plan(desired(next, null), old, Set.of())).isEmpty();
    }
    VmGroupSpec fromSecret = spec(3);
    fromSecret.setBootstrap(
        new BootstrapSpec(
            new CloudInitSpec(new com.codeconnect.vmgroup.api.v1alpha1.SecretKeyRef("ud", "k")),
            null,
            null));
    ReplicaPlan.Desired first =
        ReplicaPlan.Desired.of("vg", fromSecret, true, new ReplicaPlan.Facts("digest-1", null));
    List<VmInfo> made = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      made.add(withMarkers(old.get(i), first.hash()));
    }
    assertThat(ReplicaPlan.plan(first, made, Set.of())).isEmpty();
    ReplicaPlan.Desired edited =
        ReplicaPlan.Desired.of("vg", fromSecret, true, new ReplicaPlan.Facts("digest-2", null));
    assertThat(ReplicaPlan.plan(edited, made, Set.of()))
        .as("the Secret's content changed")
        .containsExactly(new Action.PowerOff(made.get(2), Action.PowerOff.Purpose.DELETE));
    VmGroupSpec quantity = spec(3);
    quantity.setMemory(new IntOrString("2048Mi"));
    assertThat(ReplicaPlan.plan(desired(quantity, null), old, Set.of()))
        .as("the same memory written as a quantity changes nothing")
        .isEmpty();
  }

  static VmGroupSpec withPool(VmGroupSpec s, String range, Object maxSurge) {
    s.setBootstrap(new BootstrapSpec(new CloudInitSpec("#cloud-config\n"), null, null));
    s.setNetworks(
        List.of(new NetworkSpec("DC0_DVPG0", new AddressPoolSpec(List.of(range), null, 24, null))));
    if (maxSurge != null) {
      s.setUpdateStrategy(
          new UpdateStrategy(
              null,
              new RollingUpdate(
                  new IntOrString(1),
                  maxSurge instanceof Integer i
                      ? new IntOrString(i)
                      : new IntOrString((String) maxSurge))));
    }
    return s;
  }

  @Test
  void newVmsGetTheirIndexsAddressAndNoneBeyondThePool() {
    VmGroupSpec s = withPool(spec(4), "10.0.0.10-10.0.0.12", null);
    ReplicaPlan.Result r = ReplicaPlan.compute(desired(s, null), List.of(), Set.of(), Set.of());
    assertThat(r.actions())
        .containsExactly(
            new Action.Clone(0, "vg-0"), new Action.Clone(1, "vg-1"), new Action.Clone(2, "vg-2"));
    assertThat(r.addressesWaiting()).isEqualTo(1);
    assertThat(desired(s, null).addresses().exhausted(4)).isNotNull();
  }

  /**
   * A pool moved by one address, both ways, with and without surge: the rollout finishes, and at no
   * point do two VMs hold one address.
   */
  @Test
  void aChangedPoolIsRolledOutWithoutTwoVmsEverHoldingOneAddress() {
    for (Object surge : new Object[] {0, 1}) {
      for (String[] pools :
          new String[][] {
            {"10.0.0.10-10.0.0.20", "10.0.0.11-10.0.0.21"},
            {"10.0.0.11-10.0.0.21", "10.0.0.10-10.0.0.20"},
            {"10.0.0.10-10.0.0.20", "10.0.0.12-10.0.0.22"}
          }) {
        VmGroupSpec before = withPool(spec(3), pools[0], surge);
        VmGroupSpec after = withPool(spec(3), pools[1], surge);
        List<VmInfo> vms = running(before, null, 0, 1, 2);
        ReplicaPlan.Desired d = desired(after, null);
        int rounds = simulate(d, after, vms);
        assertThat(rounds).as("%s -> %s, maxSurge %s", pools[0], pools[1], surge).isLessThan(20);
        assertThat(vms).hasSize(3).allMatch(vm -> d.hash().sameSource(vm));
        for (VmInfo vm : vms) {
          int index = ReplicaPlan.indexOf("vg", vm).getAsInt();
          assertThat(Ownership.addresses(vm)).isEqualTo(d.addresses().addressesOf(index));
        }
      }
    }
  }

  /** Applies each plan's actions as vCenter would, checking the addresses after every step. */
  private static int simulate(ReplicaPlan.Desired d, VmGroupSpec spec, List<VmInfo> vms) {
    for (int round = 0; round < 20; round++) {
      List<Action> actions = ReplicaPlan.plan(d, vms, Set.of());
      if (actions.isEmpty()) {
        return round;
      }
      for (Action a : actions) {
        if (a instanceof Action.PowerOff off) {
          vms.replaceAll(vm -> vm == off.vm() ? withPower(vm, PowerState.POWERED_OFF) : vm);
        } else if (a instanceof Action.Destroy destroy) {
          vms.remove(destroy.vm());
        } else if (a instanceof Action.Clone clone) {
          vms.add(vm(clone.index(), spec, PowerState.POWERED_ON, null));
        }
        assertNoAddressTwice(vms);
      }
    }
    return Integer.MAX_VALUE;
  }

  private static void assertNoAddressTwice(List<VmInfo> vms) {
    Map<String, String> holder = new HashMap<>();
    for (VmInfo vm : vms) {
      for (String a : Ownership.addresses(vm)) {
        assertThat(holder.put(a, vm.name())).as("%s held twice: %s", a, vms).isNull();
      }
    }
  }

  private static VmInfo withMarkers(VmInfo vm, SpecHash hash) {
    Map<String, String> markers = new HashMap<>(vm.extraConfig());
    markers.putAll(hash.markers());
    return new VmInfo(
        vm.ref(),
        vm.name(),
        vm.parent(),
        vm.powerState(),
        vm.cpu(),
        vm.memoryMiB(),
        vm.template(),
        vm.instanceUuid(),
        vm.ipAddress(),
        markers,
        vm.cpuHotAdd(),
        vm.memoryHotAdd(),
        vm.currentSnapshot());
  }

  private static VmInfo withPower(VmInfo vm, PowerState power) {
    return new VmInfo(
        vm.ref(),
        vm.name(),
        vm.parent(),
        power,
        vm.cpu(),
        vm.memoryMiB(),
        vm.template(),
        vm.instanceUuid(),
        vm.ipAddress(),
        vm.extraConfig(),
        vm.cpuHotAdd(),
        vm.memoryHotAdd(),
        vm.currentSnapshot());
  }

  @Test
  void aCloneWaitsWhileAnotherVmHoldsItsAddress() {
    VmGroupSpec before = withPool(spec(2), "10.0.0.10-10.0.0.20", null);
    VmGroupSpec after = withPool(spec(2), "10.0.0.11-10.0.0.21", null);
    // vg-1 of the old pool holds 10.0.0.11, which the new vg-0 would get
    List<VmInfo> vms = running(before, null, 1);
    ReplicaPlan.Result r = ReplicaPlan.compute(desired(after, null), vms, Set.of(), Set.of());
    assertThat(r.actions()).noneMatch(a -> a instanceof Action.Clone);
    assertThat(r.addressesWaiting()).isEqualTo(1);
    Set<String> held = new HashSet<>(Ownership.addresses(vms.get(0)));
    assertThat(held).containsExactly("10.0.0.11");
  }
}
