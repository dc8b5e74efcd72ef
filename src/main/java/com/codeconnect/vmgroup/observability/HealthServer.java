package com.codeconnect.vmgroup.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's small HTTP endpoint for the kubelet and Prometheus, on the JDK's own server:
 *
 * <ul>
 *   <li>{@code /healthz}: 200 while the process runs (liveness)
 *   <li>{@code /readyz}: 200 when {@code ready} says so, else 503 with a one-line reason
 *       (readiness)
 *   <li>{@code /metrics}: the registry in Prometheus text format
 * </ul>
 *
 * Paths match exactly; anything else is 404, methods other than GET and HEAD are 405. One daemon
 * thread serves all requests: probes and scrapes are rare and cheap.
 */
public final class HealthServer implements AutoCloseable {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String PLAIN = "text/plain; charset=utf-8";
  private static final Logger log = LoggerFactory.getLogger(HealthServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final BooleanSupplier ready;
  private final Supplier<String> notReadyReason;
  private final PrometheusMeterRegistry registry;

  /**
   * Binds and starts serving.
   *
   * @param address where to listen, e.g. {@code new InetSocketAddress(8080)}; port 0 picks a free
   *     port (see {@link #port()})
   * @param ready whether the operator is ready (caches synced, a vCenter session valid); asked at
   *     every {@code /readyz}, so it must be cheap and must not block
   * @param notReadyReason a one-line reason shown with the 503, e.g. {@code "no vCenter session"}
   * @param registry the registry {@code /metrics} exposes
   */
  public HealthServer(
      InetSocketAddress address,
      BooleanSupplier ready,
      Supplier<String> notReadyReason,
      PrometheusMeterRegistry registry)
      throws IOException {
    this.ready = Objects.requireNonNull(ready, "ready");
    this.notReadyReason = Objects.requireNonNull(notReadyReason, "notReadyReason");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.server = HttpServer.create(Objects.requireNonNull(address, "address"), 16);
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "health-server");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    log.info("health and metrics server listening on port {}", port());
  }

  /** Starts a server on all interfaces at {@code port} (0 for any free port). */
  public static HealthServer start(
      int port,
      BooleanSupplier ready,
      Supplier<String> notReadyReason,
      PrometheusMeterRegistry registry)
      throws IOException {
    return new HealthServer(new InetSocketAddress(port), ready, notReadyReason, registry);
  }

  /** The port actually bound (useful after binding port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, PLAIN, "method not allowed\n");
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/healthz" -> respond(exchange, 200, PLAIN, "ok\n");
        case "/readyz" -> readiness(exchange);
        case "/metrics" -> respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
        default -> respond(exchange, 404, PLAIN, "not found\n");
      }
    } catch (RuntimeException e) {
      log.warn("health server failed to answer {}: {}", exchange.getRequestURI(), e.toString());
    }
  }

  private void readiness(HttpExchange exchange) throws IOException {
    boolean isReady;
    String reason;
    try {
      isReady = ready.getAsBoolean();
      reason = isReady ? null : notReadyReason.get();
    } catch (RuntimeException e) {
      isReady = false;
      reason = "readiness check failed: " + e;
    }
    if (isReady) {
      respond(exchange, 200, PLAIN, "ok\n");
    } else {
      respond(exchange, 503, PLAIN, oneLine(reason) + "\n");
    }
  }

  static String oneLine(String reason) {
    if (reason == null || reason.isBlank()) {
      return "not ready";
    }
    String line = reason.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    return line.length() <= 500 ? line : line.substring(0, 497) + "...";
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Stops listening at once (a probe or scrape in progress is cut; both are retried). Not {@code
   * stop(1)}: Java 17's server then waits the full second even when idle.
   */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
