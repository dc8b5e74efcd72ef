package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.BadSpecCorpus;
import com.codeconnect.vmgroup.api.BadSpecCorpus.Entry;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.app.OperatorRuntime;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario 10: the whole bad-input corpus applied in one namespace beside one valid group.
 * Each bad group gets a condition naming its problem and causes no change at all in vCenter
 * (compared through a separate session); the valid group converges, keeps being served as its spec
 * changes, and a restarted operator starts and serves it with all the bad groups present.
 */
abstract class BadSpecCorpusSuite extends OperatorFixture {
  private static final ResourceDefinitionContext VMGROUPS =
      new ResourceDefinitionContext.Builder()
          .withGroup(VmGroup.GROUP)
          .withVersion(VmGroup.VERSION)
          .withKind("VmGroup")
          .withPlural("vmgroups")
          .withNamespaced(true)
          .build();

  /** vCenter as a set of facts: every folder path and every VM with its state. */
  private record Snapshot(Set<String> folders, Set<String> vms) {}

  @Test
  void badGroupsAreReportedTouchNothingInVcenterAndTheGoodOneIsServed() {
    eventually().until(operator::inventorySynced);
    Snapshot before = snapshot();

    List<Entry> created = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    // stored, but the mock can't find them by name: nobody can patch them, the operator included
    List<String> unaddressable = new ArrayList<>();
    for (Entry e : BadSpecCorpus.all()) {
      GenericKubernetesResource r =
          kube.getKubernetesSerialization().unmarshal(e.yaml(), GenericKubernetesResource.class);
      r.getMetadata().setNamespace(namespace);
      try {
        kube.genericKubernetesResources(VMGROUPS).inNamespace(namespace).resource(r).create();
        assertThat(api.enforcesSchema() && e.refusedByApiServer())
            .as("a schema-enforcing API server stored %s", e)
            .isFalse();
        if (!api.enforcesSchema() && e.unaddressableOnMock()) {
          unaddressable.add(e.name());
        } else {
          created.add(e);
        }
      } catch (KubernetesClientException ex) {
        assertThat(api.enforcesSchema() && e.refusedByApiServer())
            .as("%s refused: %s", e, ex.getMessage())
            .isTrue();
        refused.add(e.file());
      }
    }
    create("good", 1, 1, 2, TEMPLATE);

    eventually().untilAsserted(() -> assertThat(running("good")).hasSize(2));
    eventually().untilAsserted(() -> assertThat(unexplained(created)).isEmpty());

    // watch events keep arriving for the good group among all the bad ones
    edit("good", s -> s.setReplicas(3));
    eventually().untilAsserted(() -> assertThat(running("good")).hasSize(3));

    // and an operator started with all of them present (its first list holds every one) serves it
    operator.close();
    operator = OperatorRuntime.start(kube, operatorClient, settings());
    edit("good", s -> s.setReplicas(1));
    eventually()
        .untilAsserted(
            () ->
                assertThat(vmsOf("good"))
                    .filteredOn(Folders::owned)
                    .extracting(VmInfo::name)
                    .containsExactly("good-0"));
    eventually().untilAsserted(() -> assertThat(unexplained(created)).isEmpty());

    assertThat(withoutGood(snapshot())).isEqualTo(before);

    // deleting them leaves no finalizer behind and still touches nothing
    for (Entry e : created) {
      kube.genericKubernetesResources(VMGROUPS).inNamespace(namespace).withName(e.name()).delete();
    }
    eventually()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(
                        kube.genericKubernetesResources(VMGROUPS)
                            .inNamespace(namespace)
                            .list()
                            .getItems())
                    .extracting(g -> g.getMetadata().getName())
                    .filteredOn(n -> !unaddressable.contains(n))
                    .containsExactly("good"));
    assertThat(withoutGood(snapshot())).isEqualTo(before);
    if (!api.enforcesSchema()) {
      assertThat(refused).isEmpty();
    }
  }

  /** Entries whose group has no condition with the expected reason and message yet. */
  private List<String> unexplained(List<Entry> entries) {
    List<String> out = new ArrayList<>();
    for (Entry e : entries) {
      GenericKubernetesResource g =
          kube.genericKubernetesResources(VMGROUPS).inNamespace(namespace).withName(e.name()).get();
      Map<String, Object> degraded = degraded(g);
      if (degraded == null) {
        out.add(e.file() + ": no Degraded condition");
        continue;
      }
      String reason = String.valueOf(degraded.get("reason"));
      String message = String.valueOf(degraded.get("message"));
      if (!"True".equals(degraded.get("status")) || !reason.equals(e.reason())) {
        out.add(e.file() + ": Degraded " + degraded.get("status") + " " + reason + " " + message);
      } else if (!e.messages().stream().allMatch(message::contains)
          || (e.absent() != null && message.contains(e.absent()))) {
        out.add(e.file() + ": message " + message);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> degraded(GenericKubernetesResource g) {
    if (g == null || !(g.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return null;
    }
    if (!(status.get("conditions") instanceof List<?> conditions)) {
      return null;
    }
    return conditions.stream()
        .map(c -> (Map<String, Object>) c)
        .filter(c -> StatusBuilder.DEGRADED.equals(c.get("type")))
        .findFirst()
        .orElse(null);
  }

  private List<VmInfo> running(String group) {
    return vmsOf(group).stream()
        .filter(Folders::owned)
        .filter(vm -> vm.powerState() == PowerState.POWERED_ON)
        .toList();
  }

  private Snapshot snapshot() {
    Set<String> folders = new TreeSet<>();
    Set<String> vms = new TreeSet<>();
    for (NamedRef dc : observer.datacenters()) {
      MoRef vmFolder = observer.datacenter(dc.ref()).vmFolder();
      walk(vmFolder, dc.path() + "/vm", folders, vms);
    }
    return new Snapshot(folders, vms);
  }

  private void walk(MoRef folder, String path, Set<String> folders, Set<String> vms) {
    folders.add(path);
    for (VmInfo vm : observer.vmsInFolder(folder)) {
      vms.add(path + " " + VmGroupFacts.identity(vm) + " " + vm.extraConfig());
    }
    for (NamedRef child : observer.childFolders(folder)) {
      walk(child.ref(), path + "/" + child.name(), folders, vms);
    }
  }

  /** The snapshot less the valid group's folder and what is in it. */
  private Snapshot withoutGood(Snapshot s) {
    String good = folderPath("good");
    return new Snapshot(
        s.folders().stream().filter(f -> !f.equals(good)).collect(Collectors.toSet()),
        s.vms().stream().filter(v -> !v.startsWith(good + " ")).collect(Collectors.toSet()));
  }
}
