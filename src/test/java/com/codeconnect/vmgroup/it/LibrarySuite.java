package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.BootstrapSpec;
import com.codeconnect.vmgroup.api.v1alpha1.ContentLibrarySpec;
import com.codeconnect.vmgroup.api.v1alpha1.LinuxPrepSpec;
import com.codeconnect.vmgroup.api.v1alpha1.RollingUpdate;
import com.codeconnect.vmgroup.api.v1alpha1.SourceSpec;
import com.codeconnect.vmgroup.api.v1alpha1.UpdateStrategy;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.demo.VcsimBuilder;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * spec.source.contentLibrary on the simulator, deploys through its REST API: groups from a VM
 * template item and from an OVF item run at the spec's size with the group's markers, a new item
 * version rolls a group within maxUnavailable, an unknown library or item deploys nothing and names
 * what exists, and a failing REST API is reported while SOAP work goes on. Asserted through the
 * test's own session.
 */
abstract class LibrarySuite extends OperatorFixture {
  private static final String LIBRARY = "golden";

  @Override
  protected VcsimBuilder simulator() {
    return Vcsim.builder().contentLibrary(LIBRARY);
  }

  /** Calls time out after 5 s, so a hanging REST API is noticed within a test's patience. */
  @Override
  protected Duration callTimeout() {
    return Duration.ofSeconds(5);
  }

  private void createFrom(
      String name, int replicas, String library, String item, Consumer<VmGroupSpec> options) {
    VmGroupSpec spec = new VmGroupSpec(2, 1, replicas, null);
    spec.setSource(new SourceSpec(new ContentLibrarySpec(library, item)));
    options.accept(spec);
    groups.create(name, spec);
  }

  /** The item's content version as the test's own session reads it. */
  private String currentVersion(String item) {
    return observer.findLibraryItem(LIBRARY, item).item().contentVersion();
  }

  private List<VmInfo> runningOwned(String group) {
    return vmsOf(group).stream().filter(vm -> vm.powerState() == PowerState.POWERED_ON).toList();
  }

  private Condition degraded(String group) {
    VmGroup g = get(group);
    return g.getStatus() == null
        ? null
        : StatusBuilder.find(g.getStatus().getConditions(), StatusBuilder.DEGRADED);
  }

  private void assertDeployedFor(String group, VmInfo vm, String version) {
    String uid = get(group).getMetadata().getUid();
    assertThat(vm.cpu()).isEqualTo(2);
    assertThat(vm.memoryMiB()).isEqualTo(1024);
    assertThat(vm.template()).isFalse();
    assertThat(vm.extraConfig())
        .containsEntry(Ownership.OWNER_UID, uid)
        .containsEntry(Ownership.CONTENT_VERSION, version)
        .containsKey(Ownership.SOURCE_HASH)
        .containsKey(Ownership.INDEX);
    assertThat(observer.details(vm.ref()).annotation()).contains(Ownership.deployToken(uid));
  }

  @Test
  void groupsFromAVmTemplateItemAndAnOvfItemRunAtTheSpecsSizeWithTheGroupsMarkers() {
    createFrom("vmtx", 2, LIBRARY, Vcsim.VMTX_ITEM, s -> {});
    createFrom("ovf", 2, LIBRARY, Vcsim.OVF_ITEM, s -> {});
    eventually()
        .untilAsserted(
            () -> {
              for (String group : List.of("vmtx", "ovf")) {
                List<VmInfo> vms = vmsOf(group);
                assertThat(vms).hasSize(2);
                assertThat(runningOwned(group)).hasSize(2);
                String version = currentVersion(get(group).getSpec().contentLibrary().getItem());
                vms.forEach(vm -> assertDeployedFor(group, vm, version));
              }
            });
    eventually()
        .untilAsserted(() -> assertThat(get("ovf").getStatus().getReadyReplicas()).isEqualTo(2));
    groups.delete("vmtx");
    groups.delete("ovf");
    eventually()
        .untilAsserted(
            () -> {
              assertThat(folder("vmtx")).isEmpty();
              assertThat(folder("ovf")).isEmpty();
            });
  }

  @Test
  void aNewItemVersionRollsTheGroupWithinMaxUnavailable() throws Exception {
    createFrom(
        "roll",
        3,
        LIBRARY,
        Vcsim.VMTX_ITEM,
        s ->
            s.setUpdateStrategy(
                new UpdateStrategy(
                    UpdateStrategy.Type.RollingUpdate,
                    new RollingUpdate(new IntOrString(1), new IntOrString(0)))));
    eventually().untilAsserted(() -> assertThat(runningOwned("roll")).hasSize(3));
    String before = vmsOf("roll").get(0).extraConfig().get(Ownership.CONTENT_VERSION);

    List<RolloutSampler.Snapshot> samples;
    try (RolloutSampler sampler =
        new RolloutSampler(client(() -> observerCredentials), folderPath("roll"))) {
      String version = sim.publishLibraryItem(Vcsim.VMTX_ITEM);
      assertThat(version).isNotEqualTo(before);
      eventually()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                List<VmInfo> vms = runningOwned("roll");
                assertThat(vms).hasSize(3);
                vms.forEach(vm -> assertDeployedFor("roll", vm, version));
                assertThat(vmsOf("roll")).hasSize(3);
              });
      samples = sampler.stop();
    }
    assertThat(samples).as("a rollout happened while sampling").anyMatch(s -> s.mixed());
    assertThat(samples.stream().mapToInt(RolloutSampler.Snapshot::running).min().orElseThrow())
        .as("never more than maxUnavailable = 1 of 3 VMs down")
        .isGreaterThanOrEqualTo(2);
    assertThat(samples.stream().mapToInt(RolloutSampler.Snapshot::total).max().orElseThrow())
        .as("no surge")
        .isLessThanOrEqualTo(3);
    eventually()
        .untilAsserted(() -> assertThat(get("roll").getStatus().getUpdatedReplicas()).isEqualTo(3));
  }

  @Test
  void anUnknownLibraryOrItemDeploysNothingAndNamesWhatExists() {
    createFrom("nolib", 1, "silver", Vcsim.VMTX_ITEM, s -> {});
    createFrom("noitem", 1, LIBRARY, "centos", s -> {});
    eventually()
        .untilAsserted(
            () -> {
              Condition lib = degraded("nolib");
              assertThat(lib).isNotNull();
              assertThat(lib.getReason()).isEqualTo("LibraryItemNotFound");
              assertThat(lib.getMessage())
                  .contains("content library 'silver' not found")
                  .contains("'" + LIBRARY + "'");
              Condition item = degraded("noitem");
              assertThat(item).isNotNull();
              assertThat(item.getReason()).isEqualTo("LibraryItemNotFound");
              assertThat(item.getMessage())
                  .contains("item 'centos' not found in content library '" + LIBRARY + "'")
                  .contains("'" + Vcsim.VMTX_ITEM + "'")
                  .contains("'" + Vcsim.OVF_ITEM + "'");
            });
    assertThat(vmsOf("nolib")).isEmpty();
    assertThat(vmsOf("noitem")).isEmpty();

    // naming an existing item is all it takes
    groups.edit("noitem", s -> s.getSource().getContentLibrary().setItem(Vcsim.OVF_ITEM));
    eventually().untilAsserted(() -> assertThat(runningOwned("noitem")).hasSize(1));
  }

  @Test
  void aFailingRestApiIsReportedWhileSoapWorkGoesOnAndTheGroupRecovers() {
    restOutage(
        "outage",
        Vcsim.OVF_ITEM,
        "error",
        "503",
        first -> {
          // SOAP work goes on: a VM an administrator powers off is powered on again
          observer.powerOffVm(first.ref());
          eventually()
              .untilAsserted(
                  () ->
                      assertThat(vmsOf("outage"))
                          .singleElement()
                          .satisfies(
                              vm -> {
                                assertThat(vm.ref()).isEqualTo(first.ref());
                                assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
                              }));
        });
  }

  @Test
  void aHangingRestApiTimesOutIsReportedAndTheGroupRecovers() {
    restOutage(
        "hang",
        Vcsim.VMTX_ITEM,
        "hang",
        null,
        first -> assertThat(vmsOf("hang")).extracting(VmInfo::ref).containsExactly(first.ref()));
  }

  /**
   * A group of one VM scaled to two while the REST API fails in {@code mode}: it reports the outage
   * (naming {@code inMessage}, when given), {@code meanwhile} checks the group with its first VM
   * during it, and once the API is back the second VM comes and the condition clears.
   */
  private void restOutage(
      String group, String item, String mode, String inMessage, Consumer<VmInfo> meanwhile) {
    createFrom(group, 1, LIBRARY, item, s -> {});
    eventually().untilAsserted(() -> assertThat(runningOwned(group)).hasSize(1));
    VmInfo first = vmsOf(group).get(0);
    sim.restFault(mode, 503);
    try {
      groups.edit(group, s -> s.setReplicas(2));
      eventually()
          .untilAsserted(
              () -> {
                Condition degraded = degraded(group);
                assertThat(degraded).isNotNull();
                assertThat(degraded.getReason()).isIn("LibraryUnavailable", "CloneFailed");
                if (inMessage != null) {
                  assertThat(degraded.getMessage()).contains(inMessage);
                }
              });
      meanwhile.accept(first);
    } finally {
      sim.restFault("none", 503);
    }
    eventually()
        .untilAsserted(
            () -> {
              assertThat(runningOwned(group)).hasSize(2);
              Condition degraded = degraded(group);
              assertThat(degraded == null || "False".equals(degraded.getStatus())).isTrue();
            });
  }

  @Test
  void linuxPrepGivesEachDeployedVmItsHostNameBeforeItsFirstBoot() {
    createFrom(
        "prep",
        2,
        LIBRARY,
        Vcsim.VMTX_ITEM,
        s -> s.setBootstrap(new BootstrapSpec(null, new LinuxPrepSpec("example.com", null), null)));
    eventually()
        .untilAsserted(
            () -> {
              List<VmInfo> vms = runningOwned("prep");
              assertThat(vms).hasSize(2);
              for (VmInfo vm : vms) {
                assertThat(vm.extraConfig()).doesNotContainKey(Ownership.CUSTOMIZATION);
                assertThat(observer.details(vm.ref()).guest().hostName()).isEqualTo(vm.name());
              }
            });
  }
}
