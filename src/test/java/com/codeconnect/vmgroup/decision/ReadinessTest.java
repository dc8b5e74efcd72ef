package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.GuestInfoCheck;
import com.codeconnect.vmgroup.api.v1alpha1.ReadinessSpec;
import com.codeconnect.vmgroup.vsphere.GuestState;
import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.ToolsStatus;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness of one VM in each mode, from what vCenter and the guest report. */
class ReadinessTest {
  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  static final ReplicaPlan.Desired DESIRED = new ReplicaPlan.Desired("g", 1, 2, 2048, true);

  static VmInfo vm(PowerState power, int cpu, GuestState guest) {
    return new VmInfo(
            new MoRef("VirtualMachine", "vm-1"),
            "g-0",
            null,
            power,
            cpu,
            2048,
            false,
            "uuid-1",
            guest.ipAddresses().isEmpty() ? null : guest.ipAddresses().get(0),
            Map.of(),
            false,
            false,
            null)
        .withGuest(guest);
  }

  static Readiness.Verdict judge(ReadinessSpec spec, VmInfo vm, List<String> assigned) {
    return Readiness.evaluate(spec, Readiness.Facts.of(vm, DESIRED), assigned, null, T0);
  }

  static GuestState guest(
      ToolsStatus tools, Heartbeat hb, List<String> ips, Map<String, String> info) {
    return new GuestState(tools, hb, ips, info);
  }

  static final GuestState HEALTHY =
      guest(ToolsStatus.RUNNING, Heartbeat.GREEN, List.of("10.0.0.5"), Map.of());

  @Test
  void powerOnIsReadyWhenRunningAtTheSpecsSize() {
    assertThat(judge(null, vm(PowerState.POWERED_ON, 2, GuestState.NONE), List.of()).ready())
        .isTrue();
    Readiness.Verdict resizing =
        judge(null, vm(PowerState.POWERED_ON, 1, GuestState.NONE), List.of());
    assertThat(resizing.ready()).isFalse();
    assertThat(resizing.resizing()).isTrue();
    assertThat(judge(null, vm(PowerState.POWERED_OFF, 2, HEALTHY), List.of()).reason())
        .isEqualTo("PoweredOff");
  }

  @Test
  void guestHeartbeatNeedsToolsAndAGreenHeartbeat() {
    ReadinessSpec spec = new ReadinessSpec(ReadinessSpec.Mode.guestHeartbeat);
    assertThat(judge(spec, vm(PowerState.POWERED_ON, 2, HEALTHY), List.of()).reason())
        .isEqualTo("HeartbeatGreen");
    assertThat(
            judge(
                    spec,
                    vm(
                        PowerState.POWERED_ON,
                        2,
                        guest(ToolsStatus.RUNNING, Heartbeat.RED, List.of(), Map.of())),
                    List.of())
                .reason())
        .isEqualTo("HeartbeatRed");
    assertThat(judge(spec, vm(PowerState.POWERED_ON, 2, GuestState.NONE), List.of()).reason())
        .isEqualTo("ToolsNotRunning");
  }

  @Test
  void ipAddressNeedsTheAssignedAddressWhenThereIsOne() {
    ReadinessSpec spec = new ReadinessSpec(ReadinessSpec.Mode.ipAddress);
    VmInfo running = vm(PowerState.POWERED_ON, 2, HEALTHY);
    assertThat(judge(spec, running, List.of()).reason()).isEqualTo("AddressReported");
    assertThat(judge(spec, running, List.of("10.0.0.5")).ready()).isTrue();
    assertThat(judge(spec, running, List.of("10.0.0.9")).reason()).isEqualTo("WrongAddress");
    VmInfo linkLocal =
        vm(
            PowerState.POWERED_ON,
            2,
            guest(ToolsStatus.RUNNING, Heartbeat.GREEN, List.of("169.254.3.3"), Map.of()));
    assertThat(judge(spec, linkLocal, List.of()).reason()).isEqualTo("NoAddress");
  }

  @Test
  void guestInfoNeedsTheKeyAtItsValue() {
    ReadinessSpec spec = new ReadinessSpec(ReadinessSpec.Mode.guestInfo);
    GuestInfoCheck check = new GuestInfoCheck();
    check.setKey("guestinfo.vmgroup.ready");
    spec.setGuestInfo(check);
    VmInfo set =
        vm(
            PowerState.POWERED_ON,
            2,
            guest(
                ToolsStatus.RUNNING,
                Heartbeat.GREEN,
                List.of(),
                Map.of("guestinfo.vmgroup.ready", "true")));
    VmInfo other =
        vm(
            PowerState.POWERED_ON,
            2,
            guest(
                ToolsStatus.RUNNING,
                Heartbeat.GREEN,
                List.of(),
                Map.of("guestinfo.vmgroup.ready", "no")));
    assertThat(judge(spec, set, List.of()).reason()).isEqualTo("GuestInfoSet");
    assertThat(judge(spec, other, List.of()).reason()).isEqualTo("GuestInfoOtherValue");
    assertThat(judge(spec, vm(PowerState.POWERED_ON, 2, HEALTHY), List.of()).reason())
        .isEqualTo("GuestInfoNotSet");
  }

  @Test
  void tcpIsReadyOnlyWithARecentConnectedProbeOfTheVmsAddress() {
    ReadinessSpec spec = new ReadinessSpec(ReadinessSpec.Mode.tcp);
    spec.setTcp(new com.codeconnect.vmgroup.api.v1alpha1.TcpCheck());
    spec.getTcp().setPort(22);
    VmInfo running = vm(PowerState.POWERED_ON, 2, HEALTHY);
    Readiness.Facts facts = Readiness.Facts.of(running, DESIRED);
    Readiness.Verdict unprobed = Readiness.evaluate(spec, facts, List.of(), null, T0);
    assertThat(unprobed.reason()).isEqualTo("TcpNotProbed");
    assertThat(Readiness.probeDue(spec, facts, List.of(), T0)).isTrue();
    Readiness.Facts probed =
        facts.withProbe(new Readiness.Probe("10.0.0.5", Readiness.Outcome.CONNECTED, T0));
    assertThat(Readiness.evaluate(spec, probed, List.of(), unprobed, T0.plusSeconds(1)).ready())
        .isTrue();
    assertThat(Readiness.probeDue(spec, probed, List.of(), T0.plusSeconds(1))).isFalse();
    // a result three periods old no longer counts
    assertThat(Readiness.evaluate(spec, probed, List.of(), unprobed, T0.plusSeconds(31)).ready())
        .isFalse();
  }

  @Test
  void theInitialDelayHoldsReadinessBackAndSinceCountsFromTheChange() {
    ReadinessSpec spec = new ReadinessSpec(ReadinessSpec.Mode.guestHeartbeat);
    spec.setInitialDelaySeconds(30);
    VmInfo running = vm(PowerState.POWERED_ON, 2, HEALTHY);
    Readiness.Facts facts = Readiness.Facts.of(running, DESIRED);
    Readiness.Verdict first = Readiness.evaluate(spec, facts, List.of(), null, T0);
    assertThat(first.reason()).isEqualTo(Readiness.INITIAL_DELAY);
    assertThat(first.recheckAt()).isEqualTo(T0.plusSeconds(30));
    Readiness.Verdict later = Readiness.evaluate(spec, facts, List.of(), first, T0.plusSeconds(30));
    assertThat(later.ready()).isTrue();
    assertThat(later.since()).isEqualTo(T0.plusSeconds(30));
    assertThat(later.firstReady()).isEqualTo(T0.plusSeconds(30));
    // unknown keeps the last verdict and its since: an outage is neither ready nor unhealthy
    Readiness.Verdict unknown =
        Readiness.evaluate(spec, null, List.of(), later, T0.plusSeconds(90));
    assertThat(unknown.known()).isFalse();
    assertThat(unknown.ready()).isTrue();
    assertThat(unknown.since()).isEqualTo(T0.plusSeconds(30));
  }

  @Test
  void availabilityWaitsForMinReadySecondsAndTheDeadlineStopsARollout() {
    ReadinessSpec spec = new ReadinessSpec(ReadinessSpec.Mode.guestHeartbeat);
    Readiness.Verdict ready = new Readiness.Verdict(true, true, "HeartbeatGreen", T0, T0, T0, null);
    assertThat(PlanContext.available(ready, 20, T0.plusSeconds(19))).isFalse();
    assertThat(PlanContext.available(ready, 20, T0.plusSeconds(20))).isTrue();
    assertThat(PlanContext.nextAvailable(Map.of("g-0", ready), 20, T0))
        .isEqualTo(T0.plusSeconds(20));
    assertThat(PlanContext.availability(null, 0, Map.of(), T0))
        .isSameAs(PlanContext.NONE.available());
    assertThat(
            PlanContext.availability(spec, 0, Map.of(), T0)
                .test(vm(PowerState.POWERED_ON, 2, HEALTHY)))
        .as("no verdict: not available")
        .isFalse();

    RolloutProgress.Mark mark =
        RolloutProgress.next(null, "rev2", new RolloutProgress.Counts(3, 0, 3), T0);
    assertThat(RolloutProgress.exceeded(mark, 60, T0.plusSeconds(59))).isFalse();
    RolloutProgress.Mark progressed =
        RolloutProgress.next(mark, "rev2", new RolloutProgress.Counts(3, 1, 2), T0.plusSeconds(50));
    assertThat(progressed.lastProgress()).isEqualTo(T0.plusSeconds(50));
    RolloutProgress.Mark stalled =
        RolloutProgress.next(
            progressed, "rev2", new RolloutProgress.Counts(3, 1, 2), T0.plusSeconds(100));
    assertThat(RolloutProgress.exceeded(stalled, 60, T0.plusSeconds(109))).isFalse();
    assertThat(RolloutProgress.exceeded(stalled, 60, T0.plusSeconds(110))).isTrue();
    assertThat(RolloutProgress.next(stalled, "rev2", new RolloutProgress.Counts(3, 3, 0), T0))
        .isNull();
    assertThat(
            RolloutProgress.next(
                    stalled, "rev3", new RolloutProgress.Counts(3, 0, 3), T0.plusSeconds(200))
                .lastProgress())
        .isEqualTo(T0.plusSeconds(200));
  }
}
