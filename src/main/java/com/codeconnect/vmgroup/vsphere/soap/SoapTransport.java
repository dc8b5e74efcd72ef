package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

/**
 * POSTs SOAP envelopes to one SDK URL over this client's own {@link HttpClient}: no JVM-wide cookie
 * handler, trust settings or hostname-verification switches.
 */
final class SoapTransport {
  static final String SESSION_COOKIE = "vmware_soap_session";

  /** A response that arrived whole: status, body and the session cookie if the server set one. */
  record Response(int status, byte[] body, String sessionCookie) {}

  private final URI url;
  private final HttpClient http;
  private final TlsSupport.RecordingTrustManager trustManager;
  private final Duration timeout;
  private final long maxResponseBytes;

  SoapTransport(URI url, TlsTrust trust, Duration timeout, long maxResponseBytes) {
    this.url = url;
    this.timeout = timeout;
    this.maxResponseBytes = maxResponseBytes;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeout);
    if ("https".equalsIgnoreCase(url.getScheme())) {
      TlsSupport.Tls tls = TlsSupport.build(trust);
      SSLParameters params = tls.context().getDefaultSSLParameters();
      b.sslContext(tls.context()).sslParameters(params);
      this.trustManager = tls.trustManager();
    } else {
      this.trustManager = null;
    }
    this.http = b.build();
  }

  URI url() {
    return url;
  }

  /**
   * Sends one request. The timeout covers the whole exchange including the body, which the
   * per-request timeout of {@link HttpClient} alone does not.
   *
   * @param cookie the session cookie value as the server set it, or null before login
   */
  Response post(String soapAction, byte[] body, String cookie) {
    return post(soapAction, body, cookie, timeout);
  }

  /**
   * Sends one request with its own time limit, e.g. a long poll that the server holds open longer
   * than the normal timeout. Concurrent calls run on separate connections: nothing here serializes
   * them.
   */
  Response post(String soapAction, byte[] body, String cookie, Duration timeout) {
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", soapAction)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (cookie != null) {
      rb.header("Cookie", SESSION_COOKIE + "=" + cookie);
    }
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(
            rb.build(),
            info ->
                new BoundedSubscriber(
                    maxResponseBytes,
                    info.headers().firstValueAsLong("Content-Length").orElse(-1)));
    try {
      HttpResponse<byte[]> r = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Response(r.statusCode(), r.body(), sessionCookie(r));
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new VsphereException.Transport(
          "no complete response from " + hostPort() + " within " + timeout, null);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new VsphereException.Transport("interrupted while calling " + hostPort(), e);
    } catch (ExecutionException e) {
      throw translate(e.getCause(), timeout);
    }
  }

  private VsphereException translate(Throwable t, Duration timeout) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ResponseTooLarge) {
        return new VsphereException.Protocol(
            "response from " + hostPort() + " exceeds " + maxResponseBytes + " bytes; refused",
            null);
      }
      if (c instanceof SSLHandshakeException) {
        X509Certificate refused = trustManager == null ? null : trustManager.lastRefused();
        if (refused != null) {
          return new VsphereException.CertificateRejected(
              "TLS certificate of "
                  + hostPort()
                  + " was refused (SHA-256 thumbprint "
                  + TlsSupport.thumbprint(refused)
                  + "): "
                  + rootMessage(c),
              c);
        }
        return new VsphereException.Transport(
            "TLS handshake with " + hostPort() + " failed: " + rootMessage(c), c);
      }
      if (c instanceof HttpTimeoutException) {
        return new VsphereException.Transport(
            "no response from " + hostPort() + " within " + timeout, c);
      }
    }
    return new VsphereException.Transport(
        "call to " + hostPort() + " failed: " + rootMessage(t), t);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : " " + m);
  }

  String hostPort() {
    int port = url.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }
    return url.getHost() + ":" + port;
  }

  private static String sessionCookie(HttpResponse<?> r) {
    for (String header : r.headers().allValues("Set-Cookie")) {
      String h = header.trim();
      if (h.startsWith(SESSION_COOKIE + "=")) {
        int end = h.indexOf(';');
        return h.substring(SESSION_COOKIE.length() + 1, end < 0 ? h.length() : end);
      }
    }
    return null;
  }

  private static final class ResponseTooLarge extends IOException {
    ResponseTooLarge() {
      super("response too large");
    }
  }

  /** Collects the body but gives up (and cancels the stream) once it passes the limit. */
  private static final class BoundedSubscriber implements BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final long max;
    private final long declared;
    private ByteArrayOutputStream buffer;
    private Flow.Subscription subscription;
    private long received;

    BoundedSubscriber(long max, long declared) {
      this.max = max;
      this.declared = declared;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (declared > max) {
        s.cancel();
        result.completeExceptionally(new ResponseTooLarge());
        return;
      }
      buffer = new ByteArrayOutputStream((int) Math.min(declared > 0 ? declared : 8192, 1 << 20));
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        received += b.remaining();
        if (received > max) {
          subscription.cancel();
          buffer = null;
          result.completeExceptionally(new ResponseTooLarge());
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        buffer.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      if (!result.isDone()) {
        result.complete(buffer.toByteArray());
      }
    }
  }
}
