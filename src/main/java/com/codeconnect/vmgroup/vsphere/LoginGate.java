package com.codeconnect.vmgroup.vsphere;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Keeps the clients of one vCenter from trying credentials it refused: the SOAP and REST sessions
 * log in with the same account, and each refused attempt brings a lockout closer, so one refusal
 * holds both back. Credentials are held back for a backoff that doubles while they stay the same
 * (30 s up to 5 min); new ones (a rotated Secret) may be tried at once.
 *
 * <p>Only a digest of the refused password is kept, so the gate holds no second copy of it.
 * Thread-safe.
 */
public final class LoginGate {
  public static final Duration BACKOFF_MIN = Duration.ofSeconds(30);
  public static final Duration BACKOFF_MAX = Duration.ofMinutes(5);

  private final LongSupplier nanoTime;
  private Refused refused; // guarded by this

  private record Refused(String user, byte[] digest, long atNanos, Duration backoff) {
    boolean sameAs(Credentials c) {
      return user.equals(c.user()) && MessageDigest.isEqual(digest, LoginGate.digest(c));
    }
  }

  public LoginGate() {
    this(System::nanoTime);
  }

  /** With a clock of its own, for tests. */
  public LoginGate(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * Throws {@link VsphereException.InvalidLogin} when these credentials were refused within their
   * backoff.
   *
   * @param hostPort the vCenter, for the message
   */
  public synchronized void check(Credentials attempt, String hostPort) {
    Refused r = refused;
    if (r != null
        && r.sameAs(attempt)
        && nanoTime.getAsLong() - r.atNanos() < r.backoff().toNanos()) {
      throw new VsphereException.InvalidLogin(
          "vCenter "
              + hostPort
              + " rejected the credentials of user '"
              + attempt.user()
              + "'; not trying them again for "
              + r.backoff().toSeconds()
              + " s");
    }
  }

  /** vCenter refused these credentials: hold them back, longer if it refused them before. */
  public synchronized void refused(Credentials attempt) {
    Refused r = refused;
    Duration next =
        r == null || !r.sameAs(attempt)
            ? BACKOFF_MIN
            : min(r.backoff().multipliedBy(2), BACKOFF_MAX);
    refused = new Refused(attempt.user(), digest(attempt), nanoTime.getAsLong(), next);
  }

  /** A login succeeded: whatever was refused before is forgotten. */
  public synchronized void accepted() {
    refused = null;
  }

  private static byte[] digest(Credentials c) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(c.password().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
