package com.codeconnect.vmgroup.endpoint;

import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.endpoint.PlacementResolver.PlacementException;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.cache.Inventory;
import com.codeconnect.vmgroup.vsphere.cache.InventoryWatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Everything the operator keeps for one vCenter: its client (session), placement defaults and their
 * cache, the change-fed inventory, the task budget and the quota ledger. Nothing is shared between
 * endpoints, so one vCenter's outage, slowness or full budget doesn't hold up another's groups.
 */
public final class Endpoint implements AutoCloseable {
  /** How long a group skips calls to a vCenter that just failed to answer. */
  public static final Duration UNREACHABLE_PAUSE = Duration.ofSeconds(5);

  private final String name;
  private final VsphereClient client;
  private final Clock clock;
  private final TaskTracker tracker;
  private final InventoryWatcher watcher;
  private final VcenterEventSource.Scope scope;
  private final VcenterState state;
  private final TemplateResolver templates;
  private final LibraryResolver libraries;
  private final NetworkResolver networks;
  private final QuotaLedger ledger;
  private final SlotWatch slotWatch;
  private volatile PlacementResolver placement;
  private volatile OperatorSettings settings;
  private final boolean own;
  private volatile Instant quietUntil = Instant.EPOCH;
  private volatile String lastOutage;

  /**
   * @param spec the VCenter resource's spec (its defaults and budget are in {@code settings}), or
   *     null for the operator's own vCenter, configured by {@code settings} alone
   */
  Endpoint(
      String name,
      VsphereClient client,
      OperatorSettings settings,
      VCenterSpec spec,
      VcenterEventSource events,
      Clock clock) {
    this.name = name;
    this.client = client;
    this.clock = clock;
    this.own = spec == null;
    this.ledger = new QuotaLedger(clock);
    this.settings = settings;
    this.placement = new PlacementResolver(client, settings);
    this.tracker = new TaskTracker(settings.taskBudget(), clock);
    // The own vCenter's scope has a name no VCenter resource can have.
    this.scope = events.scope(spec == null ? " own" : name);
    tracker.onSlotFreed(events::wake);
    this.watcher =
        settings.changeNotifications()
            ? new InventoryWatcher(
                client,
                () -> this.placement.withRoot(this.placement.resolve()).rootFolder(),
                new Inventory(),
                scope,
                settings.fullResyncInterval(),
                clock)
            : null;
    this.state =
        new VcenterState(client, watcher, this::defaultRoot, scope, clock, tracker::running);
    // Before the watcher starts (in start()), so no task end is missed.
    scope.onTaskEnded(
        task -> {
          tracker.ended(task);
          state.feedReportedEnd(task);
        });
    // Skips its looks while the vCenter is known unreachable (without taking the probe's turn).
    this.slotWatch =
        new SlotWatch(name, tracker, state::lookAt, state::sawEnded, () -> lastOutage, clock);
    this.templates = new TemplateResolver(client, clock);
    // An in-sync group is looked at every resyncInterval: that is when a new item version shows.
    this.libraries = new LibraryResolver(client, clock, settings.resyncInterval(), name);
    this.networks = new NetworkResolver(client, clock);
  }

  private MoRef defaultRoot() {
    try {
      return placement.resolve().rootFolder();
    } catch (PlacementException | VsphereException e) {
      return null; // no default placement: every group names its own
    }
  }

  Endpoint start() {
    if (watcher != null) {
      watcher.start();
    }
    return this;
  }

  /**
   * Takes a changed VCenter spec: new defaults mean a new placement cache (and the feed watches the
   * new root folder after its next rebuild), a new budget applies to the next task.
   */
  void update(OperatorSettings newSettings) {
    if (!newSettings.equals(settings)) {
      boolean placementChanged =
          !java.util.Objects.equals(newSettings.datacenter(), settings.datacenter())
              || !java.util.Objects.equals(newSettings.resourcePool(), settings.resourcePool())
              || !java.util.Objects.equals(newSettings.datastore(), settings.datastore())
              || !newSettings.rootFolder().equals(settings.rootFolder());
      this.settings = newSettings;
      tracker.budget(newSettings.taskBudget());
      if (placementChanged) {
        placement = new PlacementResolver(client, newSettings);
        state.contradicted("the VCenter's placement defaults changed");
      }
    }
  }

  /** True for the operator's own vCenter (environment settings), false for a VCenter resource. */
  public boolean isOwn() {
    return own;
  }

  public String name() {
    return name;
  }

  public VsphereClient client() {
    return client;
  }

  public PlacementResolver placement() {
    return placement;
  }

  public VcenterState state() {
    return state;
  }

  public LibraryResolver libraries() {
    return libraries;
  }

  public TemplateResolver templates() {
    return templates;
  }

  public NetworkResolver networks() {
    return networks;
  }

  public TaskTracker tracker() {
    return tracker;
  }

  public SlotWatch slotWatch() {
    return slotWatch;
  }

  public VcenterEventSource.Scope scope() {
    return scope;
  }

  public QuotaLedger ledger() {
    return ledger;
  }

  public InventoryWatcher watcher() {
    return watcher;
  }

  /** vCenter didn't answer: for a short while, groups here don't ask it again. */
  public void unreachable(String message) {
    lastOutage = message;
    quietUntil = clock.instant().plus(UNREACHABLE_PAUSE);
    probing.set(false);
  }

  /**
   * Why calls are paused now, or null to go ahead. A reconcile thread waiting for an unreachable
   * vCenter (up to a call timeout) is missing for every other vCenter's groups, so after an outage
   * one group at a time probes, and the others wait until it has found vCenter back.
   */
  public String pausedBecause() {
    String outage = lastOutage;
    if (outage == null) {
      return null;
    }
    if (clock.instant().isBefore(quietUntil) || !probing.compareAndSet(false, true)) {
      return outage;
    }
    return null;
  }

  /** A reconcile here ended without finding vCenter unreachable. */
  public void reachable() {
    lastOutage = null;
    quietUntil = Instant.EPOCH;
    probing.set(false);
  }

  /** A reconcile here ended some other way: a probe in progress is over either way. */
  public void probed() {
    probing.set(false);
  }

  private final java.util.concurrent.atomic.AtomicBoolean probing =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Stops the change feed; the client belongs to whoever made it and is closed there. */
  @Override
  public void close() {
    slotWatch.close();
    if (watcher != null) {
      watcher.close();
    }
  }
}
