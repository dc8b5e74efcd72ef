package com.codeconnect.vmgroup.endpoint;

import com.codeconnect.vmgroup.api.v1alpha1.VCenterDefaults;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vCenters the operator can use right now, by name: the operator's own (from its environment
 * settings, named {@link #DEFAULT_NAME}) and one per VCenter resource with a working client. The
 * VCenter controller adds, updates and removes entries as resources and Secrets change, without a
 * restart; groups whose vCenter appears or goes away are woken.
 */
public final class Endpoints implements AutoCloseable {
  /**
   * The name by which a group's spec.vcenter or status.vcenter means the operator's own vCenter.
   */
  public static final String DEFAULT_NAME = "default";

  private static final Logger log = LoggerFactory.getLogger(Endpoints.class);

  private final OperatorSettings base;
  private final VcenterEventSource events;
  private final Clock clock;
  private final Map<String, Endpoint> byName = new ConcurrentHashMap<>();
  private volatile Endpoint own;
  private volatile Consumer<Endpoint> onAdded = e -> {};
  private volatile Consumer<Endpoint> onRemoved = e -> {};

  public Endpoints(OperatorSettings base, VcenterEventSource events, Clock clock) {
    this.base = base;
    this.events = events;
    this.clock = clock;
  }

  /** Who hears of each new endpoint, before it is used (metrics, usage reports). */
  public void onAdded(Consumer<Endpoint> listener) {
    this.onAdded = listener;
  }

  /** Who hears that an endpoint is no longer used (after its feed stopped). */
  public void onRemoved(Consumer<Endpoint> listener) {
    this.onRemoved = listener;
  }

  /** Sets the operator's own vCenter, configured by the operator's settings. */
  public Endpoint own(VsphereClient client) {
    Endpoint e = new Endpoint(DEFAULT_NAME, client, base, null, events, clock);
    onAdded.accept(e);
    own = e.start();
    return e;
  }

  /** The operator's own vCenter, if it has one. */
  public Optional<Endpoint> own() {
    return Optional.ofNullable(own);
  }

  /** The name of the operator's own vCenter, or null when it has none. */
  public String ownName() {
    return own == null ? null : DEFAULT_NAME;
  }

  /** The endpoint of this name: a VCenter resource's, else the operator's own by its name. */
  public Optional<Endpoint> get(String name) {
    Endpoint e = byName.get(name);
    if (e == null && DEFAULT_NAME.equals(name)) {
      e = own;
    }
    return Optional.ofNullable(e);
  }

  public Collection<Endpoint> all() {
    List<Endpoint> all = new java.util.ArrayList<>(byName.values());
    if (own != null && !byName.containsKey(DEFAULT_NAME)) {
      all.add(own);
    }
    return all;
  }

  /**
   * Makes a VCenter resource's client usable by groups, or applies its changed spec. A new client
   * (changed URL, Secret or TLS) replaces the endpoint: its caches and feed belong to the old one.
   */
  public void connect(String name, VCenterSpec spec, VsphereClient client) {
    OperatorSettings settings = settingsFor(spec);
    Endpoint current = byName.get(name);
    if (current != null && current.client() == client) {
      current.update(settings);
      return;
    }
    if (current != null) {
      disconnect(name);
    }
    Endpoint e = new Endpoint(name, client, settings, spec, events, clock);
    onAdded.accept(e);
    byName.put(name, e.start());
    log.info("vCenter '{}' usable by groups", name);
    events.wakeAll();
  }

  /** Stops using a VCenter resource's client (it is about to be closed). */
  public void disconnect(String name) {
    Endpoint e = byName.remove(name);
    if (e != null) {
      e.close();
      events.dropScope(name);
      onRemoved.accept(e);
      log.info("vCenter '{}' no longer usable by groups", name);
      events.wakeAll();
    }
  }

  /** The operator's settings with the VCenter's defaults and budget in place of its own. */
  OperatorSettings settingsFor(VCenterSpec spec) {
    VCenterDefaults d = spec.defaults == null ? new VCenterDefaults() : spec.defaults;
    return base.withPlacementDefaults(d.datacenter, d.resourcePool, d.datastore, d.folder)
        .withTaskBudget(spec.effectiveTaskBudget());
  }

  @Override
  public void close() {
    byName.keySet().forEach(this::disconnect);
    if (own != null) {
      own.close();
    }
  }
}
