package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.FailureDomainSpec;
import com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmStatus;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.decision.Naming;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.demo.VcsimBuilder;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A group spread over three failure domains, one cluster each, on the simulator: where each VM runs
 * is read through a vCenter session of the test's own, never from the operator's status.
 */
abstract class FailureDomainsSuite extends OperatorFixture {
  private static final List<String> CLUSTERS = List.of("DC0_C0", "DC0_C1", "DC0_C2");

  @Override
  protected VcsimBuilder simulator() {
    return Vcsim.builder().clusters(3);
  }

  @Override
  protected OperatorSettings settings() {
    // three clusters make the operator's own default pool ambiguous; domain groups don't use it
    return super.settings().withPlacementDefaults(null, "DC0_C0", null, null);
  }

  /** The cluster each running VM of the group is in, by VM name, from vCenter. */
  private Map<String, String> clusterOf(String group) {
    Map<String, String> clusterByPool = new TreeMap<>();
    for (NamedRef pool : observer.resourcePools(observer.datacenters().get(0).ref())) {
      for (String cluster : CLUSTERS) {
        if (pool.path().equals("/DC0/host/" + cluster + "/Resources")) {
          clusterByPool.put(pool.ref().value(), cluster);
        }
      }
    }
    return vmsOf(group).stream()
        .filter(Folders::owned)
        .filter(vm -> vm.powerState() == PowerState.POWERED_ON)
        .collect(
            Collectors.toMap(
                VmInfo::name,
                vm -> clusterByPool.getOrDefault(sim.placementOf(vm.ref()).resourcePool(), "?"),
                (a, b) -> a,
                TreeMap::new));
  }

  private static Map<String, Long> perCluster(Map<String, String> clusters) {
    return clusters.values().stream()
        .collect(Collectors.groupingBy(c -> c, TreeMap::new, Collectors.counting()));
  }

  @Test
  void tenVmsSpreadFourThreeThreeAndScaleInTakesFromTheFullestDomain() {
    VmGroupSpec spec = new VmGroupSpec(1, 1, 10, TEMPLATE);
    PlacementSpec placement = new PlacementSpec();
    placement.setFailureDomains(
        List.of(
            new FailureDomainSpec("fd-a", CLUSTERS.get(0), null, null, null),
            new FailureDomainSpec("fd-b", "/DC0/host/" + CLUSTERS.get(1), null, null, null),
            new FailureDomainSpec("fd-c", null, "/DC0/host/DC0_C2/Resources", null, null)));
    spec.setPlacement(placement);
    groups.create("spread", spec);

    eventually()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(clusterOf("spread")).hasSize(10));
    Map<String, String> where = clusterOf("spread");
    where.forEach(
        (vm, cluster) ->
            assertThat(cluster)
                .as(vm)
                .isEqualTo(CLUSTERS.get(Naming.indexOf("spread", vm).orElseThrow() % 3)));
    assertThat(perCluster(where))
        .containsExactly(Map.entry("DC0_C0", 4L), Map.entry("DC0_C1", 3L), Map.entry("DC0_C2", 3L));
    eventually()
        .untilAsserted(
            () -> {
              VmGroup g = get("spread");
              assertThat(g.getStatus().getVms()).hasSize(10);
              for (VmStatus s : g.getStatus().getVms()) {
                int index = Naming.indexOf("spread", s.getName()).orElseThrow();
                assertThat(s.getFailureDomain())
                    .isEqualTo(List.of("fd-a", "fd-b", "fd-c").get(index % 3));
              }
            });

    scale("spread", 9);
    eventually()
        .untilAsserted(
            () ->
                assertThat(perCluster(clusterOf("spread")))
                    .containsExactly(
                        Map.entry("DC0_C0", 3L), Map.entry("DC0_C1", 3L), Map.entry("DC0_C2", 3L)));
    scale("spread", 7);
    eventually()
        .untilAsserted(
            () -> {
              assertThat(vmsOf("spread")).hasSize(7);
              Map<String, Long> counts = perCluster(clusterOf("spread"));
              assertThat(counts.values()).containsOnly(3L, 2L);
              assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(7);
            });
  }
}
