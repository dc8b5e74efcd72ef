package com.codeconnect.vmgroup.vsphere;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One client's session with vCenter and the logins that fill it, shared by the SOAP and the REST
 * client. Callers that lost the same session queue on one lock, so it costs one login however many
 * threads noticed; a login that fails is not repeated by the callers that waited for it (they get
 * its fault), and credentials vCenter refused go through the {@link LoginGate}, so a wrong password
 * can't lock the account through a burst of attempts. Thread-safe.
 *
 * @param <S> what a login gives: a new object per login, so identity tells sessions apart
 */
public final class SessionSlot<S> {
  /** Logs in; {@code previous} is the session being replaced, or null. */
  @FunctionalInterface
  public interface Login<S> {
    S login(S previous, Credentials credentials);
  }

  private final Supplier<Credentials> credentials;
  private final LoginGate gate;
  private final String hostPort;
  private final Supplier<VsphereException> closedError;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile S session;
  private volatile boolean closed;
  // logins finished, successful or not, and the last one's failure; written under the lock
  private volatile long loginsFinished;
  private volatile VsphereException lastFailure;

  /**
   * @param hostPort names vCenter in the gate's refusal
   * @param closedError what a call after {@link #close()} fails with
   */
  public SessionSlot(
      Supplier<Credentials> credentials,
      LoginGate gate,
      String hostPort,
      Supplier<VsphereException> closedError) {
    this.credentials = credentials;
    this.gate = gate;
    this.hostPort = hostPort;
    this.closedError = closedError;
  }

  /** The session now, or null; never logs in. */
  public S get() {
    return session;
  }

  public boolean isClosed() {
    return closed;
  }

  /** A new session unless another caller already replaced {@code lost} (null: there was none). */
  public S after(S lost, Login<S> login) {
    long seen = loginsFinished;
    lock.lock();
    try {
      if (closed) {
        throw closedError.get();
      }
      S now = session;
      if (now != null && now != lost) {
        return now;
      }
      if (loginsFinished != seen && lastFailure != null) {
        throw lastFailure;
      }
      Credentials attempt =
          Objects.requireNonNull(credentials.get(), "credentials supplier gave null");
      // only new credentials (a rotated Secret) or the end of the backoff allow another attempt
      gate.check(attempt, hostPort);
      try {
        S fresh = login.login(now, attempt);
        lastFailure = null;
        gate.accepted();
        session = fresh;
        return fresh;
      } catch (VsphereException e) {
        lastFailure = e;
        if (e instanceof VsphereException.InvalidLogin) {
          gate.refused(attempt);
        }
        throw e;
      } finally {
        loginsFinished++;
      }
    } finally {
      lock.unlock();
    }
  }

  /** A failed re-login leaves the lost session in place, so the failure is looked at first. */
  public SessionState state() {
    if (closed) {
      return SessionState.NONE;
    }
    VsphereException failure = lastFailure;
    if (failure != null) {
      return failure instanceof VsphereException.InvalidLogin
          ? SessionState.REJECTED
          : SessionState.LOGIN_FAILED;
    }
    return session != null ? SessionState.VALID : SessionState.NONE;
  }

  /**
   * Closes the slot: later logins fail with the closed error.
   *
   * @return the session to log out, or null when there is none or the slot was closed already
   */
  public S close() {
    lock.lock();
    try {
      if (closed) {
        return null;
      }
      closed = true;
      S s = session;
      session = null;
      return s;
    } finally {
      lock.unlock();
    }
  }
}
