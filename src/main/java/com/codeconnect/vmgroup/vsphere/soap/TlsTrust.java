package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.TlsChoice;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How the client decides whether to trust vCenter's TLS certificate. Every mode applies to the
 * client's own HTTP connection only; nothing here changes JVM-wide defaults.
 */
public final class TlsTrust {
  enum Mode {
    SYSTEM,
    CA_BUNDLE,
    THUMBPRINT,
    INSECURE
  }

  private final Mode mode;
  private final Path caBundle;
  private final String thumbprint;
  // a bundle held in memory (from a Secret or ConfigMap), with where it came from for messages
  private final String caBundlePem;
  private final String caBundleSource;

  private TlsTrust(Mode mode, Path caBundle, String thumbprint) {
    this(mode, caBundle, thumbprint, null, null);
  }

  private TlsTrust(
      Mode mode, Path caBundle, String thumbprint, String caBundlePem, String caBundleSource) {
    this.mode = mode;
    this.caBundle = caBundle;
    this.thumbprint = thumbprint;
    this.caBundlePem = caBundlePem;
    this.caBundleSource = caBundleSource;
  }

  /** The JVM's trust store, with hostname verification. */
  public static TlsTrust system() {
    return new TlsTrust(Mode.SYSTEM, null, null);
  }

  /** CAs from a PEM file (one or more certificates), with hostname verification. */
  public static TlsTrust caBundle(Path pemFile) {
    return new TlsTrust(Mode.CA_BUNDLE, Objects.requireNonNull(pemFile, "pemFile"), null);
  }

  /**
   * CAs from PEM text (one or more certificates), with hostname verification.
   *
   * @param source where the text came from, for messages (e.g. {@code ConfigMap ns/name key})
   */
  public static TlsTrust caBundlePem(String pem, String source) {
    return new TlsTrust(
        Mode.CA_BUNDLE,
        null,
        null,
        Objects.requireNonNull(pem, "pem"),
        Objects.requireNonNull(source, "source"));
  }

  /**
   * Only the certificate with this SHA-256 thumbprint ({@code AB:CD:...} or plain hex, any case).
   * The pin identifies the server, so the hostname is not checked.
   */
  public static TlsTrust thumbprint(String sha256) {
    return new TlsTrust(Mode.THUMBPRINT, null, TlsSupport.normalizeThumbprint(sha256));
  }

  /** Trusts any certificate for any host. For labs and simulators only. */
  public static TlsTrust insecure() {
    return new TlsTrust(Mode.INSECURE, null, null);
  }

  /** The trust a domain choice stands for. */
  static TlsTrust of(TlsChoice choice) {
    if (choice instanceof TlsChoice.CaBundle ca) {
      return ca.file() != null ? caBundle(ca.file()) : caBundlePem(ca.pem(), ca.source());
    }
    if (choice instanceof TlsChoice.Thumbprint pin) {
      return thumbprint(pin.sha256());
    }
    if (choice instanceof TlsChoice.InsecureDevOnly) {
      return insecure();
    }
    if (choice instanceof TlsChoice.SystemTrustStore) {
      return system();
    }
    throw new IllegalArgumentException("unknown TLS choice " + choice);
  }

  Mode mode() {
    return mode;
  }

  Path caBundle() {
    return caBundle;
  }

  String thumbprint() {
    return thumbprint;
  }

  /** The in-memory bundle, or null when the bundle is a file. */
  String caBundlePem() {
    return caBundlePem;
  }

  @Override
  public String toString() {
    return switch (mode) {
      case SYSTEM -> "system trust store";
      case CA_BUNDLE -> "CA bundle " + (caBundle != null ? caBundle : caBundleSource);
      case THUMBPRINT -> "thumbprint " + thumbprint;
      case INSECURE -> "insecure";
    };
  }
}
