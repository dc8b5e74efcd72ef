package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps what a server said from carrying secrets or bulk into exception messages, which end up in
 * logs, Events and VmGroup conditions that many more people can read than vCenter's password.
 *
 * <p>A careless or hostile server can echo the session cookie or the password anywhere: a fault
 * string, a task error, an object id quoted in a "not a number" message. So the client passes every
 * exception it lets out through {@link #clean}, which replaces the secrets it holds with {@code
 * ***} (before shortening, so a cut can't leave half a secret) and bounds the length.
 */
final class Redaction {
  static final int MAX_MESSAGE = 2000;

  /**
   * Longer than {@link #MAX_MESSAGE}, and that is the point: where a server text is cut, a secret
   * echoed in it may be cut in two and then no longer be recognized. A message is masked whole and
   * only then cut to {@link #MAX_MESSAGE}, which drops any such piece.
   */
  static final int MAX_SERVER_TEXT = 4000;

  static final int MAX_FAULT_TYPE = 100;
  private static final String MASK = "***";

  private Redaction() {}

  /** A piece of server text for a message: control characters escaped, length bounded. */
  static String serverText(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_SERVER_TEXT + 16));
    for (int i = 0; i < s.length() && b.length() < MAX_SERVER_TEXT; i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\t') {
        b.append(' ');
      } else if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.length() < s.length() && b.length() >= MAX_SERVER_TEXT ? b + "..." : b.toString();
  }

  /** A fault type as a short identifier; anything else is not a vim25 type name. */
  static String faultType(String s) {
    if (s == null
        || s.isEmpty()
        || s.length() > MAX_FAULT_TYPE
        || !s.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '.')) {
      return "MethodFault";
    }
    return s;
  }

  /**
   * The exception with every secret masked and the message bounded; the same object when nothing
   * needed changing.
   */
  static VsphereException clean(VsphereException e, Collection<String> secrets) {
    String message = e.getMessage();
    String type = e.faultType();
    String cleanMessage = mask(message, secrets);
    if (cleanMessage != null && cleanMessage.length() > MAX_MESSAGE) {
      cleanMessage = cleanMessage.substring(0, MAX_MESSAGE) + "...";
    }
    String cleanType = mask(type, secrets);
    if (java.util.Objects.equals(cleanMessage, message)
        && java.util.Objects.equals(cleanType, type)) {
      return e;
    }
    VsphereException copy = withMessage(e, cleanType, cleanMessage);
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  private static String mask(String s, Collection<String> secrets) {
    if (s == null) {
      return null;
    }
    String out = s;
    // longest first: a secret that contains another is masked whole, not broken up by the other
    List<String> ordered = new ArrayList<>(secrets);
    ordered.removeIf(x -> x == null || x.isEmpty());
    ordered.sort(Comparator.comparingInt(String::length).reversed());
    for (String secret : ordered) {
      if (secret == null || secret.isEmpty()) {
        continue;
      }
      out = out.replace(secret, MASK);
      // cookies are often set quoted; the value may be echoed without the quotes
      if (secret.length() > 2 && secret.startsWith("\"") && secret.endsWith("\"")) {
        out = out.replace(secret.substring(1, secret.length() - 1), MASK);
      }
    }
    return out;
  }

  private static VsphereException withMessage(VsphereException e, String type, String m) {
    if (e instanceof VsphereException.NotAuthenticated) {
      return new VsphereException.NotAuthenticated(m);
    }
    if (e instanceof VsphereException.InvalidLogin) {
      return new VsphereException.InvalidLogin(m);
    }
    if (e instanceof VsphereException.DuplicateName d) {
      return new VsphereException.DuplicateName(m, d.existing());
    }
    if (e instanceof VsphereException.ManagedObjectNotFound n) {
      return new VsphereException.ManagedObjectNotFound(m, n.object());
    }
    if (e instanceof VsphereException.InvalidPowerState) {
      return new VsphereException.InvalidPowerState(m);
    }
    if (e instanceof VsphereException.TaskInProgress) {
      return new VsphereException.TaskInProgress(m);
    }
    if (e instanceof VsphereException.Transport) {
      return new VsphereException.Transport(m, e.getCause());
    }
    if (e instanceof VsphereException.CertificateRejected) {
      return new VsphereException.CertificateRejected(m, e.getCause());
    }
    if (e instanceof VsphereException.Protocol) {
      return new VsphereException.Protocol(m, e.getCause());
    }
    return new VsphereException(type, m, e.isTransient(), e.getCause());
  }
}
