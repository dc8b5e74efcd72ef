package com.codeconnect.vmgroup.vsphere.rest;

import com.codeconnect.vmgroup.vsphere.CallListener;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls themselves: one HTTP exchange per operation over {@link RestTransport}, JSON in and out
 * through Jackson, error answers mapped by {@link RestErrors}, every call counted and told to the
 * listener under its operation name. It never logs in: callers pass the session token a call runs
 * with, and {@link RestSession} decides which that is.
 */
final class RestCalls {
  private static final Logger LOG = LoggerFactory.getLogger(RestCalls.class);
  static final String SESSION_HEADER = "vmware-api-session-id";

  /** Fields vCenter adds in later releases must not break an older client. */
  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * One operation.
   *
   * @param op the name metrics and messages use, e.g. {@code tag.attach}
   * @param body a value Jackson writes as the JSON body, or null for none
   * @param about the vCenter object the call is about, for a not-found answer; may be null
   */
  record Request(String op, String method, String path, Object body, MoRef about) {
    static Request get(String op, String path, MoRef about) {
      return new Request(op, "GET", path, null, about);
    }

    static Request post(String op, String path, Object body, MoRef about) {
      return new Request(op, "POST", path, body, about);
    }
  }

  private final RestTransport transport;
  private final Duration timeout;
  private final UnaryOperator<String> mask;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private volatile CallListener listener;

  /**
   * @param mask masks the client's secrets in every text an exception carries
   */
  RestCalls(
      RestTransport transport,
      Duration timeout,
      CallListener listener,
      UnaryOperator<String> mask) {
    this.transport = transport;
    this.timeout = timeout;
    this.listener = listener;
    this.mask = mask;
  }

  String hostPort() {
    return transport.hostPort();
  }

  void setListener(CallListener listener) {
    this.listener = listener;
  }

  /** Calls made so far by operation, failed ones included. */
  Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((op, n) -> out.put(op, n.sum()));
    return out;
  }

  /**
   * One call with a session.
   *
   * @param type what the answer holds; {@code Void.class} reads nothing
   * @param callTimeout null for the client's normal timeout
   */
  <T> T call(ApiFlavor flavor, String token, Request r, Class<T> type, Duration callTimeout) {
    Map<String, String> headers = Map.of(SESSION_HEADER, token);
    return timed(
        r.op(),
        () -> {
          RestTransport.Response answer =
              transport.send(
                  r.method(),
                  r.path(),
                  r.body() == null ? null : write(r.body()),
                  headers,
                  callTimeout == null ? timeout : callTimeout);
          if (answer.status() / 100 != 2) {
            throw RestErrors.of(
                JSON, r.op(), hostPort(), answer.status(), answer.body(), r.about(), mask);
          }
          return type == Void.class ? null : read(flavor, r.op(), answer.body(), type);
        });
  }

  /**
   * Logs in with the user and password. Returns null when the server doesn't serve this rendering
   * of the API at all (it answers that the session resource doesn't exist).
   */
  String createSession(ApiFlavor flavor, Credentials c) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", basic(c));
    // without it, /rest also sets a cookie: this client sends the header only
    headers.put("vmware-use-header-authn", "true");
    return timed(
        "session.create",
        () -> {
          RestTransport.Response answer =
              transport.send("POST", flavor.session(), null, headers, timeout);
          int status = answer.status();
          if (status == 401 || status == 403) {
            throw new VsphereException.InvalidLogin(
                mask.apply(
                    "vCenter "
                        + hostPort()
                        + " rejected the credentials of user '"
                        + c.user()
                        + "' (REST, HTTP "
                        + status
                        + ")"));
          }
          if (status == 404 || status == 405) {
            return null;
          }
          if (status / 100 != 2) {
            throw RestErrors.of(
                JSON, "session.create", hostPort(), status, answer.body(), null, mask);
          }
          String token = read(flavor, "session.create", answer.body(), String.class);
          if (token == null || token.isBlank()) {
            throw new VsphereException.Protocol(
                "session.create on " + hostPort() + " answered without a session id", null);
          }
          return token;
        });
  }

  void deleteSession(ApiFlavor flavor, String token) {
    timed(
        "session.delete",
        () -> {
          RestTransport.Response answer =
              transport.send(
                  "DELETE", flavor.session(), null, Map.of(SESSION_HEADER, token), timeout);
          if (answer.status() / 100 != 2) {
            throw RestErrors.of(
                JSON, "session.delete", hostPort(), answer.status(), answer.body(), null, mask);
          }
          return null;
        });
  }

  private interface Exchange<T> {
    T run();
  }

  private <T> T timed(String op, Exchange<T> exchange) {
    long start = System.nanoTime();
    String outcome = "ok";
    try {
      return exchange.run();
    } catch (VsphereException e) {
      outcome = e.faultType();
      throw e;
    } catch (RuntimeException e) {
      outcome = e.getClass().getSimpleName();
      throw e;
    } finally {
      Duration latency = Duration.ofNanos(System.nanoTime() - start);
      counts.computeIfAbsent(op, k -> new LongAdder()).increment();
      LOG.debug("REST {} -> {} in {} ms", op, outcome, latency.toMillis());
      CallListener l = listener;
      if (l != null) {
        try {
          l.onCall(CallListener.REST, op, outcome, latency);
        } catch (RuntimeException e) {
          LOG.warn("REST call listener failed", e);
        }
      }
    }
  }

  /**
   * The answer's value: the body itself under {@code /api}, its {@code value} under {@code /rest}.
   * Null when {@code /rest} sent no value (an empty list is sent that way by some servers).
   */
  private <T> T read(ApiFlavor flavor, String op, byte[] body, Class<T> type) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new VsphereException.Protocol(
          op + ": answer from " + hostPort() + " is not JSON", null);
    }
    if (root == null || root.isMissingNode()) {
      throw new VsphereException.Protocol(op + ": empty answer from " + hostPort(), null);
    }
    JsonNode value = root;
    if (flavor == ApiFlavor.REST) {
      if (!root.isObject()) {
        throw shape(op, "no object around the value");
      }
      value = root.get("value");
      if (value == null || value.isNull()) {
        return null;
      }
    }
    try {
      return JSON.treeToValue(value, type);
    } catch (JsonProcessingException e) {
      throw shape(op, e.getOriginalMessage());
    }
  }

  private VsphereException shape(String op, String detail) {
    return new VsphereException.Protocol(
        op
            + ": answer from "
            + hostPort()
            + " has an unexpected shape: "
            + RestErrors.bounded(mask.apply(detail == null ? "" : detail)),
        null);
  }

  private static byte[] write(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("request body not serializable", e);
    }
  }

  static String basic(Credentials c) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((c.user() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
  }
}
