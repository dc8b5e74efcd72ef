package com.codeconnect.vmgroup.controller.vmgroup;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.fake.TaskKind;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A group's deletion: its own VMs and folder go, nothing else does. */
class GroupCleanupTest {

  @Test
  void theGroupsVmsThenItsFolderAreDestroyedAndOnlyThenTheFinalizerGoes() {
    try (Steps steps = new Steps()) {
      VmGroup g = made(steps, "vg", 3);
      steps.vcenter.taskDuration(TaskKind.DESTROY, Duration.ofSeconds(2));

      DeleteControl first = steps.cleanup.cleanup(g);
      assertThat(first.isRemoveFinalizer()).as("VMs are still there").isFalse();
      steps.delete(g, 20);

      assertThat(steps.folder(g)).isEmpty();
      assertThat(steps.vcenter.tasksStarted(TaskKind.DESTROY)).isEqualTo(4); // 3 VMs + folder
      assertThat(steps.vcenter.findByInventoryPath("/DC0/vm/vm-operator-template")).isPresent();
    }
  }

  @Test
  void aFolderHoldingForeignVmsIsKeptAndTheUserToldWhy() {
    try (Steps steps = new Steps()) {
      VmGroup g = made(steps, "vg", 2);
      MoRef stranger = steps.vcenter.admin().addVm(steps.folder(g).orElseThrow(), "not-ours");

      steps.delete(g, 20);

      assertThat(steps.vms(g)).extracting(VmInfo::ref).containsExactly(stranger);
      assertThat(steps.events.withReason("FolderKept"))
          .singleElement()
          .satisfies(e -> assertThat(e.message()).contains("not-ours"));
    }
  }

  @Test
  void retainLeavesTheVmsAsOrdinaryVmsWithoutMarkers() {
    try (Steps steps = new Steps()) {
      VmGroup g = made(steps, "vg", 2);
      g.getSpec().setDeletionPolicy(VmGroupSpec.DeletionPolicy.Retain);

      steps.delete(g, 20);

      assertThat(steps.vms(g))
          .hasSize(2)
          .allSatisfy(
              vm -> {
                assertThat(vm.extraConfig()).doesNotContainKey(Ownership.OWNER_UID);
                assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
              });
      assertThat(steps.events.withReason("Retained")).hasSize(1);
    }
  }

  @Test
  void aCrashInTheMiddleOfADeletionResumesFromWhatVcenterShows() {
    try (Steps steps = new Steps()) {
      VmGroup g = made(steps, "vg", 3);
      steps.vcenter.taskDuration(TaskKind.POWER_OFF, Duration.ofSeconds(3));
      steps.cleanup.cleanup(g);
      steps.restart();

      steps.delete(g, 30);

      assertThat(steps.folder(g)).isEmpty();
    }
  }

  @Test
  void aPausedGroupIsNotDeletedUntilResumed() {
    try (Steps steps = new Steps()) {
      VmGroup g = made(steps, "vg", 1);
      g.getMetadata().setAnnotations(Map.of(VmGroup.PAUSED_ANNOTATION, "true"));

      assertThat(steps.cleanup.cleanup(g).isRemoveFinalizer()).isFalse();
      assertThat(steps.vms(g)).hasSize(1);
      assertThat(steps.events.withReason("DeletionPaused")).hasSize(1);

      g.getMetadata().setAnnotations(Map.of());
      steps.delete(g, 20);
      assertThat(steps.folder(g)).isEmpty();
    }
  }

  @Test
  void aGroupThatNeverHadAVcenterGoesAtOnce() {
    try (Steps steps = new Steps()) {
      VmGroup g = Steps.group("vg", 1);
      g.getSpec().setVcenter("no-such-vcenter");
      assertThat(steps.cleanup.cleanup(g).isRemoveFinalizer()).isTrue();
      assertThat(steps.vcenter.clientCallCount()).isZero();
    }
  }

  /** A converged group whose status says where its VMs are, as the reconciler leaves it. */
  private static VmGroup made(Steps steps, String name, int replicas) {
    VmGroup g = Steps.group(name, replicas);
    steps.converge(g, 10);
    VmGroupStatus status = new VmGroupStatus();
    status.setVcenter("default");
    status.setCurrentReplicas(replicas);
    g.setStatus(status);
    return g;
  }
}
