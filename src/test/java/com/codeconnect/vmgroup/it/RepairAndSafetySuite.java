package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Out-of-band changes are repaired, and what the operator didn't create is never touched: every
 * assertion reads vCenter through a separate session.
 */
abstract class RepairAndSafetySuite extends OperatorFixture {

  /** Tasks take time here, as in vCenter: the operator must not rely on them finishing at once. */
  @Override
  protected com.codeconnect.vmgroup.demo.VcsimBuilder simulator() {
    // A vCenter that ignores the clone spec (govmomi's simulator does): every new VM needs the
    // check-and-correct path, resize while off and power on.
    return com.codeconnect.vmgroup.demo.Vcsim.builder()
        .cloneQuirks(true)
        .cloneDelay(java.time.Duration.ofMillis(300))
        .powerDelay(java.time.Duration.ofMillis(100))
        .reconfigureDelay(java.time.Duration.ofMillis(50))
        .destroyDelay(java.time.Duration.ofMillis(100));
  }

  @Test
  void vmPoweredOffOutOfBandIsPoweredOnAgain() {
    create("drift", 1, 1, 2, TEMPLATE);
    eventually().untilAsserted(() -> assertThat(running("drift")).hasSize(2));
    VmInfo victim = vmsOf("drift").get(0);
    // The operator may power it on again before this line returns: the task's success is what
    // proves the VM was off.
    assertThat(finish(observer.powerOffVm(victim.ref())).state()).isEqualTo(TaskInfo.State.SUCCESS);
    eventually()
        .untilAsserted(
            () -> assertThat(power(victim.name(), "drift")).isEqualTo(PowerState.POWERED_ON));
    eventually().untilAsserted(() -> assertThat(vmsOf("drift")).hasSize(2));
  }

  @Test
  void vmDestroyedOutOfBandIsReplaced() {
    create("lost", 1, 1, 2, TEMPLATE);
    eventually().untilAsserted(() -> assertThat(running("lost")).hasSize(2));
    VmInfo victim =
        vmsOf("lost").stream().filter(vm -> vm.name().equals("lost-1")).findFirst().orElseThrow();
    // An administrator powers it off and deletes it; the operator may power it on in between
    // (that is its job), so the administrator tries again, as a person would.
    eventually()
        .until(
            () -> {
              finish(observer.powerOffVm(victim.ref()));
              return finish(observer.destroy(victim.ref())).state() == TaskInfo.State.SUCCESS;
            });
    eventually()
        .untilAsserted(
            () ->
                assertThat(running("lost"))
                    .extracting(VmInfo::name)
                    .containsExactlyInAnyOrder("lost-0", "lost-1"));
    VmInfo replacement =
        vmsOf("lost").stream().filter(vm -> vm.name().equals("lost-1")).findFirst().orElseThrow();
    assertThat(replacement.ref()).isNotEqualTo(victim.ref());
  }

  @Test
  void vmResizedOutOfBandIsResizedBack() {
    create("resized", 2, 1, 1, TEMPLATE);
    eventually().untilAsserted(() -> assertThat(running("resized")).hasSize(1));
    VmInfo vm = vmsOf("resized").get(0);
    finish(observer.reconfigureVm(vm.ref(), 3, 512));
    eventually()
        .untilAsserted(
            () -> {
              VmInfo now = vmsOf("resized").get(0);
              assertThat(now.cpu()).isEqualTo(2);
              assertThat(now.memoryMiB()).isEqualTo(1024);
              assertThat(now.powerState()).isEqualTo(PowerState.POWERED_ON);
            });
  }

  @Test
  void foreignVmsInAGroupFolderSurviveScaleDownAndDeletion() {
    create("safe", 1, 1, 2, TEMPLATE);
    eventually().untilAsserted(() -> assertThat(running("safe")).hasSize(2));
    MoRef folder = folder("safe").orElseThrow();
    // One intruder with an arbitrary name, one named like a replica the group might want later.
    VmInfo intruder = foreignClone(folder, "intruder");
    VmInfo lookalike = foreignClone(folder, "safe-5");
    List<VmInfo> untouched = List.of(intruder, lookalike);

    edit("safe", s -> s.setReplicas(0));
    eventually().untilAsserted(() -> assertThat(vmsOf("safe")).noneMatch(Folders::owned));
    assertUnchanged(untouched, "safe");

    groups.delete("safe");
    eventually().untilAsserted(() -> assertThat(get("safe")).isNull());
    assertThat(folder("safe")).as("a folder holding foreign VMs is kept").isPresent();
    assertUnchanged(untouched, "safe");
    assertThat(observer.findByInventoryPath("/DC0/vm/" + TEMPLATE)).isPresent();
  }

  @Test
  void aForeignVmHoldingAReplicaNameIsLeftAloneItsNameSkippedAndReported() {
    MoRef root = observer.findByInventoryPath(ROOT).orElseGet(this::createRoot);
    MoRef folder = observer.createFolder(root, namespace + "-clash");
    VmInfo squatter = foreignClone(folder, "clash-0");

    create("clash", 1, 1, 2, TEMPLATE);
    eventually()
        .untilAsserted(
            () ->
                assertThat(running("clash"))
                    .extracting(VmInfo::name)
                    .containsExactlyInAnyOrder("clash-1", "clash-2"));
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        kube.resources(io.fabric8.kubernetes.api.model.events.v1.Event.class)
                            .inNamespace(namespace)
                            .list()
                            .getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("ForeignVms");
                          assertThat(e.getNote()).contains("clash-0");
                        }));
    assertThat(get("clash").getStatus().getPhase()).isEqualTo("RUNNING");
    assertUnchanged(List.of(squatter), "clash");

    groups.delete("clash");
    eventually().untilAsserted(() -> assertThat(get("clash")).isNull());
    assertUnchanged(List.of(squatter), "clash");
    assertThat(vmsOf("clash")).noneMatch(Folders::owned);
  }

  /**
   * A spec every API server stores (the schema has no upper bound on replicas) that only the
   * operator can judge: more replicas than its --max-replicas. Out-of-range values the schema
   * refuses are the bad-input corpus's business (BadSpecCorpusSuite), on the mock as well.
   */
  @Test
  void anInvalidSpecIsReportedAndNothingHappensInVcenter() {
    int tooMany = settings().maxReplicas() + 1;
    create("invalid", 1, 1, tooMany, TEMPLATE);
    eventually()
        .untilAsserted(
            () -> {
              VmGroup g = get("invalid");
              assertThat(g.getStatus()).isNotNull();
              assertThat(g.getStatus().getPhase()).isEqualTo("ERROR");
              assertThat(g.getStatus().getLastMessage())
                  .contains("spec.replicas must be at most " + settings().maxReplicas());
            });
    assertThat(folder("invalid")).isEmpty();
    edit("invalid", s -> s.setReplicas(2));
    eventually().untilAsserted(() -> assertThat(running("invalid")).hasSize(2));
  }

  private List<VmInfo> running(String group) {
    return vmsOf(group).stream()
        .filter(Folders::owned)
        .filter(vm -> vm.powerState() == PowerState.POWERED_ON)
        .toList();
  }

  private PowerState power(String vmName, String group) {
    return vmsOf(group).stream()
        .filter(vm -> vm.name().equals(vmName))
        .map(VmInfo::powerState)
        .findFirst()
        .orElse(PowerState.UNKNOWN);
  }

  private void assertUnchanged(List<VmInfo> before, String group) {
    List<VmInfo> now = vmsOf(group);
    for (VmInfo vm : before) {
      assertThat(now.stream().map(VmGroupFacts::identity))
          .as("foreign VM %s is untouched", vm.name())
          .contains(VmGroupFacts.identity(vm));
    }
  }

  private VmInfo foreignClone(MoRef folder, String name) {
    MoRef template = observer.findByInventoryPath("/DC0/vm/" + TEMPLATE).orElseThrow();
    NamedRef dc = observer.datacenters().get(0);
    MoRef pool = observer.resourcePools(dc.ref()).get(0).ref();
    finish(observer.cloneVm(new CloneRequest(template, folder, pool, null, name, 1, 32, Map.of())));
    return observer.vmsInFolder(folder).stream()
        .filter(vm -> vm.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private MoRef createRoot() {
    MoRef vmFolder = observer.datacenter(observer.datacenters().get(0).ref()).vmFolder();
    try {
      return observer.createFolder(vmFolder, ROOT.substring(ROOT.lastIndexOf('/') + 1));
    } catch (VsphereException.DuplicateName raced) {
      return observer.findByInventoryPath(ROOT).orElseThrow();
    }
  }

  private TaskInfo finish(TaskRef task) {
    return eventually().until(() -> observer.tasks(List.of(task)).get(0), TaskInfo::done);
  }
}
