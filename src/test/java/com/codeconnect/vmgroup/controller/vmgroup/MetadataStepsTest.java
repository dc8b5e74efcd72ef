package com.codeconnect.vmgroup.controller.vmgroup;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.testing.Wait;
import com.codeconnect.vmgroup.vsphere.CustomFieldDef;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.Tag;
import com.codeconnect.vmgroup.vsphere.TagCategory;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.fake.Administrator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.tags and spec.customAttributes through the reconcile's steps on the in-memory vCenter, with
 * the change feed (which brings custom values): set on every VM, put back after an administrator
 * removed them, detached when dropped from the spec, a hand-added tag and foreign VMs left alone,
 * and no call once in sync.
 */
class MetadataStepsTest {
  private Steps steps;
  private Administrator admin;
  private Tag prod;
  private Tag test;
  private Tag teamA;

  @BeforeEach
  void start() {
    steps = new Steps(true, 8);
    admin = steps.vcenter.admin();
    TagCategory env = admin.addTagCategory("env");
    prod = admin.addTag(env, "prod");
    test = admin.addTag(env, "test");
    teamA = admin.addTag(admin.addTagCategory("team"), "a");
  }

  @AfterEach
  void stop() {
    steps.close();
  }

  private static VmGroup group(List<String> tags, Map<String, String> attributes) {
    VmGroup g = Steps.group("tagged", 2);
    g.getSpec().setTags(new ArrayList<>(tags));
    g.getSpec().setCustomAttributes(attributes);
    return g;
  }

  private int field(String name) {
    return steps.vcenter.customFields().stream()
        .filter(f -> f.name().equals(name))
        .mapToInt(CustomFieldDef::key)
        .findFirst()
        .orElse(-1);
  }

  private Map<String, String> attributes(VmInfo vm) {
    Map<String, String> byName = new java.util.TreeMap<>();
    steps
        .vcenter
        .customFields()
        .forEach(
            f -> {
              String v = admin.customValues(vm.ref()).get(f.key());
              if (v != null) {
                byName.put(f.name(), v);
              }
            });
    return byName;
  }

  private Set<String> tags(VmInfo vm) {
    return Set.copyOf(admin.attachedTags(vm.ref()));
  }

  /** Passes a second apart until every VM of the group satisfies the condition. */
  private Steps.Pass settle(VmGroup g, Predicate<VmInfo> each) {
    Steps.Pass[] last = new Steps.Pass[1];
    Wait.fast(Duration.ofSeconds(20))
        .alias("every VM of " + g.getMetadata().getName() + " as wanted")
        .until(
            () -> {
              last[0] = steps.reconcile(g);
              steps.clock.advance(Duration.ofSeconds(1));
              List<VmInfo> vms = steps.running(g);
              return vms.size() == g.getSpec().getReplicas() && vms.stream().allMatch(each);
            });
    return last[0];
  }

  private boolean synced(VmInfo vm, Set<String> tagIds, Map<String, String> attrs) {
    return tags(vm).equals(tagIds) && attributes(vm).equals(attrs);
  }

  @Test
  void everyVmGetsTheTagsAndAttributesAndASteadyStateCostsNoCall() {
    VmGroup g = group(List.of("env/prod", "team/a"), Map.of("owner", "platform"));
    Map<String, String> wanted = Map.of("owner", "platform", "vmgroup", "ns/tagged");
    Steps.Pass p = settle(g, vm -> synced(vm, Set.of(prod.id(), teamA.id()), wanted));
    assertThat(p.tagging()).isNull();
    for (VmInfo vm : steps.running(g)) {
      assertThat(vm.extraConfig().get(Ownership.TAGS)).contains(prod.id(), teamA.id());
    }
    assertThat(steps.vcenter.customFields())
        .filteredOn(f -> Set.of("owner", "vmgroup").contains(f.name()))
        .hasSize(2)
        .allSatisfy(f -> assertThat(f.managedObjectType()).isEqualTo("VirtualMachine"));

    Wait.quietPeriod(Duration.ofMillis(300));
    steps.reconcile(g);
    long before = steps.vcenter.clientCallCount();
    for (int i = 0; i < 5; i++) {
      steps.reconcile(g);
      steps.clock.advance(Duration.ofSeconds(1));
    }
    assertThat(steps.vcenter.clientCallCount()).isEqualTo(before);
  }

  @Test
  void whatAnAdministratorRemovedComesBackAndWhatTheyAddedStays() {
    VmGroup g = group(List.of("env/prod"), Map.of("owner", "platform"));
    Map<String, String> wanted = Map.of("owner", "platform", "vmgroup", "ns/tagged");
    settle(g, vm -> synced(vm, Set.of(prod.id()), wanted));
    VmInfo vm = steps.running(g).get(0);

    admin.setCustomValue(vm.ref(), field("owner"), "");
    admin.attachTag(test, vm.ref());
    admin.detachTag(prod, vm.ref());
    // the value arrives through the feed: set back at once
    settle(g, v -> attributes(v).equals(wanted));
    assertThat(tags(vm)).containsExactly(test.id());

    // tags reach no feed: read again after the full resync interval
    steps.clock.advance(Duration.ofMinutes(11));
    settle(g, v -> tags(v).contains(prod.id()));
    assertThat(tags(vm)).containsExactlyInAnyOrder(prod.id(), test.id());
  }

  @Test
  void aDefinitionDeletedByAnAdministratorIsMadeAgainAndTheValuesSetBack() {
    VmGroup g = group(List.of(), Map.of("owner", "platform"));
    Map<String, String> wanted = Map.of("owner", "platform", "vmgroup", "ns/tagged");
    settle(g, vm -> synced(vm, Set.of(), wanted));
    int old = field("owner");

    // vCenter drops the values with the definition
    admin.removeCustomField(old);
    steps.running(g).forEach(vm -> admin.setCustomValue(vm.ref(), old, ""));
    // once the feed has brought the cleared values, setting them with the old key is refused
    Steps.Pass[] refused = new Steps.Pass[1];
    Wait.fast(Duration.ofSeconds(10))
        .until(
            () -> {
              refused[0] = steps.reconcile(g);
              return refused[0].tagging() != null;
            });
    assertThat(refused[0].tagging().reason()).isEqualTo(Problem.Reason.AttributesNotSet);
    assertThat(refused[0].tagging().message()).contains("InvalidArgument");

    settle(g, vm -> attributes(vm).equals(wanted));
    assertThat(field("owner")).isNotEqualTo(old);
  }

  @Test
  void aTagDroppedFromTheSpecIsDetachedWhereTheOperatorAttachedIt() {
    VmGroup g = group(List.of("env/prod", "team/a"), null);
    settle(g, vm -> tags(vm).equals(Set.of(prod.id(), teamA.id())));
    VmInfo vm = steps.running(g).get(0);
    admin.attachTag(test, vm.ref());

    g.getSpec().setTags(new ArrayList<>(List.of("env/prod")));
    settle(
        g,
        v ->
            !tags(v).contains(teamA.id())
                && v.extraConfig().getOrDefault(Ownership.TAGS, "").equals(prod.id()));
    assertThat(tags(vm)).containsExactlyInAnyOrder(prod.id(), test.id());

    g.getSpec().setTags(null);
    settle(g, v -> !tags(v).contains(prod.id()) && !v.extraConfig().containsKey(Ownership.TAGS));
    assertThat(tags(vm)).containsExactly(test.id());
  }

  @Test
  void aTagThatDoesNotExistIsNamedAndNothingIsAttached() {
    VmGroup g = group(List.of("env/prod", "env/staging"), null);
    Steps.Pass p = settle(g, vm -> attributes(vm).containsKey("vmgroup"));
    assertThat(p.tagging()).isNotNull();
    assertThat(p.tagging().reason()).isEqualTo(Problem.Reason.TagNotFound);
    assertThat(p.tagging().message()).contains("staging").contains("env");
    for (VmInfo vm : steps.running(g)) {
      assertThat(tags(vm)).isEmpty();
      assertThat(vm.extraConfig()).doesNotContainKey(Ownership.TAGS);
    }
    steps.reconcileAndRecord(g);
    assertThat(g.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Degraded");
              assertThat(c.getReason()).isEqualTo("TagNotFound");
            });
  }

  @Test
  void foreignVmsAndOtherFieldsAreNeverTouched() {
    int backup = admin.addCustomField("backup", null).key();
    VmGroup g = group(List.of("env/prod"), Map.of("owner", "platform"));
    steps.converge(g, 30);
    MoRef folder = steps.folder(g).orElseThrow();
    MoRef foreign = admin.addVm(folder, "someone-elses");
    VmInfo ours = steps.running(g).get(0);
    admin.setCustomValue(ours.ref(), backup, "gold");
    settle(g, vm -> tags(vm).equals(Set.of(prod.id())) && attributes(vm).containsKey("owner"));
    assertThat(admin.attachedTags(foreign)).isEmpty();
    assertThat(admin.customValues(foreign)).isEmpty();
    assertThat(admin.customValues(ours.ref())).containsEntry(backup, "gold");
  }
}
