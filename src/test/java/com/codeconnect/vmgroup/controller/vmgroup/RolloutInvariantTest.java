package com.codeconnect.vmgroup.controller.vmgroup;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.RollingUpdate;
import com.codeconnect.vmgroup.api.v1alpha1.UpdateStrategy;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.SpecHash;
import com.codeconnect.vmgroup.testing.Wait;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.fake.TaskKind;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A rolling template update with random task durations never has more than maxUnavailable VMs down
 * nor more than replicas + maxSurge VMs, whatever order the tasks end in: counted in vCenter after
 * every step of the operator and of the clock.
 */
class RolloutInvariantTest {
  static final String NEW_TEMPLATE = "vm-operator-template-2";

  /** Seeds for the task durations, read from vCenter directly or through a lagging change feed. */
  static Stream<Arguments> runs() {
    return LongStream.rangeClosed(1, 6)
        .boxed()
        .flatMap(seed -> Stream.of(Arguments.of(seed, false), Arguments.of(seed, true)));
  }

  @ParameterizedTest(name = "seed {0}, change feed {1}")
  @MethodSource("runs")
  void maxUnavailableAndMaxSurgeHoldInVcenterAtEveryStep(long seed, boolean changeFeed) {
    Random random = new Random(seed);
    try (Steps steps =
        new Steps(changeFeed, 8, b -> b.templates("vm-operator-template", NEW_TEMPLATE))) {
      if (changeFeed) {
        // the feed holds changes back for up to a step of the clock: the inventory trails vCenter
        steps.vcenter.feedLag(Duration.ofMillis(random.nextInt(700)));
      }
      VmGroup g = Steps.group("roll", 6);
      g.getSpec()
          .setUpdateStrategy(
              new UpdateStrategy(null, new RollingUpdate(new IntOrString(1), new IntOrString(1))));
      steps.converge(g, 20);

      for (TaskKind kind : TaskKind.values()) {
        steps.vcenter.taskDuration(kind, Duration.ofMillis(random.nextInt(2000)));
      }
      g.getSpec().setTemplate(NEW_TEMPLATE);
      g.getMetadata().setGeneration(2L);
      String newSource = SpecHash.of(NEW_TEMPLATE, "full", 0, 0).source();
      for (int step = 0; step < 400 && !rolledOut(steps, g, newSource); step++) {
        steps.reconcile(g);
        assertInvariants(steps, g, seed, step);
        if (changeFeed) {
          // a moment for the watcher thread to take what the feed delivers
          Wait.quietPeriod(Duration.ofMillis(2));
        }
        steps.clock.advance(Duration.ofMillis(50 + random.nextInt(600)));
        assertInvariants(steps, g, seed, step);
      }
      assertThat(rolledOut(steps, g, newSource)).as("seed %d rolled out", seed).isTrue();
    }
  }

  private static void assertInvariants(Steps steps, VmGroup g, long seed, int step) {
    List<VmInfo> all = steps.vms(g);
    assertThat(steps.running(g))
        .as("seed %d, step %d: running VMs in vCenter %s", seed, step, all)
        .hasSizeGreaterThanOrEqualTo(5);
    assertThat(all).as("seed %d, step %d: VMs in vCenter", seed, step).hasSizeLessThanOrEqualTo(7);
  }

  private static boolean rolledOut(Steps steps, VmGroup g, String newSource) {
    List<VmInfo> running = steps.running(g);
    return running.size() == 6
        && steps.vms(g).size() == 6
        && running.stream()
            .allMatch(vm -> newSource.equals(vm.extraConfig().get(Ownership.SOURCE_HASH)));
  }
}
