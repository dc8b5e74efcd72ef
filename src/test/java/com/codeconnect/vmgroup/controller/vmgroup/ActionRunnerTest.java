package com.codeconnect.vmgroup.controller.vmgroup;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VCenterQuota;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.fake.TaskKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Starting the plan's tasks, learning how they ended, and surviving a crash at any step. */
class ActionRunnerTest {

  @Test
  void aGroupConvergesWithOneCloneTaskPerVmAndTheOwnershipMarkersInTheClone() {
    try (Steps steps = new Steps()) {
      VmGroup g = Steps.group("vg", 3);
      steps.converge(g, 10);
      assertThat(steps.running(g)).extracting(VmInfo::name).containsExactly("vg-0", "vg-1", "vg-2");
      assertThat(steps.vcenter.tasksStarted(TaskKind.CLONE)).isEqualTo(3);
      assertThat(steps.running(g))
          .allSatisfy(
              vm -> {
                assertThat(vm.extraConfig())
                    .containsEntry(Ownership.OWNER_UID, g.getMetadata().getUid());
                assertThat(vm.cpu()).isEqualTo(1);
                assertThat(vm.memoryMiB()).isEqualTo(1024);
              });
      assertThat(steps.events.withReason("Clone")).hasSize(3);
    }
  }

  @Test
  void theTaskBudgetStartsWhatFitsAndDefersTheRest() {
    try (Steps steps = new Steps(false, 2)) {
      steps.vcenter.taskDuration(TaskKind.CLONE, Duration.ofSeconds(5));
      Steps.Pass first = steps.reconcile(Steps.group("vg", 5));
      assertThat(first.acted().started()).hasSize(2);
      assertThat(first.acted().deferred()).isEqualTo(3);
      assertThat(steps.vcenter.tasksRunning()).isEqualTo(2);
    }
  }

  @Test
  void aFailedCloneBacksItsVmOffIsReportedAndIsTriedAgainLater() {
    try (Steps steps = new Steps()) {
      VmGroup g = Steps.group("vg", 2);
      steps
          .vcenter
          .faults()
          .failNextTask(
              TaskKind.CLONE, new VsphereException("NoDiskSpace", "datastore full", false));
      steps.reconcile(g);
      Steps.Pass collected = steps.reconcile(g);

      String uid = g.getMetadata().getUid();
      assertThat(steps.ep.tracker().failures(uid)).containsOnlyKeys("vg-0");
      Problem failure = steps.ep.tracker().failures(uid).get("vg-0").problem();
      assertThat(failure.reason()).isEqualTo(Problem.Reason.CloneFailed);
      assertThat(failure.message()).contains("vg-0", "NoDiskSpace", "datastore full");
      assertThat(steps.events.withReason("CloneFailed")).hasSize(1);
      // backing off: the pass right after the failure doesn't clone that VM again
      assertThat(collected.acted().started()).noneMatch(a -> a.target().equals("vg-0"));

      steps.clock.advance(Duration.ofSeconds(2));
      steps.converge(g, 10);
      assertThat(steps.running(g))
          .extracting(VmInfo::name)
          .containsExactlyInAnyOrder("vg-0", "vg-1");
      assertThat(steps.ep.tracker().failures(uid)).isEmpty();
    }
  }

  @Test
  void aNameTakenMeanwhileIsNoFailureAndIsSkippedOnceSeen() {
    try (Steps steps = new Steps()) {
      VmGroup g = Steps.group("vg", 1);
      steps.converge(g, 10);
      steps.vcenter.admin().addVm(steps.folder(g).orElseThrow(), "vg-1");
      g.getSpec().setReplicas(2);

      steps.converge(g, 10);

      assertThat(steps.running(g)).extracting(VmInfo::name).containsExactly("vg-0", "vg-2");
      assertThat(steps.events.withReason("CloneFailed")).isEmpty();
      assertThat(steps.events.withReason("ForeignVms")).hasSize(1);
    }
  }

  @Test
  void aNamespaceQuotaHoldsClonesBackAndSaysWhichLimit() {
    VCenterSpec spec = new VCenterSpec();
    spec.quota = new VCenterQuota();
    spec.quota.maxVms = 2;
    try (Steps steps = new Steps().withVcenterSpec(spec)) {
      VmGroup g = Steps.group("vg", 3);
      Steps.Pass pass = steps.reconcile(g);
      assertThat(pass.acted().started()).hasSize(2);
      assertThat(pass.acted().quotaRefused().reason()).isEqualTo(Problem.Reason.QuotaExceeded);
      assertThat(pass.acted().quotaRefused().message()).contains("maxVms 2");
    }
  }

  @Test
  void aPausedGroupIsObservedButNothingStarts() {
    try (Steps steps = new Steps()) {
      VmGroup g = Steps.group("vg", 2);
      g.getMetadata().setAnnotations(java.util.Map.of(VmGroup.PAUSED_ANNOTATION, "true"));
      Steps.Pass pass = steps.reconcile(g);
      assertThat(pass.planned().plan().actions()).hasSize(2);
      assertThat(pass.acted().started()).isEmpty();
      assertThat(steps.vcenter.clientCallCount()).isPositive();
      assertThat(steps.vcenter.tasksStarted(TaskKind.CLONE)).isZero();
    }
  }

  /** Where in a reconcile the operator dies: vCenter keeps what was done, memory loses the rest. */
  enum Crash {
    /** after the tasks that ended were collected */
    AFTER_COLLECT,
    /** after the observation, before the plan */
    AFTER_OBSERVE,
    /** after the plan, before any task started */
    AFTER_PLAN,
    /** after the tasks started, before any of their ends was seen */
    AFTER_ACT,
    /** after the tasks ended in vCenter, before the operator looked */
    AFTER_TASKS_ENDED
  }

  @ParameterizedTest
  @EnumSource(Crash.class)
  void aCrashBetweenAnyTwoStepsNeitherDuplicatesNorOrphansAVm(Crash crash) {
    try (Steps steps = new Steps()) {
      steps.vcenter.taskDuration(TaskKind.CLONE, Duration.ofSeconds(3));
      VmGroup g = Steps.group("vg", 4);
      String uid = g.getMetadata().getUid();
      GroupMemory memory = steps.memories.of(uid);
      // one reconcile, cut short where the crash happens
      steps.runner.collect(steps.ep, g, steps.memories.of(g.getMetadata().getUid()));
      if (crash != Crash.AFTER_COLLECT) {
        Observation seen =
            steps.observer.observe(
                steps.ep, g, memory, BootstrapSource.Bootstrap.NONE, List.<VmGroup>of()::stream);
        if (crash != Crash.AFTER_OBSERVE) {
          GroupPlanner.Planned planned =
              steps.planner.plan(steps.ep, g, seen, memory, BootstrapSource.Bootstrap.NONE);
          if (crash != Crash.AFTER_PLAN) {
            steps.runner.act(steps.ep, g, planned, List.<VmGroup>of()::stream);
            if (crash == Crash.AFTER_TASKS_ENDED) {
              steps.clock.advance(Duration.ofSeconds(5));
            }
          }
        }
      }
      steps.restart();
      steps.clock.advance(Duration.ofSeconds(1));

      steps.converge(g, 20);

      assertThat(steps.vms(g))
          .as("every VM in the folder is the group's, one per name")
          .allMatch(vm -> Ownership.ownedBy(vm, uid))
          .extracting(VmInfo::name)
          .containsExactlyInAnyOrder("vg-0", "vg-1", "vg-2", "vg-3");
      // clones started before the crash ran to their end; none was repeated for a name taken
      assertThat(steps.vcenter.tasksStarted(TaskKind.CLONE))
          .isLessThanOrEqualTo(crash.ordinal() >= Crash.AFTER_ACT.ordinal() ? 8 : 4);
      assertThat(steps.events.withReason("CloneFailed")).isEmpty();
    }
  }

  @Test
  void aResizeOfARunningVmWithoutHotAddPowerCyclesIt() {
    try (Steps steps = new Steps()) {
      VmGroup g = Steps.group("vg", 1);
      steps.converge(g, 10);
      g.getSpec().setCpu(2);
      Steps.Pass pass = steps.reconcile(g);
      assertThat(pass.acted().started()).singleElement().isInstanceOf(Action.PowerOff.class);
      steps.converge(g, 20);
      assertThat(steps.running(g)).singleElement().extracting(VmInfo::cpu).isEqualTo(2);
    }
  }
}
