package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.AboutInfo;
import com.codeconnect.vmgroup.vsphere.CallListener;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.Filter;
import com.codeconnect.vmgroup.vsphere.soap.SoapDecoding.ObjectContent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls themselves: one HTTP round trip per vim25 method over {@link SoapTransport} (which
 * bounds every response), SOAP faults mapped to {@link VsphereException}s with the client's secrets
 * masked, every call counted and told to the listener, and the multi-call patterns reads are made
 * of (paged retrieval, a container view for one read). It never logs in: callers pass the session a
 * call runs on, and {@link SoapSession} decides which that is.
 */
final class SoapRpc {
  private static final Logger LOG = LoggerFactory.getLogger(SoapRpc.class);

  /**
   * The SOAPAction before the server has told us its version. 6.5 is the oldest release whose API
   * this client uses (e.g. reportMissingObjectsInResults) and every newer vCenter still serves it;
   * afterwards the client switches to the server's own apiVersion.
   */
  static final String INITIAL_API_VERSION = "6.5";

  private static final int MAX_OBJECTS_PER_PAGE = 1000;

  /**
   * Pages of one retrieval: 500,000 objects, far beyond any inventory the operator manages. A
   * server that hands out continuation tokens forever must not keep the caller (and its memory)
   * forever.
   */
  static final int MAX_PAGES = 500;

  /** A logged-in session; a new object per login, so identity tells sessions apart. */
  record Session(long generation, String cookie, String key) {}

  /** The managers the client talks to, and what the server says about itself. */
  record ServiceContent(
      AboutInfo about,
      MoRef rootFolder,
      MoRef propertyCollector,
      MoRef viewManager,
      MoRef searchIndex,
      MoRef sessionManager,
      MoRef customFieldsManager) {}

  /** A call's answer, and the session cookie the server set with it (Login's). */
  record Reply(XmlElement content, String cookie) {}

  /** Masks the secrets the session holds, plus one more, in an exception about to leave. */
  @FunctionalInterface
  interface Redactor {
    VsphereException redact(VsphereException e, String alsoSecret);
  }

  private final SoapTransport transport;
  private final ResponseParser parser = new ResponseParser();
  private final Duration timeout;
  private final Redactor redactor;
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private volatile CallListener listener;
  private volatile String apiVersion = INITIAL_API_VERSION;
  private volatile ServiceContent content;
  // when the last call started or ended, and how many long polls are outstanding: the keep-alive
  // pings only a session nobody uses
  private volatile long lastActivityNanos = System.nanoTime();
  private final AtomicInteger longPolls = new AtomicInteger();

  SoapRpc(SoapTransport transport, Duration timeout, CallListener listener, Redactor redactor) {
    this.transport = transport;
    this.timeout = timeout;
    this.listener = listener;
    this.redactor = redactor;
  }

  /** host:port of the vCenter, for messages. */
  String hostPort() {
    return transport.hostPort();
  }

  Duration timeout() {
    return timeout;
  }

  void setListener(CallListener listener) {
    this.listener = listener;
  }

  long callCount(String method) {
    LongAdder a = calls.get(method);
    return a == null ? 0 : a.sum();
  }

  Map<String, Long> callCounts() {
    Map<String, Long> counts = new TreeMap<>();
    calls.forEach((method, n) -> counts.put(method, n.sum()));
    return counts;
  }

  long callCount() {
    return calls.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** True when no call has started or ended for {@code interval} and no long poll is waiting. */
  boolean idleFor(Duration interval) {
    return longPolls.get() == 0 && System.nanoTime() - lastActivityNanos >= interval.toNanos();
  }

  // ---------------------------------------------------------------- service content

  /** The service content as last fetched, or null before the first fetch. */
  ServiceContent content() {
    return content;
  }

  /** Asks the server for its service content (no session needed) and adopts its API version. */
  ServiceContent fetchContent() {
    XmlElement r =
        invoke("RetrieveServiceContent", SoapRequests.retrieveServiceContent(), null, null)
            .content();
    XmlElement rv = r.child("returnval");
    if (rv == null) {
      throw new VsphereException.Protocol("RetrieveServiceContent returned nothing", null);
    }
    XmlElement about = rv.child("about");
    AboutInfo info =
        about == null
            ? new AboutInfo(null, null, null, null)
            : new AboutInfo(
                about.childText("fullName"),
                about.childText("version"),
                about.childText("apiVersion"),
                about.childText("instanceUuid"));
    ServiceContent sc =
        new ServiceContent(
            info,
            rv.childMoRef("rootFolder"),
            rv.childMoRef("propertyCollector"),
            rv.childMoRef("viewManager"),
            rv.childMoRef("searchIndex"),
            rv.childMoRef("sessionManager"),
            rv.childMoRef("customFieldsManager"));
    if (sc.sessionManager() == null || sc.propertyCollector() == null || sc.rootFolder() == null) {
      throw new VsphereException.Protocol("service content lacks core managers", null);
    }
    if (info.apiVersion() != null && !info.apiVersion().isBlank()) {
      apiVersion = info.apiVersion().trim();
    }
    content = sc;
    return sc;
  }

  // ---------------------------------------------------------------- calls

  XmlElement call(String method, byte[] body, Session s) {
    return invoke(method, body, s, null).content();
  }

  /** A call whose answer is a new object: a folder, task, view, collector or filter. */
  MoRef callForRef(String method, byte[] body, Session s) {
    return SoapDecoding.returnedRef(call(method, body, s), method);
  }

  /**
   * A call that waits on the server by design (WaitForUpdatesEx): it counts as activity for the
   * keep-alive while it is outstanding.
   */
  XmlElement longPoll(String method, byte[] body, Session s, Duration callTimeout) {
    longPolls.incrementAndGet();
    try {
      return invoke(method, body, s, callTimeout).content();
    } finally {
      longPolls.decrementAndGet();
      lastActivityNanos = System.nanoTime();
    }
  }

  /**
   * One HTTP round trip; maps SOAP faults and counts the call.
   *
   * @param s null for the calls that need no session
   * @param callTimeout null for the client's normal timeout
   */
  Reply invoke(String method, byte[] body, Session s, Duration callTimeout) {
    long start = System.nanoTime();
    lastActivityNanos = start;
    String outcome = "ok";
    String responseCookie = null;
    try {
      SoapTransport.Response r =
          transport.post(
              "urn:vim25/" + apiVersion,
              body,
              s == null ? null : s.cookie(),
              callTimeout == null ? timeout : callTimeout);
      responseCookie = r.sessionCookie();
      if (r.status() == 200) {
        XmlElement c = ResponseParser.bodyContent(parser.parse(r.body()));
        if (c.name().equals("Fault")) {
          throw FaultMapper.fromSoapFault(method, c);
        }
        return new Reply(c, r.sessionCookie());
      }
      if (r.status() == 500) {
        XmlElement c;
        try {
          c = ResponseParser.bodyContent(parser.parse(r.body()));
        } catch (VsphereException.Protocol e) {
          throw new VsphereException.Transport(
              method + ": HTTP 500 from " + transport.hostPort() + " without a SOAP fault", null);
        }
        if (c.name().equals("Fault")) {
          throw FaultMapper.fromSoapFault(method, c);
        }
        throw new VsphereException.Transport(
            method + ": HTTP 500 from " + transport.hostPort() + " without a SOAP fault", null);
      }
      throw new VsphereException.Transport(
          method + ": HTTP " + r.status() + " from " + transport.hostPort(), null);
    } catch (VsphereException e) {
      outcome = e.faultType();
      throw redactor.redact(e, responseCookie);
    } catch (RuntimeException e) {
      outcome = e.getClass().getSimpleName();
      throw e;
    } finally {
      long end = System.nanoTime();
      lastActivityNanos = end;
      Duration latency = Duration.ofNanos(end - start);
      calls.computeIfAbsent(method, k -> new LongAdder()).increment();
      LOG.debug("{} -> {} in {} ms", method, outcome, latency.toMillis());
      CallListener l = listener;
      if (l != null) {
        try {
          l.onCall(method, outcome, latency);
        } catch (RuntimeException e) {
          LOG.warn("SOAP call listener failed", e);
        }
      }
    }
  }

  // ---------------------------------------------------------------- reads

  /**
   * Runs {@code op} on a ContainerView of {@code container} holding {@code types}, recursively, and
   * destroys the view afterwards.
   */
  <T> T withView(Session s, MoRef container, List<String> types, Function<MoRef, T> op) {
    MoRef view =
        callForRef(
            "CreateContainerView",
            SoapRequests.createContainerView(content.viewManager(), container, types, true),
            s);
    try {
      return op.apply(view);
    } catch (VsphereException.ManagedObjectNotFound e) {
      if (view.equals(e.object())) {
        // A view lives in its session: gone means the session ended between the calls (a
        // session-less read is let through by some servers and then misses the view). Logging in
        // again and repeating the read is what the caller's session handling does for that.
        throw new VsphereException.NotAuthenticated(
            "container view " + view + " gone with its session");
      }
      throw e;
    } finally {
      try {
        call("DestroyView", SoapRequests.destroyView(view), s);
      } catch (VsphereException e) {
        // the view dies with its session anyway; never hide the operation's own outcome
        LOG.debug("DestroyView {} failed: {}", view, e.getMessage());
      }
    }
  }

  /** RetrievePropertiesEx and, while the server hands out a token, ContinueRetrievePropertiesEx. */
  List<ObjectContent> retrieve(Session s, Filter filter) {
    MoRef pc = content.propertyCollector();
    List<ObjectContent> out = new ArrayList<>();
    XmlElement r =
        call(
            "RetrievePropertiesEx",
            SoapRequests.retrievePropertiesEx(pc, filter, MAX_OBJECTS_PER_PAGE),
            s);
    for (int page = 1; ; page++) {
      XmlElement rv = r.child("returnval");
      if (rv == null) {
        return out;
      }
      for (XmlElement o : rv.children("objects")) {
        out.add(SoapDecoding.objectContent(o));
      }
      String token = rv.childText("token");
      if (token == null || token.isEmpty()) {
        return out;
      }
      if (page >= MAX_PAGES) {
        throw new VsphereException.Protocol(
            "RetrievePropertiesEx still had more after " + MAX_PAGES + " pages; refused", null);
      }
      r =
          call(
              "ContinueRetrievePropertiesEx",
              SoapRequests.continueRetrievePropertiesEx(pc, token),
              s);
    }
  }
}
