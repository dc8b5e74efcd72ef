package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The seed's walkthrough, one test per step, checked against vCenter's real state. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class WalkthroughSuite extends OperatorFixture {
  private List<VmInfo> foreignBefore;
  private Map<String, String> uuidsBeforePatch;

  @Test
  @Order(1)
  void crdIsInstalledAndNoGroupsExist() {
    var crd =
        kube.apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("vmgroups.vm.codeconnect.vmworld.com")
            .get();
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("vg");
    assertThat(groups.list()).isEmpty();
    foreignBefore = allVms();
    assertThat(foreignBefore).noneMatch(Folders::owned);
  }

  @Test
  @Order(2)
  void samplesConvergeAndTheMissingTemplateIsAnError() {
    create("vg-1", 1, 1, 3, TEMPLATE);
    create("vg-2", 2, 2, 2, "doesNotExist");
    create("vg-3", 4, 4, 2, TEMPLATE);

    eventually().untilAsserted(() -> assertReplicas("vg-1", 3, 1, 1024));
    eventually().untilAsserted(() -> assertReplicas("vg-3", 2, 4, 4096));
    eventually()
        .untilAsserted(
            () -> {
              VmGroup vg2 = get("vg-2");
              assertThat(vg2.getStatus()).isNotNull();
              assertThat(vg2.getStatus().getPhase()).isEqualTo("ERROR");
              assertThat(vg2.getStatus().getLastMessage())
                  .contains("template 'doesNotExist' not found")
                  .contains("DC0");
            });
    assertThat(vmsOf("vg-2")).isEmpty();
    VmGroup vg1 = get("vg-1");
    eventually()
        .untilAsserted(() -> assertThat(get("vg-1").getStatus().getPhase()).isEqualTo("RUNNING"));
    assertThat(vg1.getMetadata().getFinalizers()).isNotEmpty();
  }

  @Test
  @Order(3)
  void patchingTheTemplateConvergesWithoutRestartingOthers() {
    uuidsBeforePatch = uuids("vg-1");
    uuidsBeforePatch.putAll(uuids("vg-3"));
    edit("vg-2", s -> s.setTemplate(TEMPLATE));
    eventually().untilAsserted(() -> assertReplicas("vg-2", 2, 2, 2048));
    eventually()
        .untilAsserted(() -> assertThat(get("vg-2").getStatus().getPhase()).isEqualTo("RUNNING"));
    Map<String, String> after = uuids("vg-1");
    after.putAll(uuids("vg-3"));
    assertThat(after).isEqualTo(uuidsBeforePatch);
    assertThat(vmsOf("vg-1")).allMatch(vm -> vm.powerState() == PowerState.POWERED_ON);
  }

  @Test
  @Order(4)
  void scaleUpThenDownByEditingReplicas() {
    scale("vg-1", 5);
    eventually().untilAsserted(() -> assertReplicas("vg-1", 5, 1, 1024));
    eventually()
        .untilAsserted(
            () -> {
              VmGroup g = get("vg-1");
              assertThat(g.getStatus().getCurrentReplicas()).isEqualTo(5);
              assertThat(g.getStatus().getPhase()).isEqualTo("RUNNING");
            });

    edit("vg-1", s -> s.setReplicas(2));
    eventually().untilAsserted(() -> assertReplicas("vg-1", 2, 1, 1024));
    assertThat(vmsOf("vg-1"))
        .extracting(VmInfo::name)
        .containsExactlyInAnyOrder("vg-1-0", "vg-1-1");
  }

  @Test
  @Order(5)
  void scaleToZeroKeepsTheFolderAndRemovesTheVms() {
    edit("vg-3", s -> s.setReplicas(0));
    eventually().untilAsserted(() -> assertThat(vmsOf("vg-3")).isEmpty());
    assertThat(folder("vg-3")).isPresent();
    edit("vg-3", s -> s.setReplicas(1));
    eventually().untilAsserted(() -> assertReplicas("vg-3", 1, 4, 4096));
  }

  @Test
  @Order(6)
  void deletingAllGroupsRemovesEverythingTheOperatorMadeAndNothingElse() {
    kube.resources(VmGroup.class).inNamespace(namespace).delete();
    eventually().untilAsserted(() -> assertThat(groups.list()).isEmpty());
    for (String g : List.of("vg-1", "vg-2", "vg-3")) {
      assertThat(folder(g)).as("folder of %s", g).isEmpty();
    }
    List<VmInfo> after = allVms();
    assertThat(after).noneMatch(Folders::owned);
    assertThat(after.stream().map(VmGroupFacts::identity).sorted().toList())
        .isEqualTo(foreignBefore.stream().map(VmGroupFacts::identity).sorted().toList());
  }

  private void assertReplicas(String group, int count, int cpu, long memoryMiB) {
    List<VmInfo> vms = vmsOf(group);
    String uid = get(group).getMetadata().getUid();
    assertThat(vms).hasSize(count);
    assertThat(vms)
        .allSatisfy(
            vm -> {
              assertThat(Ownership.ownedBy(vm, uid))
                  .as("%s carries the owner marker", vm.name())
                  .isTrue();
              assertThat(vm.powerState())
                  .as("%s power", vm.name())
                  .isEqualTo(PowerState.POWERED_ON);
              assertThat(vm.cpu()).as("%s cpu", vm.name()).isEqualTo(cpu);
              assertThat(vm.memoryMiB()).as("%s memory", vm.name()).isEqualTo(memoryMiB);
            });
    assertThat(vms.stream().map(VmInfo::name).sorted(Comparator.naturalOrder()).toList())
        .isEqualTo(
            java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> group + "-" + i)
                .sorted()
                .toList());
  }
}
