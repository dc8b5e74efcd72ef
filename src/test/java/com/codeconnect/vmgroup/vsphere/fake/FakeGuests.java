package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ToolsStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The guests of the in-memory vCenter, as the simulator launcher's {@code -guest-delay} plays them:
 * a guest that boots reports Tools running, a green heartbeat and an address once the delay has
 * passed on the injected clock; a VM that goes off reports nothing. Without a delay the guests stay
 * as govmomi's simulator keeps them (Tools not running, gray, no address unless a customization set
 * one), whatever the VM's power does. Not thread-safe: the vCenter's lock guards it.
 */
final class FakeGuests {
  private record Pending(Instant at, MoRef vm, long generation, long seq) {}

  /** A guest that is ready by now. */
  record Ready(MoRef vm, Instant at) {}

  private final Duration readyAfter;
  private final PriorityQueue<Pending> pending =
      new PriorityQueue<>(
          Comparator.comparing((Pending p) -> p.at()).thenComparingLong(Pending::seq));
  // bumped whenever a VM's guest changes otherwise, so a ready pending from before is dropped
  private final Map<MoRef, Long> generations = new HashMap<>();
  private long seq;

  /**
   * @param readyAfter how long a booted guest takes to report ready, or null to leave guests alone
   */
  FakeGuests(Duration readyAfter) {
    this.readyAfter = readyAfter;
  }

  boolean simulated() {
    return readyAfter != null;
  }

  /** The VM's guest started booting at {@code at}. */
  void booted(MoRef vm, Instant at) {
    if (readyAfter != null) {
      pending.add(new Pending(at.plus(readyAfter), vm, bump(vm), seq++));
    }
  }

  /** The VM went off, or a test set its guest by hand: a ready still pending no longer comes. */
  void cancel(MoRef vm) {
    bump(vm);
  }

  /** When the next pending guest becomes ready, or null. */
  Instant nextAt() {
    Pending p = pending.peek();
    return p == null ? null : p.at();
  }

  /** The guest that became ready first, if that was by {@code now}; stale ones are skipped. */
  Ready nextDue(Instant now) {
    for (Pending p; (p = pending.peek()) != null && !p.at().isAfter(now); ) {
      pending.poll();
      if (generations.getOrDefault(p.vm(), 0L) == p.generation()) {
        return new Ready(p.vm(), p.at());
      }
    }
    return null;
  }

  private long bump(MoRef vm) {
    return generations.merge(vm, 1L, Long::sum);
  }

  /**
   * A ready guest: Tools running, heartbeat green, and its address: the one a customization
   * assigned, else one made up from the VM's id (as the launcher does).
   */
  static VmState ready(VmState s, MoRef vm) {
    List<String> ips = s.guest().ipAddresses();
    String primary = s.ipAddress();
    if (primary == null) {
      primary = ips.isEmpty() ? madeUpAddress(vm) : ips.get(0);
    }
    if (ips.isEmpty()) {
      ips = List.of(primary);
    }
    return s.withGuest(new VmGuest(ToolsStatus.RUNNING, Heartbeat.GREEN, ips), primary);
  }

  /** What vCenter reports of a guest once its VM is off. */
  static VmState off(VmState s) {
    return s.withGuest(VmGuest.NONE, null);
  }

  /** 10.x.y.z from the number in the VM's id, z never 0, 1 or 255. */
  static String madeUpAddress(MoRef vm) {
    String digits = vm.value().replaceAll("\\D", "");
    long n =
        digits.isEmpty() ? 0 : Long.parseLong(digits.substring(Math.max(0, digits.length() - 9)));
    return "10." + (n / 62500 % 250) + "." + (n / 250 % 250) + "." + (n % 250 + 2);
  }
}
