package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.GuestInfoCheck;
import com.codeconnect.vmgroup.api.v1alpha1.HealthCheckSpec;
import com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec;
import com.codeconnect.vmgroup.api.v1alpha1.ReadinessSpec;
import com.codeconnect.vmgroup.api.v1alpha1.RollingUpdate;
import com.codeconnect.vmgroup.api.v1alpha1.UpdateStrategy;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.decision.AntiAffinity;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.demo.GuestEdit;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.demo.VcsimBuilder;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.testing.Wait;
import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.RuleChange;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VmRule;
import com.codeconnect.vmgroup.vsphere.soap.SoapVsphereClient;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Readiness from the guest, healing with its brake, a rollout that stops at its deadline and the
 * anti-affinity rule that follows the group, on the simulator: guests report Tools, a heartbeat and
 * an address a second after power-on, and the test turns them unhealthy through the launcher's
 * control endpoint. What vCenter has (VMs, their instance UUIDs, the cluster's DRS rules) is read
 * through the test's own session.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HealthSuite extends OperatorFixture {
  static final String NEW_TEMPLATE = "ubuntu-24";
  static final String CLUSTER = "/DC0/host/DC0_C0";
  static final String READY_KEY = "guestinfo.vmgroup.ready";

  @Override
  protected VcsimBuilder simulator() {
    return Vcsim.builder()
        .templates(String.join(",", TEMPLATE, NEW_TEMPLATE))
        .guestDelay(Duration.ofSeconds(1))
        .cloneDelay(Duration.ofMillis(200))
        .powerDelay(Duration.ofMillis(100));
  }

  @Test
  void aVmWhoseHeartbeatTurnsRedIsReplacedAfterUnhealthyAfterOnce() {
    create("sick", 3, TEMPLATE, s -> healing(s, "1"));
    awaitReady("sick", 3);
    Map<String, MoRef> before = refs("sick");
    VmInfo victim = vm("sick", "sick-1");

    long redAt = System.nanoTime();
    sim.setGuest(victim.ref().value(), GuestEdit.of().heartbeat(Heartbeat.RED));
    eventually(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(refs("sick").get("sick-1")).isNotEqualTo(before.get("sick-1")));
    long replacedAfter = Duration.ofNanos(System.nanoTime() - redAt).toSeconds();
    assertThat(replacedAfter).as("not before unhealthyAfter (10s)").isGreaterThanOrEqualTo(10);
    awaitReady("sick", 3);
    Map<String, MoRef> after = refs("sick");
    assertThat(after).containsOnlyKeys("sick-0", "sick-1", "sick-2");
    assertThat(after.get("sick-0")).isEqualTo(before.get("sick-0"));
    assertThat(after.get("sick-2")).isEqualTo(before.get("sick-2"));
    // once: the new VM is healthy, so a stretch past unhealthyAfter replaces nothing more
    Wait.quietPeriod(Duration.ofSeconds(12));
    assertThat(refs("sick")).isEqualTo(after);
  }

  @Test
  void halfTheGroupUnhealthyWithMaxUnhealthyThirtyPercentReplacesNothingAndSaysWhy() {
    create("brake", 4, TEMPLATE, s -> healing(s, "30%"));
    awaitReady("brake", 4);
    Map<String, MoRef> before = refs("brake");
    for (String name : List.of("brake-0", "brake-3")) {
      sim.setGuest(vm("brake", name).ref().value(), GuestEdit.of().heartbeat(Heartbeat.RED));
    }

    eventually(Duration.ofSeconds(40))
        .untilAsserted(
            () -> {
              Condition degraded = condition(get("brake"), StatusBuilder.DEGRADED);
              assertThat(degraded.getReason()).isEqualTo("TooManyUnhealthy");
              assertThat(degraded.getMessage())
                  .contains("2 of 4 VMs are unhealthy", "brake-0", "brake-3", "HeartbeatRed");
            });
    Wait.quietPeriod(Duration.ofSeconds(5));
    assertThat(refs("brake")).isEqualTo(before);
    assertThat(running("brake")).hasSize(4);
    assertThat(get("brake").getStatus().getReadyReplicas()).isEqualTo(2);
  }

  @Test
  void aRolloutWhoseNewVmsNeverGetReadyStopsWithTheOldVmsRunning() {
    create(
        "stuck",
        3,
        TEMPLATE,
        s -> {
          ReadinessSpec readiness = new ReadinessSpec(ReadinessSpec.Mode.guestInfo);
          GuestInfoCheck check = new GuestInfoCheck();
          check.setKey(READY_KEY);
          readiness.setGuestInfo(check);
          s.setReadiness(readiness);
          s.setProgressDeadlineSeconds(20);
        });
    eventually().untilAsserted(() -> assertThat(running("stuck")).hasSize(3));
    // the old template's guests finish their bootstrap; the new template's never will
    for (VmInfo vm : vmsOf("stuck")) {
      sim.setGuest(vm.ref().value(), GuestEdit.of().guestInfo(READY_KEY, "true"));
    }
    awaitReady("stuck", 3);

    edit("stuck", s -> s.setTemplate(NEW_TEMPLATE));
    eventually(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Condition progressing = condition(get("stuck"), StatusBuilder.PROGRESSING);
              assertThat(progressing.getStatus()).isEqualTo("False");
              assertThat(progressing.getReason()).isEqualTo("ProgressDeadlineExceeded");
            });
    assertThat(condition(get("stuck"), StatusBuilder.DEGRADED).getMessage())
        .contains("2 old VMs kept running", "GuestInfoNotSet");
    Wait.quietPeriod(Duration.ofSeconds(5));
    List<VmInfo> vms = vmsOf("stuck");
    assertThat(vms).hasSize(3);
    assertThat(vms.stream().filter(vm -> UpdatesSuite.fromTemplate(vm, TEMPLATE)))
        .as("maxUnavailable 1: two old VMs still serve")
        .hasSize(2)
        .allMatch(vm -> vm.powerState() == PowerState.POWERED_ON);
  }

  @Test
  void theDrsRuleHoldsExactlyTheGroupsVmsThroughScaleRolloutAndReplacementAndGoesWithIt() {
    create(
        "apart",
        2,
        TEMPLATE,
        s -> {
          healing(s, "1");
          s.setPlacement(antiAffinity(PlacementSpec.AntiAffinity.Required));
          s.setUpdateStrategy(
              new UpdateStrategy(null, new RollingUpdate(new IntOrString(1), new IntOrString(1))));
        });
    awaitRule("apart", true);

    scale("apart", 3);
    awaitRule("apart", true);
    scale("apart", 2);
    awaitRule("apart", true);

    edit("apart", s -> s.setTemplate(NEW_TEMPLATE));
    eventually(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(vmsOf("apart"))
                    .hasSize(2)
                    .allMatch(vm -> UpdatesSuite.fromTemplate(vm, NEW_TEMPLATE)));
    VmRule rolled = awaitRule("apart", true);
    awaitReady("apart", 2);

    VmInfo victim = vmsOf("apart").get(0);
    sim.setGuest(victim.ref().value(), GuestEdit.of().heartbeat(Heartbeat.RED));
    eventually(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(vmsOf("apart"))
                    .hasSize(2)
                    .extracting(VmInfo::ref)
                    .doesNotContain(victim.ref()));
    VmRule healed = awaitRule("apart", true);
    assertThat(healed.vms()).doesNotContain(victim.ref());
    assertThat(healed.mandatory()).isTrue();

    // an administrator deletes the rule: it comes back
    observer.reconfigureRules(cluster(), List.of(new RuleChange.Remove(healed.key())));
    eventually().untilAsserted(() -> assertThat(rules("apart")).isEmpty());
    awaitRule("apart", true);
    assertThat(rolled.name()).isEqualTo(healed.name());

    int othersBefore = otherRules("apart").size();
    groups.delete("apart");
    eventually(Duration.ofSeconds(60)).until(() -> groups.get("apart") == null);
    assertThat(rules("apart")).isEmpty();
    assertThat(otherRules("apart")).hasSize(othersBefore);
  }

  @Test
  void aRuleOfTheGroupsNameThatIsNotTheGroupsIsNeverTouched() {
    VmGroup made =
        create(
            "copied",
            2,
            TEMPLATE,
            s -> s.setPlacement(antiAffinity(PlacementSpec.AntiAffinity.Preferred)));
    eventually().untilAsserted(() -> assertThat(running("copied")).hasSize(2));
    String name = AntiAffinity.ruleName(namespace, "copied", made.getMetadata().getUid());
    // someone's rule of the same name over VMs that aren't the group's, made before the operator's
    MoRef stranger = allVms().stream().filter(vm -> !Folders.owned(vm)).findFirst().get().ref();
    eventually().untilAsserted(() -> assertThat(rules("copied")).hasSize(1));
    observer.reconfigureRules(
        cluster(), List.of(new RuleChange.Remove(rules("copied").get(0).key())));
    observer.reconfigureRules(
        cluster(), List.of(new RuleChange.Add(name, true, false, List.of(stranger))));

    eventually()
        .untilAsserted(
            () ->
                assertThat(condition(get("copied"), StatusBuilder.DEGRADED).getReason())
                    .isEqualTo("AntiAffinityNotApplicable"));
    Wait.quietPeriod(Duration.ofSeconds(3));
    assertThat(rules("copied")).hasSize(1).allMatch(r -> r.vms().equals(List.of(stranger)));
    groups.delete("copied");
    eventually(Duration.ofSeconds(60)).until(() -> groups.get("copied") == null);
    assertThat(rules("copied")).hasSize(1).allMatch(r -> r.vms().equals(List.of(stranger)));
  }

  // Last: the other groups of the class are left in states of their own (a held brake, a stopped
  // rollout), and those must cost vCenter no call either.
  @Test
  @Order(Integer.MAX_VALUE)
  void aHealthyGroupWithReadinessHealingAndAntiAffinityCostsNoVcenterCallsInSync() {
    create(
        "calm",
        2,
        TEMPLATE,
        s -> {
          healing(s, "1");
          s.setPlacement(antiAffinity(PlacementSpec.AntiAffinity.Preferred));
        });
    awaitReady("calm", 2);
    awaitRule("calm", false);
    eventually().until(operator::inventorySynced);
    // the window must not begin with the tail of the group's creation
    Wait.quietPeriod(Duration.ofSeconds(3));

    SoapVsphereClient soap = (SoapVsphereClient) operatorClient;
    long before = soap.callCount() - soap.callCount("WaitForUpdatesEx");
    long reconciles = operator.reconcileCount();
    Wait.quietPeriod(Duration.ofSeconds(8));
    long calls = soap.callCount() - soap.callCount("WaitForUpdatesEx") - before;
    assertThat(operator.reconcileCount() - reconciles).as("resyncs ran").isGreaterThan(2);
    assertThat(calls).as("vCenter calls other than WaitForUpdatesEx").isZero();
    assertThat(condition(get("brake"), StatusBuilder.DEGRADED).getReason())
        .isEqualTo("TooManyUnhealthy");
    assertThat(condition(get("stuck"), StatusBuilder.PROGRESSING).getReason())
        .isEqualTo("ProgressDeadlineExceeded");
  }

  // ---------------------------------------------------------------- helpers

  private VmGroup create(
      String name, int replicas, String template, Consumer<VmGroupSpec> options) {
    VmGroupSpec spec = new VmGroupSpec(1, 1, replicas, template);
    options.accept(spec);
    return groups.create(name, spec);
  }

  /** Readiness by heartbeat; replaced after 10 s not ready, with this brake. */
  private static void healing(VmGroupSpec s, String maxUnhealthy) {
    s.setReadiness(new ReadinessSpec(ReadinessSpec.Mode.guestHeartbeat));
    s.setHealthCheck(
        new HealthCheckSpec(
            "10s",
            "60s",
            maxUnhealthy.endsWith("%")
                ? new IntOrString(maxUnhealthy)
                : new IntOrString(Integer.parseInt(maxUnhealthy))));
  }

  private static PlacementSpec antiAffinity(PlacementSpec.AntiAffinity policy) {
    PlacementSpec p = new PlacementSpec();
    p.setAntiAffinity(policy);
    return p;
  }

  /** Every VM of the group running in vCenter with a green heartbeat, and the status agrees. */
  private void awaitReady(String group, int replicas) {
    eventually(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(running(group)).hasSize(replicas);
              assertThat(get(group).getStatus().getReadyReplicas()).isEqualTo(replicas);
            });
  }

  /**
   * Each VM's managed object reference by name: a replaced VM has a new one (the simulator may give
   * it the old instance UUID, which it derives from the VM's path).
   */
  private Map<String, MoRef> refs(String group) {
    return vmsOf(group).stream().collect(Collectors.toMap(VmInfo::name, VmInfo::ref));
  }

  private List<VmInfo> running(String group) {
    return vmsOf(group).stream()
        .filter(Folders::owned)
        .filter(vm -> vm.powerState() == PowerState.POWERED_ON)
        .toList();
  }

  private VmInfo vm(String group, String name) {
    return vmsOf(group).stream().filter(vm -> vm.name().equals(name)).findFirst().orElseThrow();
  }

  private MoRef cluster() {
    return observer.findByInventoryPath(CLUSTER).orElseThrow();
  }

  private String ruleName(String group) {
    return AntiAffinity.ruleName(namespace, group, get(group).getMetadata().getUid());
  }

  private List<VmRule> rules(String group) {
    String prefix = AntiAffinity.PREFIX + namespace + "-" + group + "-";
    return observer.computeResource(cluster()).rules().stream()
        .filter(r -> r.name().startsWith(prefix))
        .toList();
  }

  private List<VmRule> otherRules(String group) {
    String prefix = AntiAffinity.PREFIX + namespace + "-" + group + "-";
    return observer.computeResource(cluster()).rules().stream()
        .filter(r -> !r.name().startsWith(prefix))
        .toList();
  }

  /** The group's one rule, once its members are exactly the group's VMs in vCenter. */
  private VmRule awaitRule(String group, boolean mandatory) {
    String name = ruleName(group);
    eventually(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              List<VmRule> mine = rules(group);
              assertThat(mine).hasSize(1);
              assertThat(mine.get(0).name()).isEqualTo(name);
              assertThat(mine.get(0).mandatory()).isEqualTo(mandatory);
              assertThat(Set.copyOf(mine.get(0).vms()))
                  .isEqualTo(vmsOf(group).stream().map(VmInfo::ref).collect(Collectors.toSet()));
            });
    return rules(group).get(0);
  }

  private static Condition condition(VmGroup g, String type) {
    return StatusBuilder.find(g.getStatus().getConditions(), type);
  }
}
