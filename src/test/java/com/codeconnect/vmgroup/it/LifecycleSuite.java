package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmStatus;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.testing.Wait;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resize in place, the pause annotation, the Retain deletion policy and the per-VM status. */
abstract class LifecycleSuite extends OperatorFixture {

  @Test
  void aCpuOrMemoryChangeReconfiguresTheExistingVms() {
    create("resize", 1, 1, 2, TEMPLATE);
    eventually().untilAsserted(() -> assertThat(sized("resize", 1, 1024)).hasSize(2));
    Map<String, String> uuids = uuids("resize");

    edit(
        "resize",
        s -> {
          s.setCpu(2);
          s.setMemory(new IntOrString(3));
        });
    eventually().untilAsserted(() -> assertThat(sized("resize", 2, 3072)).hasSize(2));
    assertThat(uuids("resize")).as("the same VMs, not replacements").isEqualTo(uuids);
    eventually()
        .untilAsserted(
            () ->
                assertThat(get("resize").getStatus().getVms())
                    .extracting(VmStatus::getPhase, VmStatus::getCpu, VmStatus::getMemoryMiB)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple("Running", 2, 3072L)));
  }

  @Test
  void aPausedGroupChangesNothingInVcenterButKeepsReporting() {
    create("frozen", 1, 1, 1, TEMPLATE);
    eventually().untilAsserted(() -> assertThat(sized("frozen", 1, 1024)).hasSize(1));
    annotate("frozen", "true");

    edit("frozen", s -> s.setReplicas(3));
    VmInfo vm = vmsOf("frozen").get(0);
    eventually()
        .until(() -> observer.tasks(List.of(observer.powerOffVm(vm.ref()))).get(0), t -> t.done());
    eventually()
        .untilAsserted(
            () -> {
              VmGroup g = get("frozen");
              assertThat(
                      StatusBuilder.find(g.getStatus().getConditions(), "Progressing").getReason())
                  .isEqualTo("Paused");
              assertThat(g.getStatus().getDesiredReplicas()).isEqualTo(3);
              assertThat(g.getStatus().getVms())
                  .extracting(VmStatus::getPowerState)
                  .containsExactly("poweredOff");
            });
    // Fixed on purpose: nothing is expected to happen, so no condition could end the wait.
    Wait.quietPeriod(Duration.ofSeconds(3));
    assertThat(vmsOf("frozen")).hasSize(1);
    assertThat(vmsOf("frozen").get(0).powerState()).isEqualTo(PowerState.POWERED_OFF);

    annotate("frozen", "false");
    eventually().untilAsserted(() -> assertThat(sized("frozen", 1, 1024)).hasSize(3));
  }

  @Test
  void retainLeavesTheVmsAsOrdinaryVms() {
    VmGroup group = create("kept", 1, 1, 2, TEMPLATE);
    eventually().untilAsserted(() -> assertThat(sized("kept", 1, 1024)).hasSize(2));
    edit("kept", s -> s.setDeletionPolicy(VmGroupSpec.DeletionPolicy.Retain));
    Map<String, String> uuids = uuids("kept");

    kube.resource(group).delete();
    eventually().untilAsserted(() -> assertThat(get("kept")).isNull());
    List<VmInfo> left = vmsOf("kept");
    assertThat(left)
        .as("the same VMs, no longer owned")
        .extracting(VmInfo::instanceUuid)
        .containsExactlyInAnyOrderElementsOf(uuids.values());
    assertThat(left).allMatch(vm -> vm.powerState() == PowerState.POWERED_ON);
    assertThat(left).noneMatch(Folders::owned);
    assertThat(folder("kept")).isPresent();
  }

  private void annotate(String name, String paused) {
    groups.update(
        name,
        g -> {
          if (g.getMetadata().getAnnotations() == null) {
            g.getMetadata().setAnnotations(new java.util.HashMap<>());
          }
          g.getMetadata().getAnnotations().put(VmGroup.PAUSED_ANNOTATION, paused);
        });
  }

  private List<VmInfo> sized(String group, int cpu, long memoryMiB) {
    return vmsOf(group).stream()
        .filter(Folders::owned)
        .filter(vm -> vm.powerState() == PowerState.POWERED_ON)
        .filter(vm -> vm.cpu() == cpu && vm.memoryMiB() == memoryMiB)
        .toList();
  }
}
