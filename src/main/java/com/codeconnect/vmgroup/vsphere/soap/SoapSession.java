package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.LoginGate;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.SessionSlot;
import com.codeconnect.vmgroup.vsphere.SessionState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.soap.SoapRpc.Reply;
import com.codeconnect.vmgroup.vsphere.soap.SoapRpc.ServiceContent;
import com.codeconnect.vmgroup.vsphere.soap.SoapRpc.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's one vCenter session: logs in on the first call that needs it and, when a call fails
 * with NotAuthenticated, logs in again once (shared by all callers that lost the same session) and
 * retries that call once. The only re-login is after the server dropped the session, so there is no
 * old session left to log out; {@link #close()} logs out.
 *
 * <p>Credentials vCenter refused are not tried again for a backoff that doubles while they stay the
 * same, so a wrong password can't lock the account ({@link LoginGate}, shared with the REST
 * client). The session also owns the secrets (cookie, password) and so the masking of them in every
 * exception the client lets out.
 *
 * <p>Background activity: only the keep-alive, which calls CurrentTime when the session has seen no
 * call for the keep-alive interval; an outstanding WaitForUpdatesEx counts as a call.
 */
final class SoapSession {
  private static final Logger LOG = LoggerFactory.getLogger(SoapSession.class);

  private final SoapRpc rpc;
  private final Supplier<Credentials> credentials;
  private final SessionKeepAlive keepAlive;
  private final SessionSlot<Session> slot;
  private final RequestSecrets requestSecrets = new RequestSecrets();

  /**
   * @param keepAlive {@link Duration#ZERO}: no keep-alive
   * @param gate holds back credentials vCenter refused; shared with the REST client of the same
   *     vCenter, since both log in with the same account
   */
  SoapSession(SoapRpc rpc, Supplier<Credentials> credentials, Duration keepAlive, LoginGate gate) {
    this.rpc = rpc;
    this.credentials = credentials;
    this.slot = new SessionSlot<>(credentials, gate, rpc.hostPort(), SoapSession::closedClient);
    this.keepAlive =
        keepAlive.isZero() ? null : new SessionKeepAlive(keepAlive, this::keepAliveTick);
  }

  /**
   * Runs {@code op} with a session. If it fails with NotAuthenticated, logs in again (or waits for
   * the login another caller already started for the same lost session) and runs it once more.
   * Retrying is safe even for CreateFolder or CloneVM_Task: vCenter checks the session before it
   * does anything, so a NotAuthenticated call had no effect.
   */
  <T> T withSession(Function<Session, T> op) {
    try {
      Session s = current();
      try {
        return op.apply(s);
      } catch (VsphereException.NotAuthenticated e) {
        LOG.debug("session on {} lost, logging in again", rpc.hostPort());
        return op.apply(after(s));
      }
    } catch (VsphereException e) {
      throw redact(e);
    }
  }

  /** The current session, logging in if there is none. */
  Session current() {
    Session s = slot.get();
    return s != null ? s : after(null);
  }

  /** The session in use right now, or null; never logs in. */
  Session ifAny() {
    return slot.get();
  }

  boolean isClosed() {
    return slot.isClosed();
  }

  /** One cheap authenticated call (CurrentTime), logging in first when there is no session. */
  void check() {
    withSession(s -> rpc.invoke("CurrentTime", SoapRequests.currentTime(), s, null));
  }

  SessionState state() {
    return slot.state();
  }

  /**
   * A new session unless someone already replaced {@code lost}. Callers queue on one lock, so a
   * lost session costs one Login however many threads noticed. A login that fails is not repeated
   * by the callers that were waiting for it: they get its fault, so a wrong password can't lock the
   * account through a burst of attempts.
   */
  Session after(Session lost) {
    return slot.after(
        lost,
        (previous, attempt) -> login(previous == null ? 0 : previous.generation() + 1, attempt));
  }

  private Session login(long generation, Credentials c) {
    ServiceContent sc = rpc.content() != null ? rpc.content() : rpc.fetchContent();
    Reply reply;
    try {
      reply =
          rpc.invoke(
              "Login", SoapRequests.login(sc.sessionManager(), c.user(), c.password()), null, null);
    } catch (VsphereException e) {
      throw scrubbed(e, c.password());
    }
    if (reply.cookie() == null) {
      throw new VsphereException.Protocol(
          "Login succeeded but " + rpc.hostPort() + " set no session cookie", null);
    }
    XmlElement rv = reply.content().child("returnval");
    String key = rv == null ? null : rv.childText("key");
    return new Session(generation, reply.cookie(), key);
  }

  /** Logs out and stops the keep-alive; best effort. */
  void close() {
    if (slot.isClosed()) {
      return;
    }
    Session s = slot.close();
    if (keepAlive != null) {
      keepAlive.stop();
    }
    ServiceContent sc = rpc.content();
    if (s != null && sc != null) {
      try {
        rpc.call("Logout", SoapRequests.logout(sc.sessionManager()), s);
      } catch (VsphereException e) {
        LOG.debug("logout from {} failed: {}", rpc.hostPort(), e.getMessage());
      }
    }
  }

  static VsphereException closedClient() {
    return new VsphereException("ClientClosed", "the vCenter client is closed", false);
  }

  /**
   * Makes one cheap call (CurrentTime, which is what govmomi's keep-alive uses too) when the
   * session has been idle for the keep-alive interval; nothing without a session or while a long
   * poll is outstanding.
   */
  private void keepAliveTick(Duration interval) {
    Session s = slot.get();
    if (slot.isClosed() || s == null || !rpc.idleFor(interval)) {
      return;
    }
    try {
      rpc.invoke("CurrentTime", SoapRequests.currentTime(), s, null);
    } catch (VsphereException e) {
      LOG.debug("keep-alive call to {} failed: {}", rpc.hostPort(), e.getMessage());
    }
  }

  // ---------------------------------------------------------------- secrets

  /**
   * Masks these values, too, in every message from now on: secrets of a request about to be sent.
   */
  void maskAlso(Collection<String> secrets) {
    if (!secrets.isEmpty()) {
      requestSecrets.add(secrets);
    }
  }

  /** The exception without any secret this client holds, and of bounded length. */
  VsphereException redact(VsphereException e) {
    return redact(e, null);
  }

  /**
   * @param alsoSecret one more value to mask, e.g. a cookie the server set on a failed call
   */
  VsphereException redact(VsphereException e, String alsoSecret) {
    List<String> secrets = new ArrayList<>(requestSecrets.all());
    Session s = slot.get();
    if (s != null) {
      secrets.add(s.cookie());
    }
    if (alsoSecret != null) {
      secrets.add(alsoSecret);
    }
    if (e.getMessage() != null) {
      try {
        Credentials c = credentials.get();
        if (c != null) {
          secrets.add(c.password());
        }
      } catch (RuntimeException unreadable) {
        // without the password there is nothing to mask it with; the cookie still is
      }
    }
    return Redaction.clean(e, secrets);
  }

  /** A task's error reaches conditions and Events like a thrown one. */
  TaskInfo redact(TaskInfo info) {
    return info.error() == null
        ? info
        : new TaskInfo(info.task(), info.state(), info.result(), redact(info.error()));
  }

  /** A task's error reaches conditions and Events like a thrown one. */
  ObjectChange redact(ObjectChange c) {
    if (!(c.values().get("error") instanceof VsphereException e)) {
      return c;
    }
    VsphereException clean = redact(e);
    if (clean == e) {
      return c;
    }
    Map<String, Object> values = new HashMap<>(c.values());
    values.put("error", clean);
    return new ObjectChange(c.ref(), c.kind(), c.op(), values);
  }

  /** The server's own message could in theory echo the password; make sure ours never do. */
  private static VsphereException scrubbed(VsphereException e, String password) {
    String m = e.getMessage();
    if (password.isEmpty() || m == null || !m.contains(password)) {
      return e;
    }
    String clean = m.replace(password, "***");
    if (e instanceof VsphereException.InvalidLogin) {
      return new VsphereException.InvalidLogin(clean);
    }
    if (e instanceof VsphereException.NotAuthenticated) {
      return new VsphereException.NotAuthenticated(clean);
    }
    return new VsphereException(e.faultType(), clean, e.isTransient());
  }

  /** Package-private for tests: the current session key, e.g. to terminate it out of band. */
  String key() {
    Session s = slot.get();
    return s == null ? null : s.key();
  }
}
