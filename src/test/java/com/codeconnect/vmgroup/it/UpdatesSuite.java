package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.RollingUpdate;
import com.codeconnect.vmgroup.api.v1alpha1.UpdateStrategy;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.SpecHash;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.demo.VcsimBuilder;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Updates of existing VMs: rolling template updates within their limits, Recreate, OnDelete,
 * hot-add, linked clones and a rollout that halts. Every limit is checked by sampling vCenter
 * through a session of the test's own while the update runs.
 */
abstract class UpdatesSuite extends OperatorFixture {
  static final String NEW_TEMPLATE = "ubuntu-24";
  static final String HOT_TEMPLATE = "hot-template";
  static final String SNAP_TEMPLATE = "snap-template";

  @Override
  protected VcsimBuilder simulator() {
    // Tasks take time, so an update has moments a sampler can catch.
    return Vcsim.builder()
        .templates(String.join(",", TEMPLATE, NEW_TEMPLATE, HOT_TEMPLATE, SNAP_TEMPLATE))
        .hotAddTemplates(HOT_TEMPLATE)
        .snapshotTemplates(SNAP_TEMPLATE)
        .cloneDelay(Duration.ofMillis(400))
        .powerDelay(Duration.ofMillis(150))
        .reconfigureDelay(Duration.ofMillis(100))
        .destroyDelay(Duration.ofMillis(100))
        .taskJitter(0.3);
  }

  @Test
  void aRollingTemplateUpdateOfSixNeverHasMoreThanOneVmUnavailable() throws Exception {
    createWith("roll", 6, TEMPLATE, s -> s.setUpdateStrategy(rolling(1, 1)));
    eventually().untilAsserted(() -> assertThat(runningOwned("roll")).hasSize(6));

    List<RolloutSampler.Snapshot> samples;
    try (RolloutSampler sampler = sampler("roll")) {
      edit("roll", s -> s.setTemplate(NEW_TEMPLATE));
      eventually()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                List<VmInfo> vms = runningOwned("roll");
                assertThat(vms).hasSize(6).allMatch(vm -> fromTemplate(vm, NEW_TEMPLATE));
                assertThat(vmsOf("roll")).hasSize(6);
              });
      samples = sampler.stop();
    }
    assertThat(samples).hasSizeGreaterThan(20);
    assertThat(samples).as("a rollout happened while sampling").anyMatch(s -> s.mixed());
    assertThat(samples.stream().mapToInt(RolloutSampler.Snapshot::running).min().orElseThrow())
        .as("never more than maxUnavailable = 1 of 6 VMs down")
        .isGreaterThanOrEqualTo(5);
    assertThat(samples.stream().mapToInt(RolloutSampler.Snapshot::total).max().orElseThrow())
        .as("never more than replicas + maxSurge VMs")
        .isLessThanOrEqualTo(7);
    eventually()
        .untilAsserted(
            () -> {
              VmGroup g = get("roll");
              assertThat(g.getStatus().getUpdatedReplicas()).isEqualTo(6);
              assertThat(g.getStatus().getPhase()).isEqualTo("RUNNING");
            });
  }

  @Test
  void aRolloutCountsAVmDownThatItsChangeFeedStillShowsRunning() throws Exception {
    createWith("blind", 6, TEMPLATE, s -> s.setUpdateStrategy(rolling(1, 0)));
    eventually().untilAsserted(() -> assertThat(runningOwned("blind")).hasSize(6));
    eventually().until(operator::inventorySynced);
    // One VM goes down and no change feed hears of it (as when the simulator loses a change while a
    // feed is rebuilt): the operator's inventory still shows six running, vCenter five.
    powerOffUnnoticed("blind", "blind-0");

    List<RolloutSampler.Snapshot> samples;
    try (RolloutSampler sampler = sampler("blind")) {
      edit("blind", s -> s.setTemplate(NEW_TEMPLATE));
      eventually()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                assertThat(runningOwned("blind"))
                    .hasSize(6)
                    .allMatch(vm -> fromTemplate(vm, NEW_TEMPLATE));
                assertThat(vmsOf("blind")).hasSize(6);
              });
      samples = sampler.stop();
    }
    assertThat(samples).hasSizeGreaterThan(20);
    // maxUnavailable = 1 was used up by the VM that went down: a VM vCenter runs is taken down
    // only once another runs in its place, whatever the feed says.
    assertThat(samples.stream().mapToInt(RolloutSampler.Snapshot::running).min().orElseThrow())
        .as("never more than maxUnavailable = 1 of 6 VMs down")
        .isGreaterThanOrEqualTo(5);
  }

  @Test
  void aScaleDownRemovesAVmItsChangeFeedStillShowsRunning() {
    createWith("ghost", 3, TEMPLATE, s -> {});
    eventually().untilAsserted(() -> assertThat(runningOwned("ghost")).hasSize(3));
    eventually().until(operator::inventorySynced);
    powerOffUnnoticed("ghost", "ghost-2");

    // The plan powers it off to delete it; vCenter refuses (it is off). That refusal must make the
    // group look at vCenter itself, not ask again and again from the same wrong inventory.
    scale("ghost", 2);
    eventually()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(vmsOf("ghost"))
                    .extracting(VmInfo::name)
                    .containsExactlyInAnyOrder("ghost-0", "ghost-1"));
    assertThat(runningOwned("ghost")).hasSize(2);
  }

  @Test
  void aCpuChangePowerCyclesOneVmAtATimeByDefault() throws Exception {
    createWith("cycle", 3, TEMPLATE, s -> {});
    eventually().untilAsserted(() -> assertThat(runningOwned("cycle")).hasSize(3));
    Map<String, String> uuids = uuids("cycle");

    List<RolloutSampler.Snapshot> samples;
    try (RolloutSampler sampler = sampler("cycle")) {
      edit("cycle", s -> s.setCpu(2));
      eventually()
          .untilAsserted(
              () -> assertThat(runningOwned("cycle")).hasSize(3).allMatch(vm -> vm.cpu() == 2));
      samples = sampler.stop();
    }
    assertThat(uuids("cycle")).as("resized in place, not replaced").isEqualTo(uuids);
    assertThat(samples).anyMatch(s -> s.running() == 2);
    assertThat(samples).allMatch(s -> s.running() >= 2, "at most one VM down at a time");
  }

  @Test
  void aResizeCountsAVmDownThatItsChangeFeedStillShowsRunning() throws Exception {
    createWith("dark", 3, TEMPLATE, s -> {});
    eventually().untilAsserted(() -> assertThat(runningOwned("dark")).hasSize(3));
    eventually().until(operator::inventorySynced);
    Map<String, String> uuids = uuids("dark");
    // The last VM goes down unnoticed by any feed; the resize would power-cycle the first one
    // first, on the inventory's word that the other two run.
    powerOffUnnoticed("dark", "dark-2");

    List<RolloutSampler.Snapshot> samples;
    try (RolloutSampler sampler = sampler("dark")) {
      edit("dark", s -> s.setCpu(2));
      eventually()
          .untilAsserted(
              () -> assertThat(runningOwned("dark")).hasSize(3).allMatch(vm -> vm.cpu() == 2));
      samples = sampler.stop();
    }
    assertThat(uuids("dark")).as("resized in place, not replaced").isEqualTo(uuids);
    assertThat(samples).allMatch(s -> s.running() >= 2, "at most one VM down at a time");
  }

  @Test
  void hotAddResizesRunningVmsWithoutPoweringThemOff() throws Exception {
    createWith("hot", 2, HOT_TEMPLATE, s -> {});
    eventually().untilAsserted(() -> assertThat(runningOwned("hot")).hasSize(2));
    Map<String, String> uuids = uuids("hot");

    List<RolloutSampler.Snapshot> samples;
    try (RolloutSampler sampler = sampler("hot")) {
      edit(
          "hot",
          s -> {
            s.setCpu(3);
            s.setMemory(new IntOrString(2));
          });
      eventually()
          .untilAsserted(
              () ->
                  assertThat(runningOwned("hot"))
                      .hasSize(2)
                      .allMatch(vm -> vm.cpu() == 3 && vm.memoryMiB() == 2048));
      samples = sampler.stop();
    }
    assertThat(uuids("hot")).isEqualTo(uuids);
    assertThat(samples).allMatch(s -> s.running() == 2, "no VM was powered off");

    // Removing CPUs is never possible while a VM runs: that takes a power cycle.
    edit("hot", s -> s.setCpu(1));
    eventually()
        .untilAsserted(
            () -> assertThat(runningOwned("hot")).hasSize(2).allMatch(vm -> vm.cpu() == 1));
  }

  @Test
  void recreateRemovesEveryOldVmBeforeTheFirstNewOne() throws Exception {
    createWith(
        "recreate",
        2,
        TEMPLATE,
        s -> s.setUpdateStrategy(new UpdateStrategy(UpdateStrategy.Type.Recreate, null)));
    eventually().untilAsserted(() -> assertThat(runningOwned("recreate")).hasSize(2));

    List<RolloutSampler.Snapshot> samples;
    try (RolloutSampler sampler = sampler("recreate")) {
      edit("recreate", s -> s.setTemplate(NEW_TEMPLATE));
      eventually()
          .untilAsserted(
              () ->
                  assertThat(runningOwned("recreate"))
                      .hasSize(2)
                      .allMatch(vm -> fromTemplate(vm, NEW_TEMPLATE)));
      samples = sampler.stop();
    }
    assertThat(samples).noneMatch(RolloutSampler.Snapshot::mixed);
    assertThat(samples).anyMatch(s -> s.total() == 0);
  }

  @Test
  void onDeleteLeavesExistingVmsAndSizesOnlyNewOnes() {
    createWith(
        "lazy",
        2,
        TEMPLATE,
        s -> s.setUpdateStrategy(new UpdateStrategy(UpdateStrategy.Type.OnDelete, null)));
    eventually().untilAsserted(() -> assertThat(runningOwned("lazy")).hasSize(2));
    Map<String, String> uuids = uuids("lazy");

    edit("lazy", s -> s.setCpu(2));
    long generation = get("lazy").getMetadata().getGeneration();
    eventually()
        .untilAsserted(
            () -> {
              VmGroup g = get("lazy");
              assertThat(g.getStatus().getObservedGeneration()).isEqualTo(generation);
              assertThat(g.getStatus().getPhase()).isEqualTo("RUNNING");
              assertThat(g.getStatus().getUpdatedReplicas()).isZero();
            });
    scale("lazy", 3);
    eventually().untilAsserted(() -> assertThat(runningOwned("lazy")).hasSize(3));
    List<VmInfo> vms = runningOwned("lazy");
    assertThat(vms)
        .filteredOn(vm -> uuids.containsValue(vm.instanceUuid()))
        .hasSize(2)
        .allMatch(vm -> vm.cpu() == 1, "existing VMs keep their size");
    assertThat(vms)
        .filteredOn(vm -> !uuids.containsValue(vm.instanceUuid()))
        .singleElement()
        .matches(vm -> vm.cpu() == 2, "the new VM gets the new size");
  }

  @Test
  void linkedClonesShareTheTemplatesSnapshotAndNeedOne() {
    createWith("linked", 2, SNAP_TEMPLATE, s -> s.setCloneMode(VmGroupSpec.CloneMode.linked));
    eventually().untilAsserted(() -> assertThat(runningOwned("linked")).hasSize(2));
    assertThat(sim.output())
        .contains("linked clone linked-0 of " + SNAP_TEMPLATE)
        .contains("linked clone linked-1 of " + SNAP_TEMPLATE);

    createWith("nosnap", 1, TEMPLATE, s -> s.setCloneMode(VmGroupSpec.CloneMode.linked));
    eventually()
        .untilAsserted(
            () -> {
              VmGroup g = get("nosnap");
              assertThat(g.getStatus()).isNotNull();
              assertThat(StatusBuilder.find(g.getStatus().getConditions(), "Degraded").getReason())
                  .isEqualTo("TemplateHasNoSnapshot");
              assertThat(g.getStatus().getLastMessage()).contains("'" + TEMPLATE + "'");
            });
    assertThat(vmsOf("nosnap")).isEmpty();
  }

  @Test
  void aRolloutHaltsAndSaysSoWhenNewVmsDontComeUp() {
    createWith("halt", 3, TEMPLATE, s -> {});
    eventually().untilAsserted(() -> assertThat(runningOwned("halt")).hasSize(3));
    sim.failClones("halt-.*");
    try {
      edit("halt", s -> s.setTemplate(NEW_TEMPLATE));
      eventually()
          .untilAsserted(
              () -> {
                VmGroup g = get("halt");
                assertThat(
                        StatusBuilder.find(g.getStatus().getConditions(), "Degraded").getReason())
                    .isEqualTo("CloneFailed");
                assertThat(g.getStatus().getLastMessage()).startsWith("rollout halted with 2 VMs");
              });
      assertThat(runningOwned("halt"))
          .as("the old VMs keep running while the rollout is halted")
          .hasSize(2)
          .allMatch(vm -> fromTemplate(vm, TEMPLATE));
    } finally {
      sim.clearFailures();
    }
    eventually()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () ->
                assertThat(runningOwned("halt"))
                    .hasSize(3)
                    .allMatch(vm -> fromTemplate(vm, NEW_TEMPLATE)));
  }

  private void createWith(
      String name, int replicas, String template, Consumer<VmGroupSpec> options) {
    VmGroupSpec spec = new VmGroupSpec(1, 1, replicas, template);
    options.accept(spec);
    groups.create(name, spec);
  }

  private static UpdateStrategy rolling(int maxUnavailable, int maxSurge) {
    return new UpdateStrategy(
        null, new RollingUpdate(new IntOrString(maxUnavailable), new IntOrString(maxSurge)));
  }

  /** Read from the hash the VM carries in vCenter: the only record of what it was cloned from. */
  static boolean fromTemplate(VmInfo vm, String template) {
    return SpecHash.of(template, "full", 0, 0)
        .source()
        .equals(vm.extraConfig().get(Ownership.SOURCE_HASH));
  }

  /** Powers one of a group's running VMs off without any change feed hearing of it. */
  private void powerOffUnnoticed(String group, String vmName) {
    VmInfo vm =
        runningOwned(group).stream().filter(v -> v.name().equals(vmName)).findFirst().orElseThrow();
    sim.powerOffUnnoticed(vm.ref().value());
  }

  private List<VmInfo> runningOwned(String group) {
    return vmsOf(group).stream()
        .filter(Folders::owned)
        .filter(vm -> vm.powerState() == PowerState.POWERED_ON)
        .toList();
  }

  /** One look at a group's VMs in vCenter. */

  /** Looks at a group's folder in vCenter every 50 ms through a session of its own. */
  private RolloutSampler sampler(String group) {
    return new RolloutSampler(client(() -> observerCredentials), folderPath(group));
  }
}
