package com.codeconnect.vmgroup.vsphere;

/**
 * What a client knows about its vCenter session without making a call. A session vCenter dropped on
 * its side still reads {@link #VALID} until the next call (or keep-alive) finds out and logs in
 * again.
 */
public enum SessionState {
  /** Logged in, and the last login attempt succeeded. */
  VALID("valid"),
  /** Not logged in yet, logged out, or closed. */
  NONE("none"),
  /** vCenter refused the credentials at the last login; they are not tried again for a while. */
  REJECTED("rejected"),
  /** The last login failed for another reason: vCenter unreachable, certificate refused, ... */
  LOGIN_FAILED("login_failed");

  private final String label;

  SessionState(String label) {
    this.label = label;
  }

  /** The metric label value, e.g. {@code login_failed}. */
  public String label() {
    return label;
  }
}
