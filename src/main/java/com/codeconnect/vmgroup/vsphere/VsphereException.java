package com.codeconnect.vmgroup.vsphere;

/**
 * A failed vCenter call or task. Subclasses name the faults the operator reacts to; any other vim25
 * fault arrives as this class with its {@code xsi:type} in {@link #faultType()}.
 *
 * <p>Messages never contain credentials: the client builds them from fault types, object names and
 * the server's own localized message.
 */
public class VsphereException extends RuntimeException {
  private final String faultType;
  private final boolean transientFault;

  public VsphereException(String faultType, String message, boolean transientFault) {
    this(faultType, message, transientFault, null);
  }

  public VsphereException(
      String faultType, String message, boolean transientFault, Throwable cause) {
    super(message, cause);
    this.faultType = faultType;
    this.transientFault = transientFault;
  }

  /** The vim25 fault type (e.g. {@code InvalidPowerState}), or a client-side kind for I/O. */
  public String faultType() {
    return faultType;
  }

  /** True when the same call may succeed later without anyone changing anything. */
  public boolean isTransient() {
    return transientFault;
  }

  /** The session expired or was terminated; the client logs in again and retries once. */
  public static final class NotAuthenticated extends VsphereException {
    public NotAuthenticated(String message) {
      super("NotAuthenticated", message, true);
    }
  }

  /** vCenter rejected the user name or password. Retrying with the same ones won't help. */
  public static final class InvalidLogin extends VsphereException {
    public InvalidLogin(String message) {
      super("InvalidLogin", message, false);
    }
  }

  /** An object of that name already exists in the target folder. */
  public static final class DuplicateName extends VsphereException {
    private final MoRef existing;

    public DuplicateName(String message, MoRef existing) {
      super("DuplicateName", message, false);
      this.existing = existing;
    }

    /** The object that holds the name, when vCenter said which one. */
    public MoRef existing() {
      return existing;
    }
  }

  /** The object no longer exists (deleted by someone, or a stale reference). */
  public static final class ManagedObjectNotFound extends VsphereException {
    private final MoRef object;

    public ManagedObjectNotFound(String message, MoRef object) {
      super("ManagedObjectNotFound", message, false);
      this.object = object;
    }

    public MoRef object() {
      return object;
    }
  }

  /** The VM is not in the power state the operation needs. */
  public static final class InvalidPowerState extends VsphereException {
    public InvalidPowerState(String message) {
      super("InvalidPowerState", message, true);
    }
  }

  /** Another task holds the object; try again shortly. */
  public static final class TaskInProgress extends VsphereException {
    public TaskInProgress(String message) {
      super("TaskInProgress", message, true);
    }
  }

  /** The connection failed, timed out, or the server answered with an HTTP error. */
  public static final class Transport extends VsphereException {
    public Transport(String message, Throwable cause) {
      super("Transport", message, true, cause);
    }
  }

  /**
   * The server's TLS certificate was refused. The message names the host and the SHA-256 thumbprint
   * it presented, so an administrator can check it and pin it.
   */
  public static final class CertificateRejected extends VsphereException {
    public CertificateRejected(String message, Throwable cause) {
      super("CertificateRejected", message, false, cause);
    }
  }

  /** The response was not a well-formed, bounded SOAP envelope. */
  public static final class Protocol extends VsphereException {
    public Protocol(String message, Throwable cause) {
      super("Protocol", message, true, cause);
    }
  }
}
