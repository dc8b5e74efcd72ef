package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.endpoint.Endpoints;
import com.codeconnect.vmgroup.endpoint.VcenterEventSource;
import com.codeconnect.vmgroup.testing.RecordedEvents;
import com.codeconnect.vmgroup.testing.TestClock;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.fake.InMemoryVcenter;
import com.codeconnect.vmgroup.vsphere.fake.InMemoryVcenterBuilder;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The VmGroup controller's steps wired as the reconciler wires them, against the in-memory vCenter
 * and a hand-moved clock: unit tests drive a group through observe, plan and act pass by pass
 * without any I/O, and can throw away everything the operator holds in memory ({@link #restart})
 * while vCenter keeps what it has, as a crash would.
 */
final class Steps implements AutoCloseable {
  static final String ROOT = "/DC0/vm/" + OperatorSettings.DEFAULT_ROOT_FOLDER;

  final TestClock clock = new TestClock("2026-12-07T10:00:00Z");
  final InMemoryVcenter vcenter;
  final RecordedEvents events = new RecordedEvents();

  /** The API server's Secrets, by namespace/name: what bootstrap Secrets are read from. */
  final Map<String, Map<String, byte[]>> secrets = new ConcurrentHashMap<>();

  /** The other groups the operator knows (for overlapping address pools). */
  final List<VmGroup> others = new CopyOnWriteArrayList<>();

  private final OperatorSettings settings;
  private Function<Endpoint, Optional<VCenterSpec>> vcenterSpec = ep -> Optional.empty();
  private Endpoints endpoints;
  Endpoint ep;
  TargetResolver targets;
  GroupObserver observer;
  BootstrapSource bootstraps;
  GroupPlanner planner;
  ActionRunner runner;
  RuleKeeper rules;
  MetadataKeeper metadata;
  GroupMemory.Memories memories;
  GroupCleanup cleanup;

  /**
   * @param changeFeed keep the inventory through the change feed (else every look asks vCenter)
   */
  Steps(boolean changeFeed, int taskBudget) {
    this(changeFeed, taskBudget, b -> b);
  }

  /**
   * @param vcenterSetup what the in-memory vCenter has beyond its default model
   */
  Steps(
      boolean changeFeed,
      int taskBudget,
      java.util.function.UnaryOperator<InMemoryVcenterBuilder> vcenterSetup) {
    this.vcenter = vcenterSetup.apply(InMemoryVcenter.builder().clock(clock)).build();
    this.settings =
        OperatorSettings.defaults()
            .withPlacementDefaults(null, "DC0_C0", null, null)
            .withTaskBudget(taskBudget)
            .withChangeNotifications(changeFeed);
    start();
  }

  Steps() {
    this(false, 8);
  }

  /** The VCenter resource's spec the runner reads quotas from (the own vCenter has none). */
  Steps withVcenterSpec(VCenterSpec spec) {
    this.vcenterSpec = ep -> Optional.of(spec);
    restart();
    return this;
  }

  /** An operator start: nothing in memory, vCenter as it is. */
  private void start() {
    VcenterEventSource eventSource = new VcenterEventSource();
    endpoints = new Endpoints(settings, eventSource, clock);
    ep = endpoints.own(vcenter);
    targets = new TargetResolver(endpoints);
    observer = new GroupObserver(events, vcenterSpec);
    bootstraps =
        new BootstrapSource((ns, name) -> Optional.ofNullable(secrets.get(ns + "/" + name)), clock);
    planner = new GroupPlanner(observer, clock);
    runner = new ActionRunner(events, clock, vcenterSpec);
    rules = new RuleKeeper(events, clock);
    metadata = new MetadataKeeper(clock, settings.fullResyncInterval());
    memories = new GroupMemory.Memories();
    this.eventSource = eventSource;
    cleanup = newCleanup();
  }

  private VcenterEventSource eventSource;

  private GroupCleanup newCleanup() {
    return new GroupCleanup(
        endpoints,
        targets,
        observer,
        runner,
        rules,
        new RequeuePolicy(settings, clock),
        memories,
        eventSource,
        events);
  }

  /** A crash: the operator's memory (tasks, caches, feed) is gone; vCenter keeps what it has. */
  void restart() {
    endpoints.close();
    start();
  }

  static VmGroup group(String name, int replicas) {
    VmGroup g = new VmGroup("ns", name, new VmGroupSpec(1, 1, replicas, "vm-operator-template"));
    g.getMetadata().setUid(UUID.nameUUIDFromBytes(name.getBytes()).toString());
    g.getMetadata().setGeneration(1L);
    return g;
  }

  /** What one pass of a reconcile did, step by step. */
  record Pass(
      Observation seen,
      GroupPlanner.Planned planned,
      ActionRunner.Acted acted,
      Problem spread,
      Problem tagging) {}

  /** One reconcile's vCenter work, as the spine runs it: collect, observe, plan, act. */
  Pass reconcile(VmGroup group) {
    GroupMemory memory = memories.of(group.getMetadata().getUid());
    BootstrapSource.Bootstrap bootstrap = bootstraps.resolve(group);
    runner.collect(ep, group, memory);
    Observation seen = observer.observe(ep, group, memory, bootstrap, others::stream);
    GroupPlanner.Planned planned = planner.plan(ep, group, seen, memory, bootstrap);
    ActionRunner.Acted acted = runner.act(ep, group, planned, List.<VmGroup>of()::stream);
    Problem spread = rules.keep(ep, group, planned.seen(), memory);
    Problem tagging = metadata.keep(ep, group, planned.seen(), acted, memory);
    return new Pass(seen, planned, acted, spread, tagging);
  }

  /**
   * One reconcile whose status the group keeps, as the API server would: what the next reconcile
   * reads its readiness verdicts and rollout progress back from.
   */
  Pass reconcileAndRecord(VmGroup group) {
    Pass p = reconcile(group);
    group.setStatus(
        GroupReport.of(
                group,
                ep,
                p.planned(),
                p.acted(),
                p.spread() != null ? p.spread() : p.tagging(),
                clock.instant())
            .status());
    return p;
  }

  /** Reconciles until the group runs as its spec says, moving the clock a second per pass. */
  Pass converge(VmGroup group, int maxPasses) {
    Pass last = null;
    for (int i = 0; i < maxPasses; i++) {
      last = reconcile(group);
      if (last.planned().plan().actions().isEmpty()
          && ep.tracker().inFlight(group.getMetadata().getUid()).isEmpty()
          && running(group).size() == group.getSpec().getReplicas()) {
        return last;
      }
      clock.advance(Duration.ofSeconds(1));
    }
    throw new AssertionError(
        "group " + group.getMetadata().getName() + " didn't converge: " + vms(group));
  }

  /** Deletion passes until the finalizer may go. */
  DeleteControl delete(VmGroup group, int maxPasses) {
    for (int i = 0; i < maxPasses; i++) {
      DeleteControl control = cleanup.cleanup(group);
      if (control.isRemoveFinalizer()) {
        return control;
      }
      clock.advance(Duration.ofSeconds(1));
    }
    throw new AssertionError("deletion didn't finish: " + vms(group));
  }

  Optional<MoRef> folder(VmGroup group) {
    return vcenter.findByInventoryPath(
        ROOT + "/" + group.getMetadata().getNamespace() + "-" + group.getMetadata().getName());
  }

  /** Every VM in the group's folder, as vCenter has it (owned or not). */
  List<VmInfo> vms(VmGroup group) {
    return folder(group).map(vcenter::vmsInFolder).orElse(List.of());
  }

  List<VmInfo> running(VmGroup group) {
    return vms(group).stream()
        .filter(vm -> Ownership.ownedBy(vm, group.getMetadata().getUid()))
        .filter(vm -> vm.powerState() == PowerState.POWERED_ON)
        .toList();
  }

  @Override
  public void close() {
    endpoints.close();
    vcenter.close();
  }
}
