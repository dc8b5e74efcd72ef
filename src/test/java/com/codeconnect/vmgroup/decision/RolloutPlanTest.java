package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.RollingUpdate;
import com.codeconnect.vmgroup.api.v1alpha1.UpdateStrategy;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Updates and rollouts: the plan against the update strategy's limits. */
class RolloutPlanTest {
  static final SpecHash OLD = SpecHash.of("ubuntu-22", "full", 2, 2048);
  static final SpecHash NEW = SpecHash.of("ubuntu-24", "full", 2, 2048);

  static ReplicaPlan.Desired desired(
      int replicas,
      int cpu,
      SpecHash hash,
      UpdateStrategy.Type type,
      Object unavailable,
      Object surge) {
    UpdateStrategy strategy =
        new UpdateStrategy(
            type,
            type == UpdateStrategy.Type.RollingUpdate
                ? new RollingUpdate(ios(unavailable), ios(surge))
                : null);
    return new ReplicaPlan.Desired(
        "vg", replicas, cpu, 2048, true, hash, ReplicaPlan.Strategy.resolve(strategy, replicas));
  }

  static IntOrString ios(Object v) {
    return v == null
        ? null
        : v instanceof Integer i ? new IntOrString(i) : new IntOrString((String) v);
  }

  static VmInfo vm(int index, SpecHash hash, PowerState power, int cpu, boolean hotAdd) {
    return new VmInfo(
        new MoRef("VirtualMachine", "vm-" + index + "-" + hash.source()),
        Naming.vmName("vg", index),
        new MoRef("Folder", "group"),
        power,
        cpu,
        2048,
        false,
        "uuid-" + index,
        null,
        Ownership.markers("uid", "ns", "vg", index, hash),
        hotAdd,
        hotAdd,
        null);
  }

  static List<VmInfo> running(SpecHash hash, int... indices) {
    List<VmInfo> vms = new ArrayList<>();
    for (int i : indices) {
      vms.add(vm(i, hash, PowerState.POWERED_ON, 2, false));
    }
    return vms;
  }

  @Test
  void limitsResolveLikeADeployment() {
    var strategy = new UpdateStrategy(null, new RollingUpdate(ios("25%"), ios("25%")));
    assertThat(ReplicaPlan.Strategy.resolve(strategy, 10))
        .isEqualTo(new ReplicaPlan.Strategy(UpdateStrategy.Type.RollingUpdate, 2, 3));
    assertThat(ReplicaPlan.Strategy.resolve(strategy, 1))
        .as("25% of 1 rounds down to 0 unavailable and up to 1 surge")
        .isEqualTo(new ReplicaPlan.Strategy(UpdateStrategy.Type.RollingUpdate, 0, 1));
    assertThat(
            ReplicaPlan.Strategy.resolve(
                new UpdateStrategy(null, new RollingUpdate(ios(0), ios("0%"))), 5))
        .as("both 0: one VM may go down, or nothing could ever change")
        .isEqualTo(new ReplicaPlan.Strategy(UpdateStrategy.Type.RollingUpdate, 1, 0));
    assertThat(ReplicaPlan.Strategy.resolve(null, 6))
        .as("default: one VM at a time, no extra VMs")
        .isEqualTo(new ReplicaPlan.Strategy(UpdateStrategy.Type.RollingUpdate, 1, 0));
  }

  @Test
  void templateChangeReplacesOneVmAtATimeByDefault() {
    var d = desired(3, 2, NEW, UpdateStrategy.Type.RollingUpdate, null, null);
    assertThat(ReplicaPlan.plan(d, running(OLD, 0, 1, 2), Set.of()))
        .as("one old VM goes; no clone while that would exceed 3 VMs")
        .containsExactly(
            new Action.PowerOff(running(OLD, 2).get(0), Action.PowerOff.Purpose.DELETE));
    assertThat(ReplicaPlan.plan(d, running(OLD, 0, 1), Set.of()))
        .as("its replacement takes the freed name; no old VM goes while one is missing")
        .containsExactly(new Action.Clone(2, "vg-2"));
  }

  @Test
  void surgeClonesFirstAndRemovesOldOnlyOnceNewOnesRun() {
    var d = desired(3, 2, NEW, UpdateStrategy.Type.RollingUpdate, 0, 1);
    assertThat(ReplicaPlan.plan(d, running(OLD, 0, 1, 2), Set.of()))
        .containsExactly(new Action.Clone(3, "vg-3"));
    List<VmInfo> withNewOff = new ArrayList<>(running(OLD, 0, 1, 2));
    withNewOff.add(vm(3, NEW, PowerState.POWERED_OFF, 2, false));
    assertThat(ReplicaPlan.plan(d, withNewOff, Set.of()))
        .as("the new VM isn't running yet: no old VM may go")
        .containsExactly(new Action.PowerOn(withNewOff.get(3)));
    List<VmInfo> withNewOn = new ArrayList<>(running(OLD, 0, 1, 2));
    withNewOn.addAll(running(NEW, 3));
    assertThat(ReplicaPlan.plan(d, withNewOn, Set.of()))
        .containsExactly(new Action.PowerOff(withNewOn.get(2), Action.PowerOff.Purpose.DELETE));
  }

  @Test
  void aPlanSaysWhenItTakesARunningVmDownOnTheStrengthOfTheOthersPowerStates() {
    var rolling = desired(3, 2, NEW, UpdateStrategy.Type.RollingUpdate, 1, 0);
    assertThat(ReplicaPlan.compute(rolling, running(OLD, 0, 1, 2), Set.of(), Set.of()))
        .as("an old VM replaced because two others run")
        .matches(ReplicaPlan.Result::spendsAvailability);
    assertThat(ReplicaPlan.compute(rolling, running(OLD, 0, 1), Set.of(), Set.of()))
        .as("a clone only")
        .matches(r -> !r.spendsAvailability());
    List<VmInfo> oldOneOff = new ArrayList<>(running(OLD, 0, 1));
    oldOneOff.add(vm(2, OLD, PowerState.POWERED_OFF, 2, false));
    assertThat(ReplicaPlan.compute(rolling, oldOneOff, Set.of(), Set.of()))
        .as("an old VM that is down anyway goes without counting on the others")
        .matches(r -> !r.spendsAvailability())
        .matches(r -> r.actions().equals(List.of(new Action.Destroy(oldOneOff.get(2)))));

    var resize = desired(3, 4, OLD, UpdateStrategy.Type.RollingUpdate, 1, 0);
    assertThat(ReplicaPlan.compute(resize, running(OLD, 0, 1, 2), Set.of(), Set.of()))
        .as("a power cycle to resize")
        .matches(ReplicaPlan.Result::spendsAvailability);

    var scaledIn = desired(2, 2, OLD, UpdateStrategy.Type.RollingUpdate, 1, 0);
    assertThat(ReplicaPlan.compute(scaledIn, running(OLD, 0, 1, 2), Set.of(), Set.of()))
        .as("scale-in removes a VM whatever the others do")
        .matches(r -> !r.spendsAvailability());
    var recreate = desired(3, 2, NEW, UpdateStrategy.Type.Recreate, null, null);
    assertThat(ReplicaPlan.compute(recreate, running(OLD, 0, 1, 2), Set.of(), Set.of()))
        .as("Recreate takes them all down by design")
        .matches(r -> !r.spendsAvailability());
  }

  @Test
  void recreateRemovesAllOldVmsBeforeCloning() {
    var d = desired(2, 2, NEW, UpdateStrategy.Type.Recreate, null, null);
    List<VmInfo> old = running(OLD, 0, 1);
    assertThat(ReplicaPlan.plan(d, old, Set.of()))
        .containsExactlyInAnyOrder(
            new Action.PowerOff(old.get(0), Action.PowerOff.Purpose.DELETE),
            new Action.PowerOff(old.get(1), Action.PowerOff.Purpose.DELETE));
    VmInfo goingAway = vm(1, OLD, PowerState.POWERED_OFF, 2, false);
    assertThat(ReplicaPlan.plan(d, List.of(goingAway), Set.of("vg-1")))
        .as("no clone while an old VM still exists")
        .isEmpty();
  }

  @Test
  void onDeleteLeavesOldVmsAndGivesNewOnesTheNewSpec() {
    SpecHash current = SpecHash.of("ubuntu-24", "full", 4, 2048);
    var d = desired(3, 4, current, UpdateStrategy.Type.OnDelete, null, null);
    List<VmInfo> old = running(OLD, 0, 1);
    var result = ReplicaPlan.compute(d, old, Set.of(), Set.of());
    assertThat(result.actions()).containsExactly(new Action.Clone(2, "vg-2"));
    assertThat(old).allMatch(vm -> ReplicaPlan.ready(vm, d));
    // drift on a VM made for the current spec is still repaired
    VmInfo drifted = vm(2, current, PowerState.POWERED_OFF, 1, false);
    assertThat(ReplicaPlan.plan(d, List.of(old.get(0), old.get(1), drifted), Set.of()))
        .containsExactly(new Action.Reconfigure(drifted, 4, 2048, current.spec()));
  }

  @Test
  void cpuIncreaseIsHotAddedWhereTheVmAllowsIt() {
    var d = desired(2, 4, OLD, UpdateStrategy.Type.RollingUpdate, null, null);
    VmInfo hot = vm(0, OLD, PowerState.POWERED_ON, 2, true);
    VmInfo cold = vm(1, OLD, PowerState.POWERED_ON, 2, false);
    String spec = d.hash().spec();
    assertThat(ReplicaPlan.plan(d, List.of(hot, cold), Set.of()))
        .containsExactly(
            new Action.Reconfigure(hot, 4, 2048, spec),
            new Action.PowerOff(cold, Action.PowerOff.Purpose.RESIZE));
    var smaller = desired(1, 1, OLD, UpdateStrategy.Type.RollingUpdate, null, null);
    assertThat(ReplicaPlan.plan(smaller, List.of(hot), Set.of()))
        .as("vSphere can't remove CPUs from a running VM")
        .containsExactly(new Action.PowerOff(hot, Action.PowerOff.Purpose.RESIZE));
  }

  @Test
  void powerCyclesWithNoUnavailabilityAllowedWaitAndSaySo() {
    var d = desired(3, 4, OLD, UpdateStrategy.Type.RollingUpdate, 0, 1);
    var result = ReplicaPlan.compute(d, running(OLD, 0, 1, 2), Set.of(), Set.of());
    assertThat(result.actions()).isEmpty();
    assertThat(result.resizesWaiting()).isEqualTo(3);
  }

  @Test
  void aFailedCloneHoldsItsNameInsteadOfCloningTheNextOne() {
    var d = desired(3, 2, NEW, UpdateStrategy.Type.RollingUpdate, null, null);
    assertThat(ReplicaPlan.plan(d, running(NEW, 0, 1), Set.of("vg-2"))).isEmpty();
  }

  @Test
  void namesHeldByForeignVmsAreSkipped() {
    var d = desired(2, 2, NEW, UpdateStrategy.Type.RollingUpdate, null, null);
    assertThat(ReplicaPlan.compute(d, List.of(), Set.of(), Set.of("vg-0")).actions())
        .containsExactly(new Action.Clone(1, "vg-1"), new Action.Clone(2, "vg-2"));
  }

  @Test
  void noTemplateMeansNoOldVmIsRemoved() {
    var d =
        new ReplicaPlan.Desired(
            "vg", 2, 2, 2048, false, NEW, ReplicaPlan.Strategy.resolve(null, 2));
    assertThat(ReplicaPlan.plan(d, running(OLD, 0, 1), Set.of())).isEmpty();
  }

  /**
   * Plays rollouts to the end against a model of vCenter in which every task takes one round, and
   * checks the limits after every round: never more than maxUnavailable of the desired VMs down,
   * never more than replicas + maxSurge VMs.
   */
  @Test
  void rolloutsKeepTheirLimitsToTheEnd() {
    Random random = new Random(42);
    for (int run = 0; run < 200; run++) {
      int replicas = 1 + random.nextInt(8);
      Object unavailable =
          random.nextBoolean() ? random.nextInt(3) : (25 * random.nextInt(3)) + "%";
      Object surge = random.nextBoolean() ? random.nextInt(3) : (25 * random.nextInt(3)) + "%";
      boolean template = random.nextBoolean();
      int cpu = template ? 2 : 3;
      var d =
          desired(
              replicas,
              cpu,
              template ? NEW : OLD,
              UpdateStrategy.Type.RollingUpdate,
              unavailable,
              surge);
      if (!template && d.strategy().maxUnavailable() == 0) {
        continue; // resizes wait by design (see powerCyclesWithNoUnavailabilityAllowedWaitAndSaySo)
      }
      World world = new World(running(OLD, range(replicas)), random.nextBoolean());
      for (int round = 0; round < 1000 && !world.done(d); round++) {
        world.step(d);
        assertThat(world.running())
            .as("run %d round %d: %s", run, round, d)
            .isGreaterThanOrEqualTo(replicas - d.strategy().maxUnavailable());
        assertThat(world.vms.size() + world.cloning.size())
            .isLessThanOrEqualTo(replicas + d.strategy().maxSurge());
      }
      assertThat(world.done(d)).as("run %d converges: %s", run, d).isTrue();
    }
  }

  static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  /** VMs plus tasks that finish one round after they start. */
  static final class World {
    final Map<String, VmInfo> vms = new HashMap<>();
    final Map<String, Action> running = new HashMap<>();
    final Map<String, Action.Clone> cloning = new HashMap<>();
    final boolean hotAdd;
    final Random random = new Random(7);

    World(List<VmInfo> initial, boolean hotAdd) {
      initial.forEach(vm -> vms.put(vm.name(), vm));
      this.hotAdd = hotAdd;
    }

    int running() {
      return (int)
          vms.values().stream().filter(vm -> vm.powerState() == PowerState.POWERED_ON).count();
    }

    boolean done(ReplicaPlan.Desired d) {
      return running.isEmpty()
          && cloning.isEmpty()
          && vms.size() == d.replicas()
          && vms.values().stream()
              .allMatch(vm -> ReplicaPlan.upToDate(vm, d) && ReplicaPlan.ready(vm, d));
    }

    void step(ReplicaPlan.Desired d) {
      // tasks end after one to three rounds, in any order, as vCenter's do
      for (String name : List.copyOf(running.keySet())) {
        if (random.nextInt(3) == 0) {
          apply(name, running.remove(name), d);
          cloning.remove(name);
        }
      }
      for (Action a : ReplicaPlan.plan(d, List.copyOf(vms.values()), running.keySet())) {
        if (a instanceof Action.Clone c) {
          cloning.put(c.target(), c);
        }
        running.put(a.target(), a);
      }
    }

    void apply(String name, Action action, ReplicaPlan.Desired d) {
      VmInfo vm = vms.get(name);
      if (action instanceof Action.Clone c) {
        // like the simulator: the clone has the template's size and is off
        vms.put(name, with(vm(c.index(), d.hash(), PowerState.POWERED_OFF, 1, hotAdd), null));
      } else if (action instanceof Action.PowerOff) {
        vms.put(name, with(vm, PowerState.POWERED_OFF));
      } else if (action instanceof Action.PowerOn) {
        vms.put(name, with(vm, PowerState.POWERED_ON));
      } else if (action instanceof Action.Destroy) {
        vms.remove(name);
      } else if (action instanceof Action.Reconfigure r) {
        Map<String, String> markers = new HashMap<>(vm.extraConfig());
        markers.put(Ownership.SPEC_HASH, r.specHash());
        vms.put(
            name,
            new VmInfo(
                vm.ref(),
                vm.name(),
                vm.parent(),
                vm.powerState(),
                r.cpu(),
                r.memoryMiB(),
                false,
                vm.instanceUuid(),
                null,
                markers,
                vm.cpuHotAdd(),
                vm.memoryHotAdd(),
                null));
      }
    }

    static VmInfo with(VmInfo vm, PowerState power) {
      return new VmInfo(
          vm.ref(),
          vm.name(),
          vm.parent(),
          power == null ? vm.powerState() : power,
          vm.cpu(),
          vm.memoryMiB(),
          false,
          vm.instanceUuid(),
          null,
          vm.extraConfig(),
          vm.cpuHotAdd(),
          vm.memoryHotAdd(),
          null);
    }
  }
}
