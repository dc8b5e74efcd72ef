package com.codeconnect.vmgroup.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthServerTest {
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final AtomicReference<String> reason =
      new AtomicReference<>("caches not synced\n(still listing)");
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private HealthServer server;

  @BeforeEach
  void start() throws Exception {
    server = HealthServer.start(0, ready::get, reason::get, registry);
  }

  @AfterEach
  void stop() {
    server.close();
    registry.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @Test
  void healthzAnswersWhileTheProcessRunsEvenWhenNotReady() throws Exception {
    assertThat(server.port()).isPositive();
    HttpResponse<String> r = get("/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok\n");
  }

  @Test
  void readyzFollowsTheSupplierAndGivesAOneLineReason() throws Exception {
    HttpResponse<String> notReady = get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).isEqualTo("caches not synced (still listing)\n");

    reason.set("no vCenter session");
    assertThat(get("/readyz").body()).isEqualTo("no vCenter session\n");

    ready.set(true);
    HttpResponse<String> isReady = get("/readyz");
    assertThat(isReady.statusCode()).isEqualTo(200);
    assertThat(isReady.body()).isEqualTo("ok\n");

    ready.set(false);
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
  }

  @Test
  void aFailingReadinessCheckIsNotReady() throws Exception {
    server.close();
    server =
        HealthServer.start(
            0,
            () -> {
              throw new IllegalStateException("boom");
            },
            () -> "unused",
            registry);
    HttpResponse<String> r = get("/readyz");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("boom").doesNotContain("\n\n");
  }

  @Test
  void metricsServesPrometheusTextWithVcenterCalls() throws Exception {
    VcenterMetrics metrics = new VcenterMetrics(registry);
    metrics.onCall("RetrievePropertiesEx", "ok", Duration.ofMillis(12));
    metrics.onCall("RetrievePropertiesEx", "ok", Duration.ofMillis(30));
    metrics.onCall("CloneVM_Task", "NotAuthenticated", Duration.ofMillis(4));

    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain; version=0.0.4"));
    assertThat(r.body())
        .contains("# TYPE vcenter_calls_seconds histogram")
        .contains(
            "vcenter_calls_seconds_count{method=\"RetrievePropertiesEx\",outcome=\"ok\","
                + "protocol=\"soap\"} 2")
        .contains(
            "vcenter_calls_seconds_count{method=\"CloneVM_Task\",outcome=\"NotAuthenticated\","
                + "protocol=\"soap\"} 1")
        .contains(
            "vcenter_calls_seconds_bucket{method=\"RetrievePropertiesEx\",outcome=\"ok\","
                + "protocol=\"soap\",le=");
  }

  @Test
  void unknownPathsAndMethodsAreRejected() throws Exception {
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/healthz/extra").statusCode()).isEqualTo(404);
    assertThat(get("/metricsx").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        send(HttpRequest.newBuilder(uri("/healthz")).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void headGetsTheStatusWithoutABody() throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(uri("/readyz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void reasonsAreOneShortLine() {
    assertThat(HealthServer.oneLine(null)).isEqualTo("not ready");
    assertThat(HealthServer.oneLine("  \n ")).isEqualTo("not ready");
    assertThat(HealthServer.oneLine("a\r\n  b\nc")).isEqualTo("a b c");
    assertThat(HealthServer.oneLine("x".repeat(2000))).hasSize(500).endsWith("...");
  }
}
