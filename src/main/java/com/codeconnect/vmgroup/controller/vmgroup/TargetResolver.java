package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VCenter;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import com.codeconnect.vmgroup.decision.EndpointSelector;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.endpoint.Endpoints;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Step 2 of a reconcile: which vCenter a group is handled on now, or the problem that stops it,
 * without a vCenter call. The group's namespace, its spec.vcenter, the VCenters that allow it and
 * where its VMs already are decide ({@link EndpointSelector} is the pure part).
 */
final class TargetResolver {
  static final Duration PROBLEM_RETRY = RequeuePolicy.PROBLEM_RETRY;
  static final Duration STARTUP_WAIT = Duration.ofSeconds(1);

  private final Endpoints endpoints;
  private volatile InformerEventSource<VCenter, VmGroup> vcenterInformer;
  private volatile InformerEventSource<Namespace, VmGroup> namespaceInformer;

  TargetResolver(Endpoints endpoints) {
    this.endpoints = endpoints;
  }

  /**
   * Where the group is handled now: its endpoint, or the problem that stops it. A quiet problem is
   * only waited out: it isn't reported.
   */
  record Target(Endpoint endpoint, Problem problem, Duration retry, boolean quiet) {
    Target(Endpoint endpoint, Problem problem, Duration retry) {
      this(endpoint, problem, retry, false);
    }
  }

  /**
   * The informers of VCenters and Namespaces (with VCenter resources only): which vCenter a group
   * maps to depends on the VCenters' specs and its namespace's labels, and a change of either
   * re-evaluates the groups concerned. Status updates of VCenters (usage, health) don't change any
   * mapping and are filtered out.
   */
  List<EventSource<?, VmGroup>> eventSources(EventSourceContext<VmGroup> context) {
    vcenterInformer =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(VCenter.class, VmGroup.class)
                .withName("vcenters")
                .withNamespaces(Constants.WATCH_ALL_NAMESPACE_SET)
                .withFollowControllerNamespacesChanges(false)
                .withOnUpdateFilter(
                    (now, before) ->
                        !Objects.equals(
                            now.getMetadata().getGeneration(),
                            before.getMetadata().getGeneration()))
                .withSecondaryToPrimaryMapper(
                    vc ->
                        context
                            .getPrimaryCache()
                            .list()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    namespaceInformer =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Namespace.class, VmGroup.class)
                .withName("namespaces")
                .withNamespaces(Constants.WATCH_ALL_NAMESPACE_SET)
                .withFollowControllerNamespacesChanges(false)
                .withOnUpdateFilter(
                    (now, before) ->
                        !Objects.equals(
                            now.getMetadata().getLabels(), before.getMetadata().getLabels()))
                .withSecondaryToPrimaryMapper(
                    ns ->
                        context
                            .getPrimaryCache()
                            .list(
                                g ->
                                    ns.getMetadata()
                                        .getName()
                                        .equals(g.getMetadata().getNamespace()))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(vcenterInformer, namespaceInformer);
  }

  Target resolve(VmGroup group) {
    EndpointSelector.Choice choice = choose(group);
    if (choice.problem() != null) {
      return new Target(null, choice.problem(), PROBLEM_RETRY);
    }
    String recorded = recordedVcenter(group.getStatus());
    if (recorded != null && hadVms(group.getStatus()) && !recorded.equals(choice.name())) {
      return new Target(
          null,
          new Problem(
              Problem.Reason.VCenterChanged,
              "the group's VMs are on vCenter '"
                  + recorded
                  + "' but it now maps to '"
                  + choice.name()
                  + "'; VMs are not moved: set spec.vcenter to '"
                  + recorded
                  + "' (or restore the VCenters' allowedNamespaces), or scale the group to 0 first"),
          PROBLEM_RETRY);
    }
    Optional<Endpoint> endpoint = endpoints.get(choice.name());
    if (endpoint.isEmpty()) {
      // Right after a start, groups reconcile before the VCenter controller has made its clients:
      // a group that was fine and whose VCenter was last seen ready just waits for it, instead of
      // flapping to Degraded at every restart. Woken when the endpoint comes; the timer is a net.
      boolean startingUp =
          choice.name().equals(group.getStatus() == null ? null : group.getStatus().getVcenter())
              && lastSeenReady(choice.name());
      return new Target(
          null,
          new Problem(
              Problem.Reason.VCenterNotReady,
              "VCenter '"
                  + choice.name()
                  + "' has no working connection yet (see its status conditions)"),
          startingUp ? STARTUP_WAIT : PROBLEM_RETRY,
          startingUp);
    }
    String paused = endpoint.get().pausedBecause();
    if (paused != null) {
      return new Target(
          null,
          new Problem(
              Problem.Reason.VcenterUnreachable,
              "vCenter '" + choice.name() + "' unreachable: " + paused),
          Endpoint.UNREACHABLE_PAUSE);
    }
    return new Target(endpoint.get(), null, null);
  }

  /** The vCenter this group maps to now, or why none. */
  EndpointSelector.Choice choose(VmGroup group) {
    String namespace = group.getMetadata().getNamespace();
    String requested = group.getSpec() == null ? null : group.getSpec().getVcenter();
    List<EndpointSelector.Candidate> candidates = List.of();
    Map<String, String> labels = null;
    if (vcenterInformer != null) {
      candidates =
          vcenterInformer
              .list()
              // A VCenter being deleted takes no new groups; its own keep working (and can
              // scale to 0 or be deleted), which is what its deletion waits for.
              .filter(
                  vc ->
                      vc.getMetadata().getDeletionTimestamp() == null
                          || vc.getMetadata().getName().equals(recordedVcenter(group.getStatus())))
              // the own vCenter's name is reserved while it exists (the VCenter says so)
              .filter(
                  vc ->
                      endpoints.own().isEmpty()
                          || !Endpoints.DEFAULT_NAME.equals(vc.getMetadata().getName()))
              .map(
                  vc ->
                      new EndpointSelector.Candidate(
                          vc.getMetadata().getName(),
                          vc.getSpec() == null ? null : vc.getSpec().allowedNamespaces))
              .toList();
      labels =
          namespaceInformer
              .get(new ResourceID(namespace))
              .map(
                  n ->
                      n.getMetadata().getLabels() == null
                          ? Map.<String, String>of()
                          : n.getMetadata().getLabels())
              .orElse(null);
    }
    return EndpointSelector.select(namespace, requested, candidates, labels, endpoints.ownName());
  }

  /**
   * The VCenter's spec as the informer has it now: a quota edited a moment ago applies to the next
   * clone, not only once the VCenter controller has handled the edit.
   */
  Optional<VCenterSpec> spec(Endpoint ep) {
    if (ep.isOwn() || vcenterInformer == null) {
      return Optional.empty();
    }
    return vcenterInformer.get(new ResourceID(ep.name())).map(VCenter::getSpec);
  }

  /** True when the VCenter's status says Ready: its client existed and worked a moment ago. */
  private boolean lastSeenReady(String name) {
    if (vcenterInformer == null) {
      return false;
    }
    return vcenterInformer
        .get(new ResourceID(name))
        .map(VCenter::getStatus)
        .map(st -> st.conditions)
        .map(
            cs ->
                cs.stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .orElse(false);
  }

  /**
   * The vCenter that holds the group's VMs by its status; groups from before status.vcenter existed
   * have theirs on the operator's own.
   */
  static String recordedVcenter(VmGroupStatus status) {
    if (status == null) {
      return null;
    }
    if (status.getVcenter() != null) {
      return status.getVcenter();
    }
    return hadVms(status) ? Endpoints.DEFAULT_NAME : null;
  }

  static boolean hadVms(VmGroupStatus previous) {
    return previous != null
        && ((previous.getCurrentReplicas() != null && previous.getCurrentReplicas() > 0)
            || !previous.getVms().isEmpty());
  }
}
