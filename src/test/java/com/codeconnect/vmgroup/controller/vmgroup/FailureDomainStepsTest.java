package com.codeconnect.vmgroup.controller.vmgroup;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.FailureDomainSpec;
import com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmStatus;
import com.codeconnect.vmgroup.decision.FailureDomains;
import com.codeconnect.vmgroup.decision.Naming;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Failure domains through the reconcile's steps on an in-memory vCenter with three clusters: each
 * VM goes to its index's domain and records it, scale-in takes from the domain holding the most, a
 * domain that can't take VMs holds back only its own, and a group may name the VCenter's domains.
 */
class FailureDomainStepsTest {
  private static final String POOL = "/DC0/host/%s/Resources";

  private static Steps steps() {
    return new Steps(false, 8, b -> b.clusters(3));
  }

  private static FailureDomainSpec domain(String name, String cluster) {
    return new FailureDomainSpec(name, cluster, null, null, null);
  }

  private static VmGroup group(String name, int replicas, FailureDomainSpec... domains) {
    VmGroup g = Steps.group(name, replicas);
    PlacementSpec p = new PlacementSpec();
    p.setFailureDomains(List.of(domains));
    g.getSpec().setPlacement(p);
    return g;
  }

  private static VmGroup threeDomains(String name, int replicas) {
    return group(
        name,
        replicas,
        domain("fd-a", "DC0_C0"),
        domain("fd-b", "/DC0/host/DC0_C1"),
        domain("fd-c", "DC0_C2"));
  }

  /** The group's VMs in vCenter by name, each with the pool it runs in. */
  private static Map<String, String> pools(Steps steps, VmGroup g) {
    return steps.running(g).stream()
        .collect(
            Collectors.toMap(
                VmInfo::name,
                vm -> steps.vcenter.admin().poolOf(vm.ref()),
                (a, b) -> a,
                TreeMap::new));
  }

  private static Map<String, Long> perPool(Steps steps, VmGroup g) {
    return pools(steps, g).values().stream()
        .collect(Collectors.groupingBy(p -> p, TreeMap::new, Collectors.counting()));
  }

  private static String pool(String cluster) {
    return String.format(POOL, cluster);
  }

  private static int index(VmGroup g, String vm) {
    return Naming.indexOf(g.getMetadata().getName(), vm).orElseThrow();
  }

  @Test
  void tenVmsSpreadFourThreeThreeEachInItsIndexsDomainAndTheStatusSaysWhich() {
    try (Steps steps = steps()) {
      VmGroup g = threeDomains("spread", 10);
      steps.converge(g, 30);
      Map<String, String> pools = pools(steps, g);
      assertThat(pools).hasSize(10);
      List<String> clusters = List.of("DC0_C0", "DC0_C1", "DC0_C2");
      List<String> names = List.of("fd-a", "fd-b", "fd-c");
      pools.forEach((vm, pool) -> assertThat(pool).isEqualTo(pool(clusters.get(index(g, vm) % 3))));
      assertThat(perPool(steps, g))
          .containsExactly(
              Map.entry(pool("DC0_C0"), 4L),
              Map.entry(pool("DC0_C1"), 3L),
              Map.entry(pool("DC0_C2"), 3L));
      for (VmInfo vm : steps.running(g)) {
        assertThat(vm.extraConfig())
            .containsEntry(FailureDomains.MARKER, names.get(index(g, vm.name()) % 3));
      }

      steps.reconcileAndRecord(g);
      assertThat(g.getStatus().getVms()).hasSize(10);
      for (VmStatus s : g.getStatus().getVms()) {
        assertThat(s.getFailureDomain()).isEqualTo(names.get(index(g, s.getName()) % 3));
      }
      // the domains' placements are remembered: a converged group's look doesn't resolve them
      Map<String, Long> before = steps.vcenter.callCounts();
      steps.clock.advance(Duration.ofSeconds(1));
      steps.reconcile(g);
      Map<String, Long> after = steps.vcenter.callCounts();
      assertThat(before).containsKey("resourcePools");
      for (String lookup : List.of("resourcePools", "datacenters", "datacenter", "networks")) {
        assertThat(after.get(lookup)).as(lookup).isEqualTo(before.get(lookup));
      }
    }
  }

  @Test
  void scaleInTakesFromTheFullestDomainNotTheNewestVm() {
    try (Steps steps = steps()) {
      VmGroup g = group("fullest", 4, domain("fd-a", "DC0_C0"), domain("fd-b", "DC0_C1"));
      steps.converge(g, 30);
      // a domain appended later: new VMs follow the new list, the others stay where they are
      g.getSpec()
          .getPlacement()
          .setFailureDomains(
              List.of(
                  domain("fd-a", "DC0_C0"), domain("fd-b", "DC0_C1"), domain("fd-c", "DC0_C2")));
      g.getSpec().setReplicas(6);
      steps.converge(g, 30);
      // fullest-0, -2 in fd-a; -1, -3 and -4 in fd-b; -5 in fd-c
      assertThat(perPool(steps, g))
          .containsExactly(
              Map.entry(pool("DC0_C0"), 2L),
              Map.entry(pool("DC0_C1"), 3L),
              Map.entry(pool("DC0_C2"), 1L));

      g.getSpec().setReplicas(5);
      steps.converge(g, 30);
      assertThat(pools(steps, g)).doesNotContainKey("fullest-4").containsKey("fullest-5");
      assertThat(perPool(steps, g))
          .containsExactly(
              Map.entry(pool("DC0_C0"), 2L),
              Map.entry(pool("DC0_C1"), 2L),
              Map.entry(pool("DC0_C2"), 1L));
    }
  }

  @Test
  void aDomainThatCantTakeVmsIsReportedAndTheOthersKeepTheirs() {
    try (Steps steps = steps()) {
      VmGroup g =
          group(
              "broken",
              10,
              domain("fd-a", "DC0_C0"),
              domain("fd-b", "DC0_C1"),
              domain("fd-c", "DC0_C9"));
      Steps.Pass last = null;
      for (int i = 0; i < 20; i++) {
        last = steps.reconcileAndRecord(g);
        steps.clock.advance(Duration.ofSeconds(1));
      }
      assertThat(perPool(steps, g))
          .containsExactly(Map.entry(pool("DC0_C0"), 4L), Map.entry(pool("DC0_C1"), 3L));
      assertThat(last.planned().plan().domainsWaiting()).isEqualTo(3);
      var degraded = StatusBuilder.find(g.getStatus().getConditions(), StatusBuilder.DEGRADED);
      assertThat(degraded.getStatus()).isEqualTo("True");
      assertThat(degraded.getReason()).isEqualTo(Problem.Reason.FailureDomainUnavailable.name());
      assertThat(degraded.getMessage()).contains("fd-c").contains("DC0_C9");

      g.getSpec().getPlacement().getFailureDomains().get(2).setCluster("DC0_C2");
      steps.converge(g, 30);
      assertThat(perPool(steps, g)).containsEntry(pool("DC0_C2"), 3L);
    }
  }

  @Test
  void aGroupNamesTheVcentersDomainsAndOneDefinedNowhereHoldsBackOnlyItsVms() {
    VCenterSpec vc = new VCenterSpec();
    vc.failureDomains =
        List.of(
            domain("east", "DC0_C1"),
            new FailureDomainSpec("west", null, "/DC0/host/DC0_C2/Resources", null, null));
    try (Steps steps = steps().withVcenterSpec(vc)) {
      VmGroup g =
          group(
              "shared",
              6,
              new FailureDomainSpec("east"),
              new FailureDomainSpec("west"),
              new FailureDomainSpec("north"));
      for (int i = 0; i < 20; i++) {
        steps.reconcileAndRecord(g);
        steps.clock.advance(Duration.ofSeconds(1));
      }
      assertThat(perPool(steps, g))
          .containsExactly(Map.entry(pool("DC0_C1"), 2L), Map.entry(pool("DC0_C2"), 2L));
      var degraded = StatusBuilder.find(g.getStatus().getConditions(), StatusBuilder.DEGRADED);
      assertThat(degraded.getReason()).isEqualTo(Problem.Reason.FailureDomainNotFound.name());
      assertThat(degraded.getMessage()).contains("north");

      g.getSpec()
          .getPlacement()
          .setFailureDomains(List.of(new FailureDomainSpec("east"), new FailureDomainSpec("west")));
      g.getSpec().setReplicas(4);
      steps.converge(g, 30);
      assertThat(perPool(steps, g))
          .containsExactly(Map.entry(pool("DC0_C1"), 2L), Map.entry(pool("DC0_C2"), 2L));
    }
  }

  /** The group's rules in a cluster, with their VMs' names. */
  private static List<Set<String>> rules(Steps steps, VmGroup g, String cluster) {
    MoRef ref = steps.vcenter.admin().find("/DC0/host/" + cluster).orElseThrow();
    return steps.vcenter.admin().rules(ref).stream()
        .filter(r -> r.name().equals(RuleKeeper.name(g)))
        .map(
            r ->
                r.vms().stream()
                    .map(vm -> steps.vcenter.admin().vm(vm).map(VmInfo::name).orElse("gone"))
                    .collect(Collectors.toCollection(TreeSet::new)))
        .map(names -> (Set<String>) names)
        .toList();
  }

  private static void passes(Steps steps, VmGroup g, int n) {
    for (int i = 0; i < n; i++) {
      steps.reconcile(g);
      steps.clock.advance(Duration.ofSeconds(1));
    }
  }

  @Test
  void antiAffinityKeepsOneRuleInEachDomainsClusterWithTheVmsThere() {
    try (Steps steps = steps()) {
      VmGroup g = threeDomains("apart", 6);
      g.getSpec().getPlacement().setAntiAffinity(PlacementSpec.AntiAffinity.Preferred);
      steps.converge(g, 30);
      passes(steps, g, 3);
      assertThat(rules(steps, g, "DC0_C0")).containsExactly(Set.of("apart-0", "apart-3"));
      assertThat(rules(steps, g, "DC0_C1")).containsExactly(Set.of("apart-1", "apart-4"));
      assertThat(rules(steps, g, "DC0_C2")).containsExactly(Set.of("apart-2", "apart-5"));

      // one VM left in a cluster keeps nothing apart there: its rule goes
      g.getSpec().setReplicas(4);
      steps.converge(g, 30);
      passes(steps, g, 3);
      assertThat(rules(steps, g, "DC0_C0")).containsExactly(Set.of("apart-0", "apart-3"));
      assertThat(rules(steps, g, "DC0_C1")).isEmpty();
      assertThat(rules(steps, g, "DC0_C2")).isEmpty();

      g.getSpec().setReplicas(6);
      steps.converge(g, 30);
      passes(steps, g, 3);
      assertThat(rules(steps, g, "DC0_C1")).containsExactly(Set.of("apart-1", "apart-4"));

      steps.delete(g, 30);
      for (String cluster : List.of("DC0_C0", "DC0_C1", "DC0_C2")) {
        assertThat(rules(steps, g, cluster)).as(cluster).isEmpty();
      }
    }
  }
}
