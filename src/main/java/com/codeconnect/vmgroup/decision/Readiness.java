package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.GuestInfoCheck;
import com.codeconnect.vmgroup.api.v1alpha1.ReadinessSpec;
import com.codeconnect.vmgroup.api.v1alpha1.TcpCheck;
import com.codeconnect.vmgroup.api.v1alpha1.VmStatus;
import com.codeconnect.vmgroup.vsphere.GuestState;
import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.ToolsStatus;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Pure: whether one VM is ready by the group's {@code spec.readiness}, from what vCenter and the
 * guest report, and since when.
 *
 * <p>A VM is ready when it runs, its initial delay is over, the mode's check passes and it has the
 * spec's CPU and memory. The checks go in that order, so the reason names the first thing missing,
 * and {@code Resizing} always means "serving, but not at the spec's size yet": rollouts count such
 * a VM as available (see {@link PlanContext}).
 *
 * <p>"Unknown" is not "not ready": when vCenter can't tell (it is unreachable, or the VM's host
 * doesn't respond) the caller passes no facts, and the verdict keeps the last known value and its
 * {@code since}, marked {@link Verdict#known()} false, so an outage neither resets minReadySeconds
 * nor runs a VM towards its healthCheck limit.
 */
public final class Readiness {
  private Readiness() {}

  /** How a TCP connection attempt ended. */
  public enum Outcome {
    CONNECTED,
    REFUSED,
    TIMED_OUT,
    /** No route, or the operator's network refused to try. */
    UNREACHABLE
  }

  /** One TCP probe: the address tried, how it ended and when. */
  public record Probe(String address, Outcome outcome, Instant at) {}

  /**
   * What is known about one VM now.
   *
   * @param sized the VM has the spec's CPU and memory, or under OnDelete is kept at an earlier
   *     spec's ({@link #of} works it out)
   * @param primaryAddress the guest's primary address as Tools reports it, or null
   * @param addresses every address Tools reports, or empty
   * @param guestInfo the guestinfo keys under {@link GuestInfoCheck#KEY_PREFIX} the guest set
   * @param bootTime when the VM last powered on (vCenter's {@code runtime.bootTime}), or null when
   *     unknown: the initial delay then counts from the first evaluation that saw it running
   * @param probe the latest TCP probe of this VM, or null
   */
  public record Facts(
      PowerState power,
      boolean sized,
      ToolsStatus tools,
      Heartbeat heartbeat,
      String primaryAddress,
      List<String> addresses,
      Map<String, String> guestInfo,
      Instant bootTime,
      Probe probe) {

    public Facts {
      tools = tools == null ? ToolsStatus.NOT_RUNNING : tools;
      heartbeat = heartbeat == null ? Heartbeat.GRAY : heartbeat;
      addresses = addresses == null ? List.of() : List.copyOf(addresses);
      guestInfo = guestInfo == null ? Map.of() : Map.copyOf(guestInfo);
    }

    /** A VM's power state and size as the plan judges them, and what its guest reports. */
    public static Facts of(VmInfo vm, ReplicaPlan.Desired desired) {
      boolean sized =
          ReplicaPlan.frozen(vm, desired)
              || (vm.cpu() == desired.cpu() && vm.memoryMiB() == desired.memoryMiB());
      GuestState guest = vm.guest();
      List<String> addresses =
          !guest.ipAddresses().isEmpty()
              ? guest.ipAddresses()
              : vm.ipAddress() == null ? List.of() : List.of(vm.ipAddress());
      return new Facts(
          vm.powerState(),
          sized,
          guest.tools(),
          guest.heartbeat(),
          vm.ipAddress(),
          addresses,
          guest.guestInfo(),
          null,
          null);
    }

    public Facts withProbe(Probe p) {
      return new Facts(
          power, sized, tools, heartbeat, primaryAddress, addresses, guestInfo, bootTime, p);
    }
  }

  /**
   * The answer for one VM.
   *
   * @param known false when vCenter couldn't tell now: {@code ready} and {@code since} are the last
   *     known ones
   * @param since when {@code ready} took its value (for a VM never seen before: now)
   * @param firstReady when this VM was first ready, or null while it never was
   * @param poweredOnSeen when the current power-on began as far as the evaluation knows (boot time,
   *     else its first sight of the VM running), or null while it is off
   * @param recheckAt when the answer may change without any event (an initial delay ends, a probe
   *     is due), or null
   */
  public record Verdict(
      boolean ready,
      boolean known,
      String reason,
      Instant since,
      Instant firstReady,
      Instant poweredOnSeen,
      Instant recheckAt) {

    /** Whether the VM runs and serves, only not at the spec's size yet. */
    public boolean resizing() {
      return known && RESIZING.equals(reason);
    }
  }

  public static final String UNKNOWN = "Unknown";
  public static final String RESIZING = "Resizing";
  public static final String INITIAL_DELAY = "InitialDelay";

  /** A TCP result older than this many periods doesn't count: the prober may have stopped. */
  static final int PROBE_PERIODS_VALID = 3;

  /**
   * The verdict on one VM.
   *
   * @param spec the group's readiness (null: powerOn)
   * @param facts what is known now, or null when vCenter can't tell (unreachable, the VM's host not
   *     responding, its connection state other than connected)
   * @param assigned the static addresses the VM was given (its marker, {@link Ownership#addresses})
   * @param previous the last verdict on this same VM (see {@link #previous}), or null
   */
  public static Verdict evaluate(
      ReadinessSpec spec, Facts facts, List<String> assigned, Verdict previous, Instant now) {
    if (facts == null || facts.power() == PowerState.UNKNOWN) {
      return previous == null
          ? new Verdict(false, false, UNKNOWN, null, null, null, null)
          : new Verdict(
              previous.ready(),
              false,
              UNKNOWN,
              previous.since(),
              previous.firstReady(),
              previous.poweredOnSeen(),
              null);
    }
    ReadinessSpec r = spec == null ? new ReadinessSpec() : spec;
    Instant poweredOn = null;
    Check check;
    if (facts.power() != PowerState.POWERED_ON) {
      check =
          new Check(
              false, facts.power() == PowerState.SUSPENDED ? "Suspended" : "PoweredOff", null);
    } else {
      poweredOn =
          facts.bootTime() != null
              ? facts.bootTime()
              : previous != null && previous.poweredOnSeen() != null
                  ? previous.poweredOnSeen()
                  : now;
      check = running(r, facts, assigned, previous, poweredOn, now);
    }
    boolean sameValue =
        previous != null && previous.since() != null && previous.ready() == check.ready;
    Instant since = sameValue ? previous.since() : now;
    Instant firstReady =
        previous != null && previous.firstReady() != null
            ? previous.firstReady()
            : check.ready ? since : null;
    return new Verdict(
        check.ready, true, check.reason, since, firstReady, poweredOn, check.recheckAt);
  }

  private record Check(boolean ready, String reason, Instant recheckAt) {}

  private static Check running(
      ReadinessSpec spec,
      Facts f,
      List<String> assigned,
      Verdict previous,
      Instant poweredOn,
      Instant now) {
    // A VM that was ready in this power-on (or, after a restart, as far as the status says) is
    // past its delay: a guest reboot doesn't start it again.
    boolean wasReady = previous != null && previous.ready();
    Instant delayEnd = poweredOn.plusSeconds(spec.effectiveInitialDelaySeconds());
    if (!wasReady && now.isBefore(delayEnd)) {
      return new Check(false, INITIAL_DELAY, delayEnd);
    }
    Check mode =
        switch (spec.effectiveMode()) {
          case powerOn -> new Check(true, "PoweredOn", null);
          case guestHeartbeat -> heartbeat(f);
          case ipAddress -> address(f, assigned);
          case guestInfo -> guestInfo(spec.getGuestInfo(), f);
          case tcp -> tcp(spec.getTcp(), f, assigned, poweredOn, now);
        };
    if (mode.ready && !f.sized()) {
      return new Check(false, RESIZING, null);
    }
    return mode;
  }

  private static Check heartbeat(Facts f) {
    // a client that doesn't know Tools' state still knows a green heartbeat comes from Tools
    boolean toolsOk =
        f.tools() == ToolsStatus.RUNNING
            || (f.tools() == ToolsStatus.UNKNOWN && f.heartbeat() == Heartbeat.GREEN);
    if (!toolsOk) {
      return new Check(false, tools(f.tools()), null);
    }
    return switch (f.heartbeat()) {
      case GREEN -> new Check(true, "HeartbeatGreen", null);
      case YELLOW -> new Check(false, "HeartbeatYellow", null);
      case RED -> new Check(false, "HeartbeatRed", null);
      case GRAY -> new Check(false, "HeartbeatGray", null);
    };
  }

  private static String tools(ToolsStatus t) {
    return t == ToolsStatus.EXECUTING_SCRIPTS ? "ToolsStarting" : "ToolsNotRunning";
  }

  private static Check address(Facts f, List<String> assigned) {
    List<String> reported = usable(f);
    if (reported.isEmpty()) {
      return new Check(
          false, f.tools() == ToolsStatus.RUNNING ? "NoAddress" : tools(f.tools()), null);
    }
    for (String a : assigned == null ? List.<String>of() : assigned) {
      if (!reported.contains(a)) {
        return new Check(false, "WrongAddress", null);
      }
    }
    return new Check(true, "AddressReported", null);
  }

  /**
   * The addresses Tools reports that others could use: link-local ones (169.254/16, fe80::/10) come
   * before DHCP or static configuration and say nothing about the network.
   */
  static List<String> usable(Facts f) {
    List<String> out = new ArrayList<>();
    List<String> all = new ArrayList<>(f.addresses());
    if (f.primaryAddress() != null && !all.contains(f.primaryAddress())) {
      all.add(0, f.primaryAddress());
    }
    for (String a : all) {
      String lower = a.toLowerCase(java.util.Locale.ROOT);
      if (!a.isBlank()
          && !lower.startsWith("169.254.")
          && !lower.matches("fe[89ab][0-9a-f]:.*")
          && !out.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }

  private static Check guestInfo(GuestInfoCheck check, Facts f) {
    if (check == null) {
      // the validator refuses the spec before any evaluation; nothing to pass
      return new Check(false, "GuestInfoNotSet", null);
    }
    String value = f.guestInfo().get(check.getKey());
    if (value == null) {
      return new Check(false, "GuestInfoNotSet", null);
    }
    return check.effectiveValue().equals(value)
        ? new Check(true, "GuestInfoSet", null)
        : new Check(false, "GuestInfoOtherValue", null);
  }

  private static Check tcp(
      TcpCheck check, Facts f, List<String> assigned, Instant poweredOn, Instant now) {
    String target = probeAddress(f, assigned);
    if (target == null) {
      return new Check(false, "NoAddress", null);
    }
    Probe p = f.probe();
    Duration period = Duration.ofSeconds(check == null ? 10 : check.effectivePeriodSeconds());
    boolean current =
        p != null
            && target.equals(p.address())
            && !p.at().isBefore(poweredOn)
            && now.isBefore(p.at().plus(period.multipliedBy(PROBE_PERIODS_VALID)));
    if (!current) {
      // the probe runs beside the reconcile and ends within its timeout: look again then
      return new Check(
          false,
          "TcpNotProbed",
          now.plusSeconds(check == null ? 1 : check.effectiveTimeoutSeconds()));
    }
    Instant next = p.at().plus(period);
    return switch (p.outcome()) {
      case CONNECTED -> new Check(true, "TcpConnected", next);
      case REFUSED -> new Check(false, "TcpRefused", next);
      case TIMED_OUT -> new Check(false, "TcpTimeout", next);
      case UNREACHABLE -> new Check(false, "TcpUnreachable", next);
    };
  }

  /**
   * The address a TCP probe connects to: the VM's first static address, else the first usable
   * address Tools reports; null when there is none.
   */
  public static String probeAddress(Facts f, List<String> assigned) {
    if (assigned != null && !assigned.isEmpty()) {
      return assigned.get(0);
    }
    List<String> usable = usable(f);
    return usable.isEmpty() ? null : usable.get(0);
  }

  /**
   * Whether the caller should probe the VM now: mode tcp, running, an address to try, and no probe
   * of that address within the last period.
   */
  public static boolean probeDue(ReadinessSpec spec, Facts f, List<String> assigned, Instant now) {
    if (spec == null || spec.effectiveMode() != ReadinessSpec.Mode.tcp || f == null) {
      return false;
    }
    String target = probeAddress(f, assigned);
    if (f.power() != PowerState.POWERED_ON || target == null) {
      return false;
    }
    Probe p = f.probe();
    int period = spec.getTcp() == null ? 10 : spec.getTcp().effectivePeriodSeconds();
    return p == null || !target.equals(p.address()) || !now.isBefore(p.at().plusSeconds(period));
  }

  /** How long the caller's connection attempt may take. */
  public static Duration probeTimeout(ReadinessSpec spec) {
    return Duration.ofSeconds(
        spec == null || spec.getTcp() == null
            ? TcpCheck.DEFAULT_TIMEOUT_SECONDS
            : spec.getTcp().effectiveTimeoutSeconds());
  }

  /**
   * The last verdict the status recorded for this VM, or null: none recorded, or recorded for
   * another VM of the same name (a replaced VM is a new VM, with a new instance UUID).
   */
  public static Verdict previous(VmStatus recorded, VmInfo vm) {
    if (recorded == null
        || recorded.getReady() == null
        || recorded.getInstanceUuid() == null
        || !recorded.getInstanceUuid().equals(vm.instanceUuid())) {
      return null;
    }
    Instant since = instant(recorded.getReadySince());
    if (since == null) {
      return null;
    }
    return new Verdict(
        recorded.getReady(),
        !UNKNOWN.equals(recorded.getReadyReason()),
        recorded.getReadyReason(),
        since,
        instant(recorded.getFirstReadyTime()),
        null,
        null);
  }

  /** Writes a verdict into a VM's status entry; returns the entry. */
  public static VmStatus record(VmStatus entry, Verdict v) {
    if (v == null || v.since() == null) {
      return entry;
    }
    entry.setReady(v.ready());
    entry.setReadyReason(v.reason());
    entry.setReadySince(text(v.since()));
    entry.setFirstReadyTime(v.firstReady() == null ? null : text(v.firstReady()));
    return entry;
  }

  /** The VMs that count as ready for status.readyReplicas: ready, as of now. */
  public static int countReady(Collection<Verdict> verdicts) {
    return (int) verdicts.stream().filter(v -> v != null && v.ready() && v.known()).count();
  }

  /** The earliest recheck among the verdicts, or null. */
  public static Instant nextRecheck(Collection<Verdict> verdicts) {
    return verdicts.stream()
        .filter(v -> v != null && v.recheckAt() != null)
        .map(Verdict::recheckAt)
        .min(Instant::compareTo)
        .orElse(null);
  }

  /** A timestamp as the status writes them (RFC 3339, whole seconds). */
  static String text(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
