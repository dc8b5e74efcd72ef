package com.codeconnect.vmgroup.controller.vmgroup;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.HealthCheckSpec;
import com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec;
import com.codeconnect.vmgroup.api.v1alpha1.ReadinessSpec;
import com.codeconnect.vmgroup.api.v1alpha1.RollingUpdate;
import com.codeconnect.vmgroup.api.v1alpha1.UpdateStrategy;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.testing.Wait;
import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ToolsStatus;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VmRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The group's DRS anti-affinity rule through the reconcile's steps on the in-memory vCenter: its
 * members follow the group's VMs, an administrator's deletion is undone, a rule that isn't the
 * group's is never touched, and it goes with the group. Asserted on the cluster's rules in vCenter,
 * with the cluster read through the change feed and without it.
 */
class AntiAffinityStepsTest {
  private static final String CLUSTER = "/DC0/host/DC0_C0";

  private static VmGroup group(String name, int replicas, PlacementSpec.AntiAffinity policy) {
    VmGroup g = Steps.group(name, replicas);
    PlacementSpec p = new PlacementSpec();
    p.setAntiAffinity(policy);
    g.getSpec().setPlacement(p);
    return g;
  }

  private static Integer readyReplicas(VmGroup g) {
    return g.getStatus() == null ? null : g.getStatus().getReadyReplicas();
  }

  private static MoRef cluster(Steps steps) {
    return steps.vcenter.admin().find(CLUSTER).orElseThrow();
  }

  private static List<VmRule> rulesNamed(Steps steps, String name) {
    return steps.vcenter.admin().rules(cluster(steps)).stream()
        .filter(r -> r.name().equals(name))
        .toList();
  }

  private static Set<MoRef> vmRefs(Steps steps, VmGroup g) {
    return steps.vms(g).stream().map(VmInfo::ref).collect(Collectors.toSet());
  }

  /**
   * Passes a second apart until the group's rule holds exactly its VMs. The change feed delivers in
   * real time, so the passes wait for it, a few milliseconds apart.
   */
  private static VmRule settle(Steps steps, VmGroup g) {
    String name = RuleKeeper.name(g);
    Wait.fast(Duration.ofSeconds(10))
        .alias("rule " + name + " holding exactly the group's VMs")
        .until(
            () -> {
              steps.reconcile(g);
              steps.clock.advance(Duration.ofSeconds(1));
              List<VmRule> rules = rulesNamed(steps, name);
              return rules.size() == 1
                  && Set.copyOf(rules.get(0).vms()).equals(vmRefs(steps, g))
                  && steps.ep.tracker().inFlight(g.getMetadata().getUid()).isEmpty();
            });
    return rulesNamed(steps, name).get(0);
  }

  @ParameterizedTest(name = "change feed {0}")
  @ValueSource(booleans = {false, true})
  void theRuleFollowsScaleAndComesBackAfterAnAdministratorDeletesIt(boolean feed) {
    try (Steps steps = new Steps(feed, 8)) {
      VmGroup g = group("spread", 3, PlacementSpec.AntiAffinity.Required);
      steps.converge(g, 30);
      VmRule rule = settle(steps, g);
      assertThat(rule.mandatory()).isTrue();
      assertThat(rule.enabled()).isTrue();
      assertThat(rule.kind()).isEqualTo(VmRule.Kind.ANTI_AFFINITY);
      assertThat(rule.vms()).hasSize(3);

      long calls = steps.vcenter.callCount("reconfigureRules");
      g.getSpec().setReplicas(2);
      steps.converge(g, 30);
      assertThat(settle(steps, g).vms()).hasSize(2);
      assertThat(steps.vcenter.callCount("reconfigureRules") - calls)
          .as("one call for one change of membership")
          .isEqualTo(1);
      for (int i = 0; i < 10; i++) {
        steps.reconcile(g);
        steps.clock.advance(Duration.ofSeconds(1));
      }
      assertThat(steps.vcenter.callCount("reconfigureRules") - calls)
          .as("none while the rule holds")
          .isEqualTo(1);

      g.getSpec().getPlacement().setAntiAffinity(PlacementSpec.AntiAffinity.Preferred);
      g.getSpec().setReplicas(3);
      steps.converge(g, 30);
      VmRule preferred = settle(steps, g);
      assertThat(preferred.vms()).hasSize(3);
      assertThat(preferred.mandatory()).isFalse();

      steps.vcenter.admin().removeRule(cluster(steps), preferred.key());
      assertThat(rulesNamed(steps, RuleKeeper.name(g))).isEmpty();
      // the hold against a second add is past long before an administrator's deletion
      steps.clock.advance(RuleKeeper.CHANGE_HOLD);
      assertThat(settle(steps, g).vms()).hasSize(3);

      g.getSpec().getPlacement().setAntiAffinity(PlacementSpec.AntiAffinity.None);
      for (int i = 0; i < 5; i++) {
        steps.reconcile(g);
        steps.clock.advance(Duration.ofSeconds(1));
      }
      assertThat(rulesNamed(steps, RuleKeeper.name(g))).isEmpty();
    }
  }

  @ParameterizedTest(name = "change feed {0}")
  @ValueSource(booleans = {false, true})
  void theRuleFollowsARolloutWithSurgeAndAReplacement(boolean feed) {
    String newTemplate = "vm-operator-template-2";
    try (Steps steps =
        new Steps(
            feed,
            8,
            b ->
                b.templates("vm-operator-template", newTemplate)
                    .guestReadyAfter(Duration.ofSeconds(2)))) {
      VmGroup g = group("roll", 3, PlacementSpec.AntiAffinity.Preferred);
      g.getSpec().setReadiness(new ReadinessSpec(ReadinessSpec.Mode.guestHeartbeat));
      g.getSpec().setHealthCheck(new HealthCheckSpec("1m", "2m", new IntOrString(1)));
      g.getSpec()
          .setUpdateStrategy(
              new UpdateStrategy(null, new RollingUpdate(new IntOrString(0), new IntOrString(1))));
      steps.converge(g, 30);
      // the guests' heartbeats come through the feed's own thread: passes wait for it
      com.codeconnect.vmgroup.testing.Wait.fast(Duration.ofSeconds(20))
          .alias("3 ready replicas")
          .until(
              () -> {
                steps.reconcileAndRecord(g);
                steps.clock.advance(Duration.ofSeconds(1));
                return Integer.valueOf(3).equals(readyReplicas(g));
              });
      settle(steps, g);

      g.getSpec().setTemplate(newTemplate);
      g.getMetadata().setGeneration(2L);
      int most = 0;
      for (int i = 0; i < 60; i++) {
        steps.reconcileAndRecord(g);
        steps.clock.advance(Duration.ofSeconds(1));
        List<VmRule> now = rulesNamed(steps, RuleKeeper.name(g));
        assertThat(now).as("pass %d: %s", i, steps.events.all()).hasSize(1);
        most = Math.max(most, now.get(0).vms().size());
      }
      // the surge VM was a member while it ran beside the three
      assertThat(most).isEqualTo(4);
      VmRule rolled = settle(steps, g);
      assertThat(rolled.vms()).hasSize(3);

      VmInfo sick = steps.vms(g).get(0);
      steps.vcenter.admin().setGuest(sick.ref(), ToolsStatus.RUNNING, Heartbeat.RED);
      for (int i = 0; i < 120; i++) {
        steps.reconcileAndRecord(g);
        steps.clock.advance(Duration.ofSeconds(1));
      }
      VmRule healed = settle(steps, g);
      assertThat(healed.vms()).hasSize(3).doesNotContain(sick.ref());
      assertThat(healed.key()).isEqualTo(rolled.key());
    }
  }

  @ParameterizedTest(name = "deletionPolicy {0}")
  @ValueSource(strings = {"Delete", "Retain"})
  void theRuleGoesWithTheGroup(String policy) {
    try (Steps steps = new Steps(true, 8)) {
      VmGroup g = group("gone", 2, PlacementSpec.AntiAffinity.Preferred);
      g.getSpec().setDeletionPolicy(VmGroupSpec.DeletionPolicy.valueOf(policy));
      steps.converge(g, 30);
      settle(steps, g);
      int before = steps.vcenter.admin().rules(cluster(steps)).size();

      steps.delete(g, 60);

      assertThat(rulesNamed(steps, RuleKeeper.name(g))).isEmpty();
      assertThat(steps.vcenter.admin().rules(cluster(steps))).hasSize(before - 1);
    }
  }

  @ParameterizedTest(name = "change feed {0}")
  @ValueSource(booleans = {false, true})
  void aRuleOfTheSameNameThatIsNotTheGroupsIsLeftAloneAndReported(boolean feed) {
    try (Steps steps = new Steps(feed, 8)) {
      VmGroup g = group("copy", 2, PlacementSpec.AntiAffinity.Required);
      MoRef stranger = steps.vcenter.admin().find("/DC0/vm/DC0_C0_RP0_VM0").orElseThrow();
      VmRule foreign =
          new VmRule(
              0, RuleKeeper.name(g), true, false, VmRule.Kind.ANTI_AFFINITY, List.of(stranger));
      int key = steps.vcenter.admin().addRule(cluster(steps), foreign);
      steps.converge(g, 30);

      Problem problem = null;
      for (int i = 0; i < 5; i++) {
        problem = steps.reconcile(g).spread();
        steps.clock.advance(Duration.ofSeconds(1));
      }
      assertThat(problem.reason()).isEqualTo(Problem.Reason.AntiAffinityNotApplicable);
      assertThat(problem.message()).contains("not this group's", "left alone");
      // the stranger was asked about once: more looks cost no call for it
      long details = steps.vcenter.callCount("details");
      for (int i = 0; i < 5; i++) {
        steps.reconcile(g);
        steps.clock.advance(Duration.ofSeconds(1));
      }
      assertThat(steps.vcenter.callCount("details")).isEqualTo(details);
      List<VmRule> rules = rulesNamed(steps, RuleKeeper.name(g));
      assertThat(rules).hasSize(1);
      assertThat(rules.get(0).key()).isEqualTo(key);
      assertThat(rules.get(0).vms()).containsExactly(stranger);

      steps.delete(g, 60);
      assertThat(rulesNamed(steps, RuleKeeper.name(g))).hasSize(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"standalone host", "DRS off"})
  void whereDrsCantActTheGroupStillRunsAndSaysSo(String where) {
    try (Steps steps =
        new Steps(false, 8, b -> where.equals("DRS off") ? b.drsDisabled("DC0_C0") : b)) {
      VmGroup g = group("lone", 2, PlacementSpec.AntiAffinity.Preferred);
      if (where.equals("standalone host")) {
        g.getSpec().getPlacement().setResourcePool("DC0_H0");
      }
      steps.converge(g, 30);
      Problem problem = steps.reconcile(g).spread();

      assertThat(steps.running(g)).hasSize(2);
      assertThat(problem.reason()).isEqualTo(Problem.Reason.AntiAffinityNotApplicable);
      assertThat(problem.message()).contains("DRS");
      assertThat(rulesNamed(steps, RuleKeeper.name(g))).isEmpty();
    }
  }
}
