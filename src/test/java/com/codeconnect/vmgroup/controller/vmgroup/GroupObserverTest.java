package com.codeconnect.vmgroup.controller.vmgroup;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.endpoint.TaskTracker;
import com.codeconnect.vmgroup.endpoint.TemplateResolver;
import com.codeconnect.vmgroup.testing.Wait;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.fake.TaskKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One observation the plan can trust, from the inventory or from vCenter itself. */
class GroupObserverTest {

  @Test
  void foreignVmsAreKeptApartReportedOnceAndTheirNamesSkipped() {
    try (Steps steps = new Steps()) {
      VmGroup g = Steps.group("vg", 1);
      steps.converge(g, 10);
      MoRef squatter = steps.vcenter.admin().addVm(steps.folder(g).orElseThrow(), "vg-1");
      g.getSpec().setReplicas(2);

      Steps.Pass pass = steps.reconcile(g);
      assertThat(pass.seen().owned()).extracting(VmInfo::name).containsExactly("vg-0");
      assertThat(pass.seen().foreign()).extracting(VmInfo::ref).containsExactly(squatter);
      assertThat(pass.acted().started()).extracting(a -> a.target()).containsExactly("vg-2");
      steps.reconcile(g);
      assertThat(steps.events.withReason("ForeignVms"))
          .singleElement()
          .satisfies(e -> assertThat(e.message()).contains("vg-1"));
      // never touched
      assertThat(steps.vcenter.admin().vm(squatter).orElseThrow().powerState())
          .isEqualTo(PowerState.POWERED_OFF);
    }
  }

  @Test
  void aMissingTemplateStopsClonesButNotTheRestOfTheGroup() {
    try (Steps steps = new Steps()) {
      VmGroup g = Steps.group("vg", 2);
      steps.converge(g, 10);
      steps.vcenter.admin().powerOff(steps.running(g).get(0).ref());
      g.getSpec().setTemplate("gone");
      g.getSpec().setReplicas(3);

      Steps.Pass pass = steps.reconcile(g);
      assertThat(pass.seen().template()).isInstanceOf(TemplateResolver.Missing.class);
      assertThat(((TemplateResolver.Missing) pass.seen().template()).problem().reason())
          .isEqualTo(Problem.Reason.TemplateNotFound);
      assertThat(pass.acted().started())
          .extracting(a -> a.getClass().getSimpleName())
          .containsExactly("PowerOn");
    }
  }

  @Test
  void aPlacementThatMovedStopsTheGroupWithoutTouchingVcenter() {
    try (Steps steps = new Steps()) {
      VmGroup g = Steps.group("vg", 1);
      VmGroupStatus status = new VmGroupStatus();
      status.setCurrentReplicas(1);
      status.setPlacement("datacenter DC0, pool /DC0/host/elsewhere/Resources");
      g.setStatus(status);
      long tasksBefore = steps.vcenter.tasksStarted(TaskKind.CLONE);

      GroupStopped stopped =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              GroupStopped.class,
              () ->
                  steps.observer.observe(
                      steps.ep,
                      g,
                      steps.memories.of("x"),
                      BootstrapSource.Bootstrap.NONE,
                      java.util.stream.Stream::of));
      assertThat(stopped.problem().reason()).isEqualTo(Problem.Reason.InvalidSpec);
      assertThat(stopped.problem().message()).contains("placement changed", "VMs are not moved");
      assertThat(steps.vcenter.tasksStarted(TaskKind.CLONE)).isEqualTo(tasksBefore);
    }
  }

  /**
   * The change feed delivers neither a task's end nor its effect in time: the task's end is asked
   * of vCenter, the VM is left alone while its effect may still be on its way, and after {@link
   * TaskTracker#EFFECT_GRACE} the group is read from vCenter and planned from what is there, not
   * from the stale inventory (which would power the VM on a second time).
   */
  @Test
  void aFeedThatLagsBehindATasksEndIsOverruledByVcenter() {
    try (Steps steps = new Steps(true, 8)) {
      VmGroup g = Steps.group("vg", 2);
      awaitSynced(steps);
      steps.converge(g, 20);
      MoRef vm = steps.running(g).get(0).ref();
      steps.vcenter.admin().powerOff(vm);
      Wait.eventually(Duration.ofSeconds(5), Duration.ofMillis(5))
          .until(
              () ->
                  steps.ep.watcher().inventory().vms().stream()
                      .anyMatch(
                          v -> v.ref().equals(vm) && v.powerState() == PowerState.POWERED_OFF));
      // from now on the feed holds every change back for a minute of the test's clock
      steps.vcenter.feedLag(Duration.ofMinutes(1));

      Steps.Pass repair = steps.reconcile(g);
      assertThat(repair.seen().live()).as("read from the inventory").isFalse();
      assertThat(repair.acted().started()).singleElement().isInstanceOf(Action.PowerOn.class);

      Steps.Pass waiting = steps.reconcile(g);
      assertThat(waiting.acted().started()).as("the VM waits for its effect").isEmpty();

      steps.clock.advance(TaskTracker.EFFECT_GRACE.plusSeconds(1));
      Steps.Pass overruled = steps.reconcile(g);
      assertThat(overruled.seen().live()).as("read from vCenter").isTrue();
      assertThat(overruled.seen().owned())
          .filteredOn(v -> v.ref().equals(vm))
          .singleElement()
          .extracting(VmInfo::powerState)
          .isEqualTo(PowerState.POWERED_ON);
      assertThat(overruled.acted().started()).isEmpty();
      assertThat(steps.vcenter.tasksStarted(TaskKind.POWER_ON)).isEqualTo(1);
    }
  }

  private static void awaitSynced(Steps steps) {
    Wait.eventually(Duration.ofSeconds(5), Duration.ofMillis(5))
        .until(() -> steps.ep.watcher().inventory().synced() && !steps.ep.state().lagging());
  }
}
