package com.codeconnect.vmgroup.demo;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.ComputeResourceInfo;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.GuestCustomization;
import com.codeconnect.vmgroup.vsphere.GuestCustomization.IpSettings;
import com.codeconnect.vmgroup.vsphere.GuestState;
import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.ToolsStatus;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.soap.SoapVsphereClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launcher's guests (-guest-delay, POST /vcsim/guest) and clusters (-clusters, -drs). */
class VcsimGuestsAndClustersIT {
  private static final Duration GUEST_DELAY = Duration.ofMillis(800);
  private static Vcsim vcsim;
  private SoapVsphereClient client;
  private MoRef folder;

  @BeforeAll
  static void startSimulator() {
    vcsim = Vcsim.builder().guestDelay(GUEST_DELAY).clusters(2).clusterHosts(2).start();
  }

  @AfterAll
  static void stopSimulator() {
    vcsim.close();
  }

  @BeforeEach
  void connect() {
    client = connect(vcsim);
    MoRef dc = client.findByInventoryPath("/DC0").orElseThrow();
    folder = client.createFolder(client.datacenter(dc).vmFolder(), "guests-" + System.nanoTime());
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  private static SoapVsphereClient connect(Vcsim sim) {
    return SoapVsphereClient.builder(sim.url())
        .credentials(new Credentials("administrator@vsphere.local", "pw"))
        .keepAlive(Duration.ZERO)
        .build();
  }

  private MoRef clone(String name, GuestCustomization customization) {
    MoRef template = client.findByInventoryPath("/DC0/vm/vm-operator-template").orElseThrow();
    MoRef pool = client.findByInventoryPath("/DC0/host/DC0_C1/Resources").orElseThrow();
    CloneRequest r =
        new CloneRequest(template, folder, pool, null, name, 1, 32, Map.of())
            .withCustomization(customization);
    return succeed(client.cloneVm(r)).result();
  }

  private TaskInfo succeed(TaskRef t) {
    TaskInfo[] last = new TaskInfo[1];
    eventually(Duration.ofSeconds(10), Duration.ofMillis(20))
        .untilAsserted(
            () -> {
              last[0] = client.tasks(List.of(t)).get(0);
              assertThat(last[0].state()).isEqualTo(TaskInfo.State.SUCCESS);
            });
    return last[0];
  }

  private GuestState guest(MoRef vm) {
    return client.vmsInFolder(folder).stream()
        .filter(v -> v.ref().equals(vm))
        .map(VmInfo::guest)
        .findFirst()
        .orElseThrow();
  }

  /** A VM's values folded from a feed until {@code done} holds for them. */
  private static Map<String, Object> follow(
      ChangeFeed feed, MoRef vm, Map<String, Object> state, Map<String, Object> done) {
    eventually(Duration.ofSeconds(10), Duration.ofMillis(1))
        .until(
            () -> {
              ChangeBatch b = feed.next(Duration.ofMillis(500));
              for (ObjectChange c : b.changes()) {
                if (c.ref().equals(vm)) {
                  state.putAll(c.values());
                }
              }
              return done.entrySet().stream()
                  .allMatch(e -> e.getValue().equals(state.get(e.getKey())));
            });
    return state;
  }

  @Test
  void aGuestComesUpAfterTheDelayAndGoesDownWithItsVmInTheFeed() {
    MoRef vm = clone("up-and-down", null);
    try (ChangeFeed feed = client.changeFeed(folder)) {
      Map<String, Object> state = new HashMap<>();
      feed.next(Duration.ofSeconds(10)).changes().stream()
          .filter(c -> c.ref().equals(vm))
          .forEach(c -> state.putAll(c.values()));
      long start = System.nanoTime();
      succeed(client.powerOnVm(vm));
      assertThat(guest(vm).tools()).isEqualTo(ToolsStatus.NOT_RUNNING);
      follow(
          feed,
          vm,
          state,
          Map.of("toolsStatus", ToolsStatus.RUNNING, "heartbeat", Heartbeat.GREEN));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(GUEST_DELAY);
      String ip = (String) state.get("ipAddress");
      assertThat(ip).matches("10\\.\\d+\\.\\d+\\.\\d+");
      assertThat(state.get("ipAddresses")).isEqualTo(List.of(ip));
      assertThat(guest(vm).ipAddresses()).containsExactly(ip);

      succeed(client.powerOffVm(vm));
      follow(
          feed,
          vm,
          state,
          Map.of(
              "toolsStatus", ToolsStatus.NOT_RUNNING,
              "heartbeat", Heartbeat.GRAY,
              "ipAddresses", List.of()));
      assertThat(state.get("ipAddress")).isIn(null, "");

      // the guest keeps its address across a power cycle, as its OS does
      succeed(client.powerOnVm(vm));
      follow(feed, vm, state, Map.of("heartbeat", Heartbeat.GREEN, "ipAddress", ip));
    }
  }

  @Test
  void aCustomizationsFixedAddressIsTheOneTheGuestReports() {
    MoRef vm =
        clone(
            "fixed",
            new GuestCustomization.LinuxPrep(
                "fixed",
                "example.com",
                null,
                List.of(IpSettings.fixed("192.168.7.20", 24, null)),
                List.of(),
                List.of()));
    succeed(client.powerOnVm(vm));
    eventually(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(guest(vm).tools()).isEqualTo(ToolsStatus.RUNNING);
              assertThat(guest(vm).ipAddresses()).containsExactly("192.168.7.20");
            });
  }

  @Test
  void aGuestSetByHandStaysAndAnotherGuestIsUntouched() {
    MoRef vm = clone("by-hand", null);
    MoRef other = clone("other", null);
    vcsim.setGuest(
        vm.value(),
        GuestEdit.of()
            .heartbeat(Heartbeat.YELLOW)
            .tools(ToolsStatus.RUNNING)
            .ipAddresses(List.of("172.16.0.5", "fe80::1"))
            .guestInfo("guestinfo.vmgroup.ready", "true"));
    GuestState g = guest(vm);
    assertThat(g.heartbeat()).isEqualTo(Heartbeat.YELLOW);
    assertThat(g.tools()).isEqualTo(ToolsStatus.RUNNING);
    assertThat(g.ipAddresses()).containsExactly("172.16.0.5", "fe80::1");
    assertThat(g.guestInfo()).isEqualTo(Map.of("guestinfo.vmgroup.ready", "true"));
    assertThat(guest(other)).isEqualTo(GuestState.NONE);

    vcsim.setGuest(
        vm.value(), GuestEdit.of().ipAddresses(List.of()).guestInfo("guestinfo.vmgroup.ready", ""));
    assertThat(guest(vm).ipAddresses()).isEmpty();
    assertThat(guest(vm).guestInfo()).isEmpty();
    assertThat(guest(vm).heartbeat()).isEqualTo(Heartbeat.YELLOW);

    assertThatThrownBy(() -> vcsim.setGuest("vm-999999", GuestEdit.of().heartbeat(Heartbeat.RED)))
        .hasMessageContaining("HTTP 400");
  }

  @Test
  void everyClusterHasItsHostsAndDrs() {
    for (String name : List.of("DC0_C0", "DC0_C1")) {
      ComputeResourceInfo c =
          client.computeResource(client.findByInventoryPath("/DC0/host/" + name).orElseThrow());
      assertThat(c.hostCount()).isEqualTo(2);
      assertThat(c.antiAffinityApplies()).isTrue();
    }
    assertThat(client.findByInventoryPath("/DC0/host/DC0_C2")).isEmpty();
  }

  @Test
  void clustersWithoutDrs() {
    try (Vcsim noDrs = Vcsim.builder().drs(false).templates("").start();
        SoapVsphereClient c = connect(noDrs)) {
      ComputeResourceInfo info =
          c.computeResource(c.findByInventoryPath("/DC0/host/DC0_C0").orElseThrow());
      assertThat(info.kind()).isEqualTo(ComputeResourceInfo.Kind.CLUSTER);
      assertThat(info.drsEnabled()).isFalse();
      assertThat(info.hostCount()).isEqualTo(3);
      assertThat(info.antiAffinityApplies()).isFalse();
    }
  }
}
