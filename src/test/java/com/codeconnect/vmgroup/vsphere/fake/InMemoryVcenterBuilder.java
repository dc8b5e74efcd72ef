package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.testing.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/** The defaults are those of {@code Vcsim.builder().standaloneHosts(1)}, with a snapshot. */
public final class InMemoryVcenterBuilder {
  Clock clock = Clock.systemUTC();
  String extraConfigPrefix = "vmgroup.";
  final Map<TaskKind, Duration> durations = new EnumMap<>(TaskKind.class);
  boolean cloneHonoursSpec = true;
  int clusters = 1;
  Set<String> drsDisabled = Set.of();
  Duration guestReadyAfter;
  int clusterHosts = 3;
  int standaloneHosts = 1;
  int modelVms = 2;
  List<String> templates = List.of("vm-operator-template");
  boolean snapshotTemplates = true;
  Set<String> hotAddTemplates = Set.of();
  Duration feedWaitCap = Duration.ofDays(365);
  Duration feedLag = Duration.ZERO;
  int maxBatch = 1000;
  String instanceUuid = UUID.randomUUID().toString();
  boolean accountCpu;

  InMemoryVcenterBuilder() {}

  /** Task durations, feed lags and waits are measured on it; a {@link TestClock} fits. */
  public InMemoryVcenterBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Only extraConfig keys with this prefix are returned, as the SOAP client's builder sets. */
  public InMemoryVcenterBuilder extraConfigPrefix(String prefix) {
    this.extraConfigPrefix = Objects.requireNonNull(prefix, "prefix");
    return this;
  }

  public InMemoryVcenterBuilder taskDuration(TaskKind kind, Duration d) {
    durations.put(kind, requireNonNegative(d));
    return this;
  }

  public InMemoryVcenterBuilder cloneHonoursSpec(boolean honour) {
    this.cloneHonoursSpec = honour;
    return this;
  }

  /** Clusters {@code DC0_C0}, {@code DC0_C1}, ..., each with DRS on (the launcher's -clusters). */
  public InMemoryVcenterBuilder clusters(int n) {
    this.clusters = n;
    return this;
  }

  /** These clusters have DRS off, so no anti-affinity rule can act there. */
  public InMemoryVcenterBuilder drsDisabled(String... clusterNames) {
    this.drsDisabled = Set.of(clusterNames);
    return this;
  }

  /**
   * A guest that boots reports VMware Tools running, a green heartbeat and an address this long
   * later on the injected clock, and reports nothing once its VM is off (the launcher's
   * -guest-delay). Without it guests stay as govmomi's simulator keeps them.
   */
  public InMemoryVcenterBuilder guestReadyAfter(Duration d) {
    this.guestReadyAfter = requireNonNegative(d);
    return this;
  }

  public InMemoryVcenterBuilder clusterHosts(int n) {
    this.clusterHosts = n;
    return this;
  }

  public InMemoryVcenterBuilder standaloneHosts(int n) {
    this.standaloneHosts = n;
    return this;
  }

  /** Powered-on VMs per resource pool in {@code /DC0/vm}, as the simulator's model makes. */
  public InMemoryVcenterBuilder modelVms(int n) {
    this.modelVms = n;
    return this;
  }

  /** Templates in {@code /DC0/vm} (1 vCPU, 32 MiB, off). */
  public InMemoryVcenterBuilder templates(String... names) {
    this.templates = List.of(names);
    return this;
  }

  /** Whether templates get a snapshot, which linked clones need (default yes). */
  public InMemoryVcenterBuilder snapshotTemplates(boolean snapshot) {
    this.snapshotTemplates = snapshot;
    return this;
  }

  /** These templates, and so their clones, allow CPU and memory hot-add. */
  public InMemoryVcenterBuilder hotAddTemplates(String... names) {
    this.hotAddTemplates = Set.of(names);
    return this;
  }

  /**
   * Caps the real time one {@code next} waits, whatever maxWait it is given: e.g. to keep a watcher
   * that waits 30 s from holding up a test that changes nothing.
   */
  public InMemoryVcenterBuilder feedWaitCap(Duration cap) {
    this.feedWaitCap = requireNonNegative(cap);
    return this;
  }

  /** The lag of every feed opened (see {@link InMemoryChangeFeed#lag}). */
  public InMemoryVcenterBuilder feedLag(Duration lag) {
    this.feedLag = requireNonNegative(lag);
    return this;
  }

  /** Changes per batch; more are sent as truncated batches, as MAX_OBJECT_UPDATES does. */
  public InMemoryVcenterBuilder maxBatch(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("maxBatch must be positive");
    }
    this.maxBatch = n;
    return this;
  }

  public InMemoryVcenterBuilder instanceUuid(String uuid) {
    this.instanceUuid = Objects.requireNonNull(uuid, "uuid");
    return this;
  }

  /**
   * Accounts the CPU time every client and feed call spends inside this vCenter ({@link
   * InMemoryVcenter#cpuNanos}), so a benchmark can subtract the fake's work from its process's.
   */
  public InMemoryVcenterBuilder accountCpu(boolean account) {
    this.accountCpu = account;
    return this;
  }

  public InMemoryVcenter build() {
    return new InMemoryVcenter(this);
  }

  static Duration requireNonNegative(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + d);
    }
    return d;
  }
}
