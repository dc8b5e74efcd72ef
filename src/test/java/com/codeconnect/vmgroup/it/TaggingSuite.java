package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.demo.VcsimBuilder;
import com.codeconnect.vmgroup.vsphere.CustomFieldDef;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.Tag;
import com.codeconnect.vmgroup.vsphere.TagCategory;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * spec.tags and spec.customAttributes on the simulator, tags through its REST API: set on every VM,
 * repaired after an administrator removed them, detached when dropped from the spec, with VMs and
 * tags that aren't the group's untouched. Asserted through the test's own session.
 */
abstract class TaggingSuite extends OperatorFixture {
  private static final String FOREIGN_VM = "DC0_C0_RP0_VM0";

  @Override
  protected VcsimBuilder simulator() {
    return Vcsim.builder().tagCategory("env", "prod", "test").tagCategory("team", "a", "b");
  }

  /** Tags reach no change feed: a short full resync lets a removed tag come back within seconds. */
  @Override
  protected OperatorSettings settings() {
    return super.settings().withFullResyncInterval(Duration.ofSeconds(3));
  }

  private Tag tag(String category, String name) {
    TagCategory c =
        observer.tagCategories().stream()
            .filter(x -> x.name().equals(category))
            .findFirst()
            .orElseThrow();
    return observer.tags(c).stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  private Set<String> tagsOf(VmInfo vm) {
    return Set.copyOf(observer.attachedTags(vm.ref()));
  }

  private Map<String, String> attributesOf(VmInfo vm) {
    Map<Integer, String> values = observer.customValues(vm.ref());
    Map<String, String> byName = new HashMap<>();
    for (CustomFieldDef f : observer.customFields()) {
      if (values.containsKey(f.key())) {
        byName.put(f.name(), values.get(f.key()));
      }
    }
    return byName;
  }

  private int field(String name) {
    return observer.customFields().stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow()
        .key();
  }

  private void createWith(String name, int replicas, Consumer<VmGroupSpec> options) {
    VmGroupSpec spec = new VmGroupSpec(1, 1, replicas, TEMPLATE);
    options.accept(spec);
    groups.create(name, spec);
  }

  private MoRef foreignVm() {
    MoRef dc = observer.datacenters().get(0).ref();
    return observer.findVmsByName(dc, FOREIGN_VM).get(0).ref();
  }

  @Test
  void tagsAndAttributesAreSetOnEveryVmAndComeBackAfterAnAdministratorRemovedThem() {
    Tag prod = tag("env", "prod");
    Tag teamA = tag("team", "a");
    Tag test = tag("env", "test");
    createWith(
        "tagged",
        2,
        s -> {
          s.setTags(new ArrayList<>(List.of("env/prod", "team/a")));
          s.setCustomAttributes(Map.of("owner", "platform"));
        });
    Map<String, String> wanted = Map.of("owner", "platform", "vmgroup", namespace + "/tagged");
    eventually()
        .untilAsserted(
            () -> {
              List<VmInfo> vms = vmsOf("tagged");
              assertThat(vms).hasSize(2);
              for (VmInfo vm : vms) {
                assertThat(tagsOf(vm)).containsExactlyInAnyOrder(prod.id(), teamA.id());
                assertThat(attributesOf(vm)).containsAllEntriesOf(wanted);
              }
            });
    assertThat(observer.customFields())
        .filteredOn(f -> Set.of("owner", "vmgroup").contains(f.name()))
        .allSatisfy(f -> assertThat(f.managedObjectType()).isEqualTo("VirtualMachine"));

    VmInfo first = vmsOf("tagged").get(0);
    VmInfo second = vmsOf("tagged").get(1);
    observer.detachTags(List.of(prod.id()), first.ref());
    observer.attachTags(List.of(test.id()), first.ref());
    observer.setCustomValue(second.ref(), field("owner"), "");
    eventually()
        .untilAsserted(
            () -> {
              assertThat(tagsOf(first)).containsExactlyInAnyOrder(prod.id(), teamA.id(), test.id());
              assertThat(attributesOf(second)).containsAllEntriesOf(wanted);
            });
  }

  @Test
  void aTagDroppedFromTheSpecIsDetachedAndWhatIsNotTheGroupsIsLeftAlone() {
    Tag prod = tag("env", "prod");
    Tag teamB = tag("team", "b");
    MoRef foreign = foreignVm();
    observer.attachTags(List.of(teamB.id()), foreign);
    createWith(
        "dropping",
        2,
        s -> {
          s.setTags(new ArrayList<>(List.of("env/prod", "team/b")));
          s.setCustomAttributes(Map.of("cost-center", "4711"));
        });
    eventually()
        .untilAsserted(
            () ->
                assertThat(vmsOf("dropping"))
                    .hasSize(2)
                    .allSatisfy(
                        vm ->
                            assertThat(tagsOf(vm))
                                .containsExactlyInAnyOrder(prod.id(), teamB.id())));
    int costCenter = field("cost-center");
    observer.setCustomValue(foreign, costCenter, "9999");

    groups.edit("dropping", s -> s.setTags(new ArrayList<>(List.of("env/prod"))));
    eventually()
        .untilAsserted(
            () ->
                assertThat(vmsOf("dropping"))
                    .allSatisfy(vm -> assertThat(tagsOf(vm)).containsExactly(prod.id())));
    assertThat(observer.attachedTags(foreign)).contains(teamB.id()).doesNotContain(prod.id());
    assertThat(observer.customValues(foreign))
        .containsEntry(costCenter, "9999")
        .doesNotContainKey(field("vmgroup"));
  }

  @Test
  void aTagThatDoesNotExistIsReportedAndNothingIsAttached() {
    createWith("typo", 1, s -> s.setTags(new ArrayList<>(List.of("env/prod", "env/staging"))));
    eventually()
        .untilAsserted(
            () -> {
              VmGroup g = get("typo");
              assertThat(g.getStatus()).isNotNull();
              Condition degraded =
                  StatusBuilder.find(g.getStatus().getConditions(), StatusBuilder.DEGRADED);
              assertThat(degraded).isNotNull();
              assertThat(degraded.getReason()).isEqualTo("TagNotFound");
              assertThat(degraded.getMessage()).contains("'staging'").contains("'env'");
              assertThat(vmsOf("typo")).hasSize(1);
            });
    assertThat(vmsOf("typo")).allSatisfy(vm -> assertThat(tagsOf(vm)).isEmpty());
  }

  @Test
  void aFailingRestApiIsReportedWhileSoapWorkGoesOnAndTagsFollowItsRecovery() {
    Tag prod = tag("env", "prod");
    createWith("outage", 1, s -> s.setTags(new ArrayList<>(List.of("env/prod"))));
    eventually()
        .untilAsserted(
            () ->
                assertThat(vmsOf("outage"))
                    .hasSize(1)
                    .allSatisfy(vm -> assertThat(tagsOf(vm)).containsExactly(prod.id())));
    sim.restFault("error", 503);
    try {
      scale("outage", 2);
      eventually()
          .untilAsserted(
              () -> {
                assertThat(runningOwned("outage")).hasSize(2);
                Condition degraded =
                    StatusBuilder.find(
                        get("outage").getStatus().getConditions(), StatusBuilder.DEGRADED);
                assertThat(degraded).isNotNull();
                assertThat(degraded.getReason()).isEqualTo("TaggingUnavailable");
                assertThat(degraded.getMessage()).contains("503");
              });
    } finally {
      sim.restFault("none", 503);
    }
    eventually()
        .untilAsserted(
            () -> {
              assertThat(vmsOf("outage"))
                  .hasSize(2)
                  .allSatisfy(vm -> assertThat(tagsOf(vm)).containsExactly(prod.id()));
              Condition degraded =
                  StatusBuilder.find(
                      get("outage").getStatus().getConditions(), StatusBuilder.DEGRADED);
              assertThat(degraded == null || "False".equals(degraded.getStatus())).isTrue();
            });
  }

  private List<VmInfo> runningOwned(String group) {
    return vmsOf(group).stream().filter(vm -> vm.powerState() == PowerState.POWERED_ON).toList();
  }
}
