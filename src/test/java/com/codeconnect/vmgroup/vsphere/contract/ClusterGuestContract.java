package com.codeconnect.vmgroup.vsphere.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.demo.GuestEdit;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.ComputeResourceInfo;
import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Kind;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Op;
import com.codeconnect.vmgroup.vsphere.RuleChange;
import com.codeconnect.vmgroup.vsphere.VmRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Clusters, DRS rules and what the guest reports: the part of the contract anti-affinity and
 * readiness stand on (see {@link VsphereClientContract}). The simulator may be shared between
 * tests, and its cluster with it, so each test names its rules after itself and looks only at
 * those.
 */
abstract class ClusterGuestContract extends ChangeFeedContract {

  private MoRef cluster() {
    return client.findByInventoryPath("/DC0/host/DC0_C0").orElseThrow();
  }

  @Test
  void aClusterWithDrsIsWhereAntiAffinityApplies() {
    MoRef cluster = cluster();
    ComputeResourceInfo info = client.computeResource(cluster);
    assertThat(info.ref()).isEqualTo(cluster);
    assertThat(info.name()).isEqualTo("DC0_C0");
    assertThat(info.kind()).isEqualTo(ComputeResourceInfo.Kind.CLUSTER);
    assertThat(info.drsEnabled()).isTrue();
    assertThat(info.hostCount()).isEqualTo(3);
    assertThat(info.rootPool()).isEqualTo(pool);
    assertThat(info.antiAffinityApplies()).isTrue();
  }

  @Test
  void aStandaloneHostHasNoDrsAndNoRules() {
    MoRef host = client.findByInventoryPath("/DC0/host/DC0_H0").orElseThrow();
    ComputeResourceInfo info = client.computeResource(host);
    assertThat(info.kind()).isEqualTo(ComputeResourceInfo.Kind.STANDALONE_HOST);
    assertThat(info.name()).isEqualTo("DC0_H0");
    assertThat(info.drsEnabled()).isFalse();
    assertThat(info.hostCount()).isEqualTo(1);
    assertThat(info.rootPool())
        .isEqualTo(client.findByInventoryPath("/DC0/host/DC0_H0/Resources").orElseThrow());
    assertThat(info.rules()).isEmpty();
    assertThat(info.antiAffinityApplies()).isFalse();
  }

  @Test
  void aResourcePoolBelongsToItsClusterOrHost() {
    assertThat(client.computeResourceOf(pool).ref()).isEqualTo(cluster());
    assertThat(client.computeResourceOf(pool).kind()).isEqualTo(ComputeResourceInfo.Kind.CLUSTER);
    MoRef hostPool = client.findByInventoryPath("/DC0/host/DC0_H0/Resources").orElseThrow();
    ComputeResourceInfo host = client.computeResourceOf(hostPool);
    assertThat(host.ref()).isEqualTo(client.findByInventoryPath("/DC0/host/DC0_H0").orElseThrow());
    assertThat(host.antiAffinityApplies()).isFalse();
  }

  @Test
  void rulesAreAddedEditedAndRemovedByKeyLeavingOthersAlone() {
    MoRef cluster = cluster();
    MoRef a = clone(folder, "a", Map.of());
    MoRef b = clone(folder, "b", Map.of());
    MoRef c = clone(folder, "c", Map.of());
    String mine = "contract-rules-mine";
    String other = "contract-rules-other";

    succeed(
        client.reconfigureRules(
            cluster,
            List.of(
                new RuleChange.Add(mine, true, false, List.of(a, b)),
                new RuleChange.Add(other, true, true, List.of(b, c)))));
    VmRule added = rule(cluster, mine).orElseThrow();
    VmRule untouched = rule(cluster, other).orElseThrow();
    assertThat(added.kind()).isEqualTo(VmRule.Kind.ANTI_AFFINITY);
    assertThat(added.enabled()).isTrue();
    assertThat(added.mandatory()).isFalse();
    assertThat(added.vms()).containsExactlyInAnyOrder(a, b);
    assertThat(untouched.mandatory()).isTrue();
    assertThat(added.key()).isNotEqualTo(untouched.key());

    // the simulator finds an edited rule by name, so the edit keeps it
    succeed(
        client.reconfigureRules(
            cluster, List.of(new RuleChange.Edit(added.key(), mine, true, true, List.of(a, c)))));
    VmRule edited = rule(cluster, mine).orElseThrow();
    assertThat(edited.key()).isEqualTo(added.key());
    assertThat(edited.vms()).containsExactlyInAnyOrder(a, c);
    assertThat(edited.mandatory()).isTrue();
    assertThat(rule(cluster, other)).contains(untouched);

    succeed(client.reconfigureRules(cluster, List.of(new RuleChange.Remove(added.key()))));
    assertThat(rule(cluster, mine)).isEmpty();
    assertThat(rule(cluster, other)).contains(untouched);

    succeed(client.reconfigureRules(cluster, List.of(new RuleChange.Remove(untouched.key()))));
    assertThat(rule(cluster, other)).isEmpty();
  }

  private Optional<VmRule> rule(MoRef cluster, String name) {
    return client.computeResource(cluster).rules().stream()
        .filter(r -> r.name().equals(name))
        .findFirst();
  }

  @Test
  void aWatchedClusterArrivesWithItsRulesAndAgainWhenOneChanges() {
    MoRef cluster = cluster();
    MoRef a = clone(folder, "a", Map.of());
    MoRef b = clone(folder, "b", Map.of());
    String name = "contract-feed-rule";
    succeed(
        client.reconfigureRules(
            cluster, List.of(new RuleChange.Add(name, true, false, List.of(a)))));
    int key = rule(cluster, name).orElseThrow().key();
    try (ChangeFeed feed = client.changeFeed(folder)) {
      FeedView view = new FeedView(feed);
      view.first();
      feed.watchClusters(List.of(cluster));
      view.until("cluster entered", v -> ruleIn(v, cluster, name).isPresent());
      assertThat(view.changesOf(cluster))
          .first()
          .satisfies(
              c -> {
                assertThat(c.kind()).isEqualTo(Kind.CLUSTER);
                assertThat(c.op()).isEqualTo(Op.ENTER);
                assertThat(c.values()).containsEntry("name", "DC0_C0");
                assertThat(c.values()).containsEntry("drsEnabled", true);
              });
      assertThat(ruleIn(view, cluster, name).orElseThrow().vms()).containsExactly(a);
      int seen = view.changesOf(cluster).size();

      succeed(
          client.reconfigureRules(
              cluster, List.of(new RuleChange.Edit(key, name, true, false, List.of(a, b)))));
      view.until(
          "rule edited", v -> ruleIn(v, cluster, name).map(r -> r.vms().size() == 2).orElse(false));
      assertThat(view.changesOf(cluster).subList(seen, view.changesOf(cluster).size()))
          .allSatisfy(
              c -> {
                assertThat(c.kind()).isEqualTo(Kind.CLUSTER);
                assertThat(c.op()).isEqualTo(Op.MODIFY);
                assertThat(c.values()).containsKeys("drsEnabled", "rules");
              });
      assertThat(ruleIn(view, cluster, name).orElseThrow().vms()).containsExactlyInAnyOrder(a, b);
      feed.unwatchClusters(List.of(cluster));
    } finally {
      succeed(client.reconfigureRules(cluster, List.of(new RuleChange.Remove(key))));
    }
  }

  @SuppressWarnings("unchecked")
  private static Optional<VmRule> ruleIn(FeedView view, MoRef cluster, String name) {
    Object rules = view.value(cluster, "rules");
    if (rules == null) {
      return Optional.empty();
    }
    return ((List<VmRule>) rules).stream().filter(r -> r.name().equals(name)).findFirst();
  }

  @Test
  void whatTheGuestReportsArrivesAsAVmChange() {
    MoRef vm = clone(folder, "web-0", Map.of("vmgroup.owner", "ns/web"));
    try (ChangeFeed feed = client.changeFeed(folder)) {
      FeedView view = new FeedView(feed);
      view.first();
      // unset reads as gray, as the inventory cache folds it: govmomi's simulator leaves
      // guestHeartbeatStatus unset where vCenter reports gray
      assertThat(view.value(vm, "heartbeat")).isIn(null, Heartbeat.GRAY);
      assertThat(vm(vm).guest().heartbeat()).isEqualTo(Heartbeat.GRAY);

      subject.editGuest(vm, GuestEdit.of().heartbeat(Heartbeat.RED));
      view.until("heartbeat red", v -> v.value(vm, "heartbeat") == Heartbeat.RED);

      subject.editGuest(vm, GuestEdit.of().guestInfo("guestinfo.vmgroup.ready", "true"));
      view.until(
          "ready key",
          v -> Map.of("guestinfo.vmgroup.ready", "true").equals(v.value(vm, "guestInfo")));
      // the guest's key is no marker of the operator's
      assertThat(view.values(vm)).containsEntry("extraConfig", Map.of("vmgroup.owner", "ns/web"));
      assertThat(view.changesOf(vm))
          .filteredOn(c -> c.op() == Op.MODIFY)
          .extracting(ObjectChange::kind)
          .containsOnly(Kind.VM);
      assertThat(vm(vm).guest().heartbeat()).isEqualTo(Heartbeat.RED);
      assertThat(vm(vm).guest().guestInfo()).isEqualTo(Map.of("guestinfo.vmgroup.ready", "true"));
    }
  }
}
