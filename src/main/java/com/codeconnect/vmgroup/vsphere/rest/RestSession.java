package com.codeconnect.vmgroup.vsphere.rest;

import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.LoginGate;
import com.codeconnect.vmgroup.vsphere.SessionSlot;
import com.codeconnect.vmgroup.vsphere.SessionState;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's one REST session: logs in on the first call that needs it, choosing the rendering of
 * the API by what the server answers ({@code /api} where it is served, else {@code /rest}), and
 * when a call is answered 401 logs in again once (one login however many callers lost the same
 * session) and repeats that call once. Retrying is safe for every call: a 401 means vCenter did
 * nothing.
 *
 * <p>Credentials vCenter refused go through the {@link LoginGate} the SOAP session shares, so the
 * account sees no login attempts from either protocol while the gate holds them back. The session
 * owns the secrets (token, password) and masks them in every message the client lets out.
 */
final class RestSession {
  private static final Logger LOG = LoggerFactory.getLogger(RestSession.class);
  private static final String MASK = "***";

  /** A logged-in session; a new object per login, so identity tells sessions apart. */
  record Token(ApiFlavor flavor, String id) {
    /** The id is a bearer secret. */
    @Override
    public String toString() {
      return "Token[" + flavor + ", ***]";
    }
  }

  private final RestCalls calls;
  private final Supplier<Credentials> credentials;
  private final SessionSlot<Token> slot;
  private volatile ApiFlavor flavor;

  RestSession(RestCalls calls, Supplier<Credentials> credentials, LoginGate gate) {
    this.calls = calls;
    this.credentials = credentials;
    this.slot = new SessionSlot<>(credentials, gate, calls.hostPort(), RestSession::closedClient);
  }

  /** Runs {@code op} with a session; after a 401, once more with a new one. */
  <T> T withSession(Function<Token, T> op) {
    Token t = current();
    try {
      return op.apply(t);
    } catch (VsphereException.NotAuthenticated e) {
      LOG.debug("REST session on {} lost, logging in again", calls.hostPort());
      return op.apply(after(t));
    }
  }

  /** The current session, logging in if there is none. */
  Token current() {
    Token t = slot.get();
    return t != null ? t : after(null);
  }

  /** The rendering the server answered with, or null before the first login. */
  ApiFlavor flavor() {
    return flavor;
  }

  /**
   * A new session unless another caller already replaced {@code lost}. Callers that waited for a
   * login that failed get its failure, without trying again themselves.
   */
  Token after(Token lost) {
    return slot.after(lost, (previous, c) -> login(c));
  }

  private Token login(Credentials c) {
    ApiFlavor known = flavor;
    if (known != null) {
      String id = calls.createSession(known, c);
      if (id == null) {
        throw notServed(known);
      }
      return new Token(known, id);
    }
    // /api first: the renderings answer alike, and /rest is deprecated where /api exists
    for (ApiFlavor f : ApiFlavor.values()) {
      String id = calls.createSession(f, c);
      if (id != null) {
        flavor = f;
        LOG.info("vCenter {} serves its REST API under {}", calls.hostPort(), f.session());
        return new Token(f, id);
      }
    }
    throw new VsphereException(
        "NotSupported",
        "vCenter " + calls.hostPort() + " serves neither /api nor /rest (no session resource)",
        false);
  }

  private VsphereException notServed(ApiFlavor f) {
    return new VsphereException(
        "NotSupported", "vCenter " + calls.hostPort() + " no longer serves " + f.session(), false);
  }

  SessionState state() {
    return slot.state();
  }

  boolean isClosed() {
    return slot.isClosed();
  }

  /** Logs out, best effort; later calls fail with ClientClosed. */
  void close() {
    Token t = slot.close();
    if (t != null) {
      try {
        calls.deleteSession(t.flavor(), t.id());
      } catch (VsphereException e) {
        LOG.debug("REST logout from {} failed: {}", calls.hostPort(), e.getMessage());
      }
    }
  }

  static VsphereException closedClient() {
    return new VsphereException("ClientClosed", "the vCenter REST client is closed", false);
  }

  /**
   * The text with every secret this session holds replaced: the token, the password and the Basic
   * credentials built from them. Longest first, so a secret containing another is masked whole.
   */
  String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    List<String> secrets = new ArrayList<>(3);
    Token t = slot.get();
    if (t != null) {
      secrets.add(t.id());
    }
    try {
      Credentials c = credentials.get();
      if (c != null) {
        secrets.add(c.password());
        secrets.add(RestCalls.basic(c).substring("Basic ".length()));
      }
    } catch (RuntimeException unreadable) {
      // a supplier that fails leaves nothing to mask with; the token still is
    }
    secrets.removeIf(s -> s == null || s.isEmpty());
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    return out;
  }
}
