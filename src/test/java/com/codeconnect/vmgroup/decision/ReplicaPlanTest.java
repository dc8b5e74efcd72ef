package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.testing.Vms;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicaPlanTest {
  static final String UID = Vms.UID;
  static final ReplicaPlan.Desired THREE = new ReplicaPlan.Desired("vg", 3, 2, 2048, true);

  static VmInfo vm(int index, PowerState power, int cpu, long mem) {
    return Vms.vm(index, power, cpu, mem);
  }

  static VmInfo ready(int index) {
    return Vms.ready(index);
  }

  @Test
  void emptyGroupClonesEveryReplicaInIndexOrder() {
    assertThat(ReplicaPlan.plan(THREE, List.of(), Set.of()))
        .containsExactly(
            new Action.Clone(0, "vg-0"), new Action.Clone(1, "vg-1"), new Action.Clone(2, "vg-2"));
  }

  @Test
  void convergedGroupNeedsNothing() {
    assertThat(ReplicaPlan.plan(THREE, List.of(ready(0), ready(1), ready(2)), Set.of())).isEmpty();
  }

  @Test
  void freshCloneIsResizedWhileOffThenPoweredOn() {
    VmInfo fresh = vm(0, PowerState.POWERED_OFF, 1, 32);
    assertThat(ReplicaPlan.plan(one(), List.of(fresh), Set.of()))
        .containsExactly(new Action.Reconfigure(fresh, 2, 2048));
    VmInfo sized = vm(0, PowerState.POWERED_OFF, 2, 2048);
    assertThat(ReplicaPlan.plan(one(), List.of(sized), Set.of()))
        .containsExactly(new Action.PowerOn(sized));
  }

  @Test
  void runningVmWithWrongSizeIsPoweredOffFirst() {
    VmInfo drifted = vm(0, PowerState.POWERED_ON, 4, 2048);
    assertThat(ReplicaPlan.plan(one(), List.of(drifted), Set.of()))
        .containsExactly(new Action.PowerOff(drifted, Action.PowerOff.Purpose.RESIZE));
  }

  @Test
  void suspendedVmIsPoweredOn() {
    VmInfo suspended = vm(0, PowerState.SUSPENDED, 2, 2048);
    assertThat(ReplicaPlan.plan(one(), List.of(suspended), Set.of()))
        .containsExactly(new Action.PowerOn(suspended));
  }

  @Test
  void scaleInRemovesHighestIndicesFirstAndPowersOffBeforeDestroy() {
    VmInfo offSurplus = vm(4, PowerState.POWERED_OFF, 2, 2048);
    List<Action> actions =
        ReplicaPlan.plan(
            new ReplicaPlan.Desired("vg", 2, 2, 2048, true),
            List.of(ready(0), ready(1), ready(2), ready(3), offSurplus),
            Set.of());
    assertThat(actions)
        .containsExactly(
            new Action.Destroy(offSurplus),
            new Action.PowerOff(ready(3), Action.PowerOff.Purpose.DELETE),
            new Action.PowerOff(ready(2), Action.PowerOff.Purpose.DELETE));
  }

  @Test
  void scaleToZeroRemovesEverything() {
    assertThat(
            ReplicaPlan.plan(
                new ReplicaPlan.Desired("vg", 0, 2, 2048, true), List.of(ready(0)), Set.of()))
        .containsExactly(new Action.PowerOff(ready(0), Action.PowerOff.Purpose.DELETE));
  }

  @Test
  void busyVmsAreLeftAloneAndNotClonedAgain() {
    assertThat(
            ReplicaPlan.plan(
                THREE, List.of(vm(0, PowerState.POWERED_OFF, 1, 32)), Set.of("vg-0", "vg-1")))
        .containsExactly(new Action.Clone(2, "vg-2"));
  }

  @Test
  void withoutTemplateNothingIsClonedButExistingVmsAreRepaired() {
    VmInfo off = vm(0, PowerState.POWERED_OFF, 2, 2048);
    assertThat(
            ReplicaPlan.plan(
                new ReplicaPlan.Desired("vg", 3, 2, 2048, false), List.of(off), Set.of()))
        .containsExactly(new Action.PowerOn(off));
  }

  @Test
  void duplicateIndexKeepsOneAndRemovesTheOther() {
    VmInfo original = ready(0);
    VmInfo copy =
        new VmInfo(
            new MoRef("VirtualMachine", "vm-99"),
            "vg-0-renamed",
            original.parent(),
            PowerState.POWERED_OFF,
            2,
            2048,
            false,
            "uuid-99",
            null,
            Ownership.markers(UID, "ns", "vg", 0));
    assertThat(ReplicaPlan.plan(one(), List.of(original, copy), Set.of()))
        .containsExactly(new Action.Destroy(copy));
  }

  @Test
  void teardownRemovesAllButBusyVms() {
    VmInfo off = vm(1, PowerState.POWERED_OFF, 2, 2048);
    assertThat(ReplicaPlan.teardown(List.of(ready(0), off, ready(2)), Set.of("vg-2")))
        .containsExactly(
            new Action.PowerOff(ready(0), Action.PowerOff.Purpose.DELETE), new Action.Destroy(off));
  }

  private static ReplicaPlan.Desired one() {
    return new ReplicaPlan.Desired("vg", 1, 2, 2048, true);
  }
}
