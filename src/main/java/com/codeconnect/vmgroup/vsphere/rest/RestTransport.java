package com.codeconnect.vmgroup.vsphere.rest;

import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * One HTTP exchange with vCenter's REST endpoint over this client's own {@link HttpClient}: its own
 * TLS context (never the JVM's defaults), no cookies, no redirects, every response bounded and
 * every exchange, body included, bounded in time.
 */
final class RestTransport {
  /** An answer that arrived whole. */
  record Response(int status, byte[] body) {}

  private final URI base;
  private final HttpClient http;
  private final long maxResponseBytes;
  private final Supplier<String> refusedThumbprint;

  /**
   * @param base scheme, host and port of vCenter, e.g. {@code https://vc.example.com}
   * @param ssl the context for https, or null for plain http
   * @param refusedThumbprint the SHA-256 thumbprint of the certificate the context refused last, or
   *     null when it knows none
   */
  RestTransport(
      URI base,
      SSLContext ssl,
      Supplier<String> refusedThumbprint,
      Duration connectTimeout,
      long maxResponseBytes) {
    this.base = base;
    this.maxResponseBytes = maxResponseBytes;
    this.refusedThumbprint = refusedThumbprint == null ? () -> null : refusedThumbprint;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(connectTimeout);
    if ("https".equalsIgnoreCase(base.getScheme())) {
      if (ssl == null) {
        throw new IllegalArgumentException("https needs a TLS context");
      }
      b.sslContext(ssl).sslParameters(ssl.getDefaultSSLParameters());
    }
    this.http = b.build();
  }

  /**
   * @param pathAndQuery e.g. {@code /api/cis/tagging/tag-association?action=list-attached-tags}
   * @param body JSON, or null for none
   */
  Response send(
      String method,
      String pathAndQuery,
      byte[] body,
      Map<String, String> headers,
      Duration timeout) {
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(base.resolve(pathAndQuery))
            .timeout(timeout)
            .header("Accept", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      rb.header("Content-Type", "application/json");
    }
    headers.forEach(rb::header);
    CompletableFuture<HttpResponse<byte[]>> exchange =
        http.sendAsync(
            rb.build(),
            info ->
                new LimitedBody(
                    maxResponseBytes,
                    info.headers().firstValueAsLong("Content-Length").orElse(-1)));
    try {
      HttpResponse<byte[]> r = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Response(r.statusCode(), r.body());
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new VsphereException.Transport(
          "no complete answer from " + hostPort() + " within " + timeout, null);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new VsphereException.Transport("interrupted while calling " + hostPort(), e);
    } catch (ExecutionException e) {
      throw failure(e.getCause(), timeout);
    }
  }

  private VsphereException failure(Throwable t, Duration timeout) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof LimitedBody.TooLarge) {
        return new VsphereException.Protocol(
            "answer from " + hostPort() + " exceeds " + maxResponseBytes + " bytes; refused", null);
      }
      if (c instanceof HttpTimeoutException) {
        return new VsphereException.Transport(
            "no answer from " + hostPort() + " within " + timeout, c);
      }
      if (c instanceof SSLHandshakeException) {
        String thumbprint = refusedThumbprint.get();
        return thumbprint == null
            ? new VsphereException.Transport(
                "TLS handshake with " + hostPort() + " failed: " + describe(c), c)
            : new VsphereException.CertificateRejected(
                "TLS certificate of "
                    + hostPort()
                    + " was refused (SHA-256 thumbprint "
                    + thumbprint
                    + "): "
                    + describe(c),
                c);
      }
    }
    return new VsphereException.Transport("call to " + hostPort() + " failed: " + describe(t), t);
  }

  /** The innermost cause, which says what went wrong (the outer ones say where). */
  private static String describe(Throwable t) {
    Throwable inner = t;
    while (inner.getCause() != null && inner.getCause() != inner) {
      inner = inner.getCause();
    }
    return inner.getClass().getSimpleName()
        + (inner.getMessage() == null ? "" : " " + inner.getMessage());
  }

  String hostPort() {
    int port = base.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(base.getScheme()) ? 443 : 80;
    }
    return base.getHost() + ":" + port;
  }
}
