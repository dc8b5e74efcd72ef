package com.codeconnect.vmgroup.controller.vcenter;

import com.codeconnect.vmgroup.api.v1alpha1.QuotaUsage;
import com.codeconnect.vmgroup.api.v1alpha1.VCenter;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterStatus;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterTls;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Connection;
import com.codeconnect.vmgroup.endpoint.Endpoints;
import com.codeconnect.vmgroup.observability.EventSink;
import com.codeconnect.vmgroup.vsphere.AboutInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereClientFactory;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one vCenter client per VCenter resource, reports whether it can connect, and makes it
 * usable by VmGroups ({@link Endpoints}): their sessions, caches, change feeds, task budgets and
 * quotas are per VCenter. The status also shows which namespaces use how much of it.
 *
 * <p>Each VCenter gets its own {@link VsphereClient} (own session, own TLS trust, so an insecure
 * setting on one endpoint affects no other). The client asks for credentials at every login and
 * gets them from the Secret as the informer has it now, so a rotated Secret is used without a
 * restart; a Secret change also triggers a check at once. A changed endpoint (URL, Secret name,
 * TLS, CA bundle content) or a deleted VCenter logs the old session out; the finalizer makes sure
 * deletion waits for that, and for the last VmGroup with VMs on it to be gone: deleting a VCenter
 * in use would leave those groups unable to reach (or delete) their VMs.
 */
@ControllerConfiguration(name = VCenterReconciler.NAME, finalizerName = VCenter.FINALIZER)
public class VCenterReconciler implements Reconciler<VCenter>, Cleaner<VCenter>, AutoCloseable {
  public static final String NAME = "vcenter";
  static final String SECRETS = "vcenter-secrets";
  static final String CONFIG_MAPS = "vcenter-configmaps";
  static final String GROUPS = "vcenter-groups";
  static final String TYPE_IN_USE = "InUse";

  /** Usage changes reach the status at most this often: one write per clone would be wasteful. */
  static final Duration USAGE_REFRESH = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(VCenterReconciler.class);

  private final VCenterSettings settings;
  private final VCenterClients clients;
  private final Endpoints endpoints;
  private final EventSink events;
  private final Clock clock;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private volatile InformerEventSource<VmGroup, VCenter> groups;
  private final Map<String, Checked> lastCheck = new ConcurrentHashMap<>();
  private final UsageChanges usageChanges = new UsageChanges(USAGE_REFRESH);

  /** The last connection check of a VCenter and when it ran. */
  private record Checked(
      VCenterClients.Endpoint endpoint, Connection result, java.time.Instant at) {}

  private final Set<String> groupNamespaces;

  /**
   * @param clientFactory makes the client of each VCenter
   * @param groupNamespaces the namespaces whose VmGroups the operator serves (empty: all), where it
   *     looks for the groups using each VCenter
   */
  public VCenterReconciler(
      VCenterSettings settings,
      VsphereClientFactory clientFactory,
      Endpoints endpoints,
      Set<String> groupNamespaces,
      EventSink events,
      Clock clock) {
    this.settings = settings;
    this.clients = new VCenterClients(settings, clientFactory, endpoints);
    this.endpoints = endpoints;
    this.groupNamespaces =
        groupNamespaces.isEmpty() ? Constants.WATCH_ALL_NAMESPACE_SET : Set.copyOf(groupNamespaces);
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, VCenter>> prepareEventSources(EventSourceContext<VCenter> context) {
    InformerEventSource<Secret, VCenter> secrets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, VCenter.class)
                .withName(SECRETS)
                .withNamespaces(settings.namespace())
                .withFollowControllerNamespacesChanges(false)
                .withSecondaryToPrimaryMapper(
                    s -> referencing(context, vc -> secretNames(vc).contains(name(s))))
                .build(),
            context);
    InformerEventSource<ConfigMap, VCenter> configMaps =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ConfigMap.class, VCenter.class)
                .withName(CONFIG_MAPS)
                .withNamespaces(settings.namespace())
                .withFollowControllerNamespacesChanges(false)
                .withSecondaryToPrimaryMapper(
                    c ->
                        referencing(
                            context,
                            vc ->
                                caRef(vc)
                                    .filter(
                                        r ->
                                            VCenterTls.KeyReference.CONFIG_MAP.equals(
                                                r.effectiveKind()))
                                    .map(r -> r.name.equals(name(c)))
                                    .orElse(false)))
                .build(),
            context);
    // Groups map to VCenters by name: a group taking or leaving one changes its usage and
    // whether it may be deleted.
    groups =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(VmGroup.class, VCenter.class)
                .withName(GROUPS)
                .withNamespaces(groupNamespaces)
                .withFollowControllerNamespacesChanges(false)
                .withOnUpdateFilter(
                    (now, before) -> !Objects.equals(usedVcenter(now), usedVcenter(before)))
                .withSecondaryToPrimaryMapper(
                    g ->
                        Optional.ofNullable(usedVcenter(g))
                            .map(n -> Set.of(new ResourceID(n)))
                            .orElse(Set.of()))
                .build(),
            context);
    clients.readFrom(secrets, configMaps);
    return List.of(secrets, configMaps, groups, usageChanges);
  }

  /** The VCenter whose vCenter holds a group's VMs, by its status; null when not one of ours. */
  private static String usedVcenter(VmGroup g) {
    return g.getStatus() == null ? null : g.getStatus().getVcenter();
  }

  /** Groups with VMs on this VCenter, by namespace/name. */
  private List<String> users(String name) {
    if (Endpoints.DEFAULT_NAME.equals(name) && endpoints.own().isPresent()) {
      // those groups are on the operator's own vCenter; this VCenter never served any
      return List.of();
    }
    return groups
        .list(g -> name.equals(usedVcenter(g)))
        .map(g -> g.getMetadata().getNamespace() + "/" + g.getMetadata().getName())
        .sorted()
        .toList();
  }

  private static Set<ResourceID> referencing(
      EventSourceContext<VCenter> context, Predicate<VCenter> refers) {
    return context
        .getPrimaryCache()
        .list(refers)
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static String name(HasMetadata r) {
    return r.getMetadata().getName();
  }

  /** The Secrets a VCenter reads: credentials, and the CA bundle when it is in a Secret. */
  private static Set<String> secretNames(VCenter vc) {
    VCenterSpec spec = vc.getSpec();
    if (spec == null) {
      return Set.of();
    }
    java.util.HashSet<String> names = new java.util.HashSet<>();
    if (spec.credentialsSecretRef != null && spec.credentialsSecretRef.name != null) {
      names.add(spec.credentialsSecretRef.name);
    }
    caRef(vc)
        .filter(r -> VCenterTls.KeyReference.SECRET.equals(r.effectiveKind()))
        .ifPresent(r -> names.add(r.name));
    return names;
  }

  private static Optional<VCenterTls.KeyReference> caRef(VCenter vc) {
    return Optional.ofNullable(vc.getSpec())
        .map(s -> s.tls)
        .map(t -> t.caBundleRef)
        .filter(r -> r.name != null);
  }

  @Override
  public UpdateControl<VCenter> reconcile(VCenter vc, Context<VCenter> context) {
    String name = name(vc);
    long generation = Optional.ofNullable(vc.getMetadata().getGeneration()).orElse(0L);
    Connection result;
    Duration next = null;
    try {
      VCenterClients.Held held = clients.client(vc);
      // Groups use the client from the moment it exists; an outage doesn't take it away (that
      // would drop the tasks in flight): their calls fail, and they report it, until it is back.
      endpoints.connect(name, vc.getSpec(), held.client());
      endpoints.get(name).ifPresent(e -> e.ledger().onChange(() -> usageChanges.changed(name)));
      Checked last = lastCheck.get(name);
      java.time.Instant now = clock.instant();
      if (last != null
          && last.result().isConnected()
          && last.endpoint().equals(held.endpoint())
          && now.isBefore(last.at().plus(settings.checkInterval()))) {
        // Woken for usage or a group: the connection was checked a moment ago.
        result = last.result();
        next = Duration.between(now, last.at().plus(settings.checkInterval()));
      } else {
        result = check(held);
        lastCheck.put(name, new Checked(held.endpoint(), result, now));
      }
    } catch (Misconfigured m) {
      result = Connection.misconfigured(m.reason, m.getMessage());
      lastCheck.remove(name);
      // The old client may point somewhere the spec no longer allows.
      clients.close(name, "its spec or Secret is no longer usable");
    }
    if (next != null) {
      // a check that wasn't due: keep the timer of the last one
    } else if (result.isConnected()) {
      failures.remove(name);
      next = settings.checkInterval();
    } else if (result.transientProblem()) {
      next = backoff(name);
    } else {
      failures.remove(name);
      next = settings.maxBackoff();
    }
    VCenterStatus previous = vc.getStatus();
    VCenterStatus status = result.status(generation, previous, clock.instant());
    usage(vc, status);
    report(vc, previous, result);
    if (!status.equals(previous)) {
      writeStatus(vc, context, status);
    }
    return UpdateControl.<VCenter>noUpdate().rescheduleAfter(next);
  }

  /** How many groups use this vCenter and how much each namespace holds, against its quota. */
  private void usage(VCenter vc, VCenterStatus status) {
    String name = name(vc);
    status.groups = users(name).size();
    Optional<com.codeconnect.vmgroup.endpoint.Endpoint> endpoint = endpoints.get(name);
    if (endpoint.isEmpty() || endpoint.get().isOwn()) {
      status.quotaUsage = vc.getStatus() == null ? null : vc.getStatus().quotaUsage;
      return;
    }
    List<QuotaUsage> usage = new java.util.ArrayList<>();
    endpoint
        .get()
        .ledger()
        .byNamespace()
        .forEach(
            (ns, u) ->
                usage.add(new QuotaUsage(ns, u.vms(), u.cpus(), u.memoryGiB(), limits(vc, ns))));
    status.quotaUsage = usage.isEmpty() ? null : usage;
  }

  /** The limits alone: a namespace's own quota entry also carries its name. */
  private static com.codeconnect.vmgroup.api.v1alpha1.VCenterQuota limits(VCenter vc, String ns) {
    com.codeconnect.vmgroup.api.v1alpha1.VCenterQuota q = vc.getSpec().quotaFor(ns);
    return q == null
        ? null
        : new com.codeconnect.vmgroup.api.v1alpha1.VCenterQuota(
            q.maxVms, q.maxCpus, q.maxMemoryGiB);
  }

  /** About (no session needed, so it tells "unreachable" from "refused"), then a session check. */
  private Connection check(VCenterClients.Held held) {
    AboutInfo about = null;
    try {
      about = held.client().about();
      held.client().checkSession();
      return Connection.connected(about, held.endpoint().url().toString());
    } catch (VsphereException e) {
      return Connection.failed(about, e, settings.namespace() + "/" + held.endpoint().secret());
    }
  }

  /** An Event when the reason changes, not at every check: the status carries the rest. */
  private void report(VCenter vc, VCenterStatus previous, Connection result) {
    String before =
        previous == null || previous.conditions == null
            ? null
            : previous.conditions.stream()
                .filter(c -> Connection.TYPE_CONNECTED.equals(c.getType()))
                .map(io.fabric8.kubernetes.api.model.Condition::getReason)
                .findFirst()
                .orElse(null);
    if (Objects.equals(before, result.reason())) {
      return;
    }
    if (result.isConnected()) {
      log.info("VCenter {}: {}", name(vc), result.message());
      events.normal(vc, result.reason(), "Connect", result.message());
    } else {
      log.warn("VCenter {}: {}: {}", name(vc), result.reason(), result.message());
      events.warning(vc, result.reason(), "Connect", result.message());
    }
  }

  private Duration backoff(String name) {
    int n = failures.merge(name, 1, Integer::sum);
    long base = settings.minBackoff().toMillis() << Math.min(n - 1, 20);
    long capped = Math.min(base, settings.maxBackoff().toMillis());
    // jitter keeps VCenters that failed together from retrying in lockstep
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  @Override
  public DeleteControl cleanup(VCenter vc, Context<VCenter> context) {
    List<String> users = users(name(vc));
    if (!users.isEmpty()) {
      inUse(vc, context, users);
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(settings.checkInterval().toMillis());
    }
    lastCheck.remove(name(vc));
    clients.close(name(vc), "the VCenter was deleted");
    failures.remove(name(vc));
    events.forget(vc.getMetadata().getUid());
    return DeleteControl.defaultDelete();
  }

  /**
   * Deletion waits while groups have VMs here; the condition names them, so whoever deletes the
   * VCenter learns what to delete (or move to spec.vcenter elsewhere) first.
   */
  private void inUse(VCenter vc, Context<VCenter> context, List<String> users) {
    String message =
        "deletion waits: VmGroups still have VMs on this vCenter: "
            + (users.size() > 10
                ? String.join(", ", users.subList(0, 10)) + " and " + (users.size() - 10) + " more"
                : String.join(", ", users));
    VCenterStatus status = VCenterStatus.copyOf(vc.getStatus());
    io.fabric8.kubernetes.api.model.Condition before =
        status.conditions.stream()
            .filter(c -> TYPE_IN_USE.equals(c.getType()))
            .findFirst()
            .orElse(null);
    if (before != null && message.equals(before.getMessage())) {
      return;
    }
    status.conditions.removeIf(c -> TYPE_IN_USE.equals(c.getType()));
    status.conditions.add(
        new io.fabric8.kubernetes.api.model.ConditionBuilder()
            .withType(TYPE_IN_USE)
            .withStatus("True")
            .withReason("DeletionBlocked")
            .withMessage(message)
            .withObservedGeneration(vc.getMetadata().getGeneration())
            .withLastTransitionTime(
                before != null
                    ? before.getLastTransitionTime()
                    : clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
            .build());
    events.warning(vc, "DeletionBlocked", "Delete", message);
    writeStatus(vc, context, status);
  }

  /** Writes the status subresource and caches the result, so the next reconcile reads it. */
  private static void writeStatus(VCenter vc, Context<VCenter> context, VCenterStatus status) {
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
        vc,
        context,
        v -> {
          v.setStatus(status);
          return v;
        });
  }

  /** VCenters with a client right now (for tests and metrics). */
  public Set<String> connectedNames() {
    return clients.names();
  }

  /** Logs out of every vCenter, at shutdown. */
  @Override
  public void close() {
    clients.closeAll();
  }
}
