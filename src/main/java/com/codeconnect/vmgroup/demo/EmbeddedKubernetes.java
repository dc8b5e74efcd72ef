package com.codeconnect.vmgroup.demo;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fabric8's mock API server in CRUD mode, for the demo when no cluster is configured. It has no
 * schema validation, server-side apply or scale subresource; the operator doesn't rely on them.
 *
 * <p>It does apply the two rules of a real API server about {@code events.k8s.io/v1} Events that
 * the operator once broke without the mock noticing ({@link EventRules}): only an Event's series
 * may change, and an Event lives in its object's namespace ({@code default} for a cluster-scoped
 * object).
 */
public final class EmbeddedKubernetes implements AutoCloseable {
  public static final String CRD_RESOURCE =
      "META-INF/fabric8/vmgroups.vm.codeconnect.vmworld.com-v1.yml";
  public static final String VCENTER_CRD_RESOURCE =
      "META-INF/fabric8/vcenters.vm.codeconnect.vmworld.com-v1.yml";

  // Held so the level set below survives: JUL keeps loggers only weakly.
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final RulesReviewingDispatcher dispatcher;
  private final KubernetesClient client;

  private EmbeddedKubernetes(KubernetesMockServer server, RulesReviewingDispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.client = server.createClient();
  }

  public static EmbeddedKubernetes start() {
    // The mock logs every request at INFO through java.util.logging; the demo's output is the
    // tables, not the traffic.
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    RulesReviewingDispatcher dispatcher = new RulesReviewingDispatcher();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    return new EmbeddedKubernetes(server, dispatcher);
  }

  /**
   * The CRUD dispatcher, plus an answer to SelfSubjectRulesReview: JOSDK asks it before leader
   * election, and CRUD mode can only store objects, not review rules. The answer grants what the
   * operator's RBAC grants for leases.
   */
  private static final class RulesReviewingDispatcher extends KubernetesCrudDispatcher {
    private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();

    RulesReviewingDispatcher() {
      super(List.of());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      byKind
          .computeIfAbsent(kindOf(request.getMethod(), request.getPath()), k -> new LongAdder())
          .increment();
      return super.dispatch(request);
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
      String refused = EventRules.refusesCreate(request.getPath(), body(request));
      if (refused != null) {
        return EventRules.invalid(refused);
      }
      if (request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
        SelfSubjectRulesReview review =
            new SelfSubjectRulesReviewBuilder()
                .withNewMetadata()
                .endMetadata()
                .withNewStatus()
                .withIncomplete(false)
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("get", "create", "update")
                .endResourceRule()
                .endStatus()
                .build();
        return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
      }
      return super.handleCreate(request);
    }

    /** The request's body, left in place for the CRUD dispatcher (reading it consumes it). */
    private static String body(RecordedRequest request) {
      return request.getBody() == null
          ? ""
          : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
      String refused = refusesChange(request);
      return refused != null ? EventRules.invalid(refused) : super.handlePatch(request);
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
      String refused = refusesChange(request);
      return refused != null ? EventRules.invalid(refused) : super.handleUpdate(request);
    }

    private String refusesChange(RecordedRequest request) {
      String path = request.getPath();
      int query = path.indexOf('?');
      String object = query < 0 ? path : path.substring(0, query);
      if (!EventRules.isEvent(object)) {
        return null;
      }
      MockResponse stored = super.handleGet(object);
      String before =
          stored.code() != 200 || stored.getBody() == null
              ? "{}"
              : new String(stored.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return EventRules.refusesChange(body(request), before);
    }
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * HTTP requests the server has received so far, from every client (the benchmark counts them).
   */
  public int requestCount() {
    return server.getRequestCount();
  }

  /**
   * The same requests by verb and resource ({@code "PUT vmgroups/status"}, {@code "POST events"},
   * {@code "LIST vmgroups"}, {@code "WATCH vmgroups"}): where the API server's work goes, not just
   * how much.
   */
  public Map<String, Long> requestsByKind() {
    Map<String, Long> counts = new TreeMap<>();
    dispatcher.byKind.forEach((k, v) -> counts.put(k, v.sum()));
    return counts;
  }

  /**
   * {@code GET /api/v1/namespaces/ns/events/x} becomes {@code GET events}, {@code PUT
   * /apis/g/v/namespaces/ns/vmgroups/x/status} {@code PUT vmgroups/status}, and a GET of a
   * collection {@code LIST} or {@code WATCH}: object names would make every key unique.
   */
  static String kindOf(String method, String path) {
    int query = path.indexOf('?');
    boolean watch = query >= 0 && path.indexOf("watch=true", query) >= 0;
    String[] parts = (query >= 0 ? path.substring(0, query) : path).split("/");
    // "", "api", v1, ... or "", "apis", group, version, ...
    int i = parts.length > 1 && parts[1].equals("apis") ? 4 : 3;
    if (i + 2 < parts.length && parts[i].equals("namespaces")) {
      i += 2;
    }
    if (i >= parts.length) {
      return method + " " + String.join("/", parts);
    }
    boolean collection = i + 1 >= parts.length;
    String verb = method;
    if (method.equals("GET") && collection) {
      verb = watch ? "WATCH" : "LIST";
    }
    return verb + " " + parts[i] + (i + 2 < parts.length ? "/" + parts[i + 2] : "");
  }

  /** Installs the VmGroup CRD (as `kubectl create -f deploy/crd/...` would). */
  public static CustomResourceDefinition installCrd(KubernetesClient client) {
    return installCrd(client, CRD_RESOURCE);
  }

  /** Installs the VCenter CRD, for runs that use VCenter resources. */
  public static CustomResourceDefinition installVCenterCrd(KubernetesClient client) {
    return installCrd(client, VCENTER_CRD_RESOURCE);
  }

  private static CustomResourceDefinition installCrd(KubernetesClient client, String resource) {
    try (InputStream in = EmbeddedKubernetes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(in).item();
      return client.resource(crd).createOr(NonDeletingOperation::update);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
