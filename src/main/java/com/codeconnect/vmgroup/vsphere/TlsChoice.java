package com.codeconnect.vmgroup.vsphere;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a client decides whether to trust vCenter's TLS certificate. The command line and VCenter
 * resources both go through {@link #of}, so conflicting settings are refused the same way wherever
 * they come from. Each choice applies to that one client's connections only.
 */
public sealed interface TlsChoice {

  /**
   * The one way to turn TLS settings into a choice: at most one of them may be set, and none means
   * the system trust store.
   *
   * @param caBundle null when no CA bundle is set; asked only once the settings are known not to
   *     conflict, so a conflict is what gets reported even when the bundle can't be read
   * @param thumbprint null when not set
   * @throws Conflict when more than one is set
   * @throws IllegalArgumentException when the thumbprint is not a SHA-256 thumbprint
   */
  static TlsChoice of(boolean insecure, Supplier<CaBundle> caBundle, String thumbprint) {
    List<String> set = new ArrayList<>(3);
    if (insecure) {
      set.add("insecure");
    }
    if (caBundle != null) {
      set.add("a CA bundle");
    }
    if (thumbprint != null) {
      set.add("a thumbprint");
    }
    if (set.size() > 1) {
      throw new Conflict(set);
    }
    if (insecure) {
      return new InsecureDevOnly();
    }
    if (caBundle != null) {
      return Objects.requireNonNull(caBundle.get(), "caBundle supplier gave null");
    }
    if (thumbprint != null) {
      return new Thumbprint(thumbprint);
    }
    return new SystemTrustStore();
  }

  /** The JVM's trust store, with hostname verification. */
  record SystemTrustStore() implements TlsChoice {
    @Override
    public String toString() {
      return "system trust store";
    }
  }

  /**
   * CAs from PEM (one or more certificates), with hostname verification: a file, or text held in
   * memory (from a Secret or ConfigMap).
   *
   * @param source where the bundle comes from, for messages: the file, or e.g. {@code ConfigMap
   *     ns/name key ca.crt}
   */
  record CaBundle(Path file, String pem, String source) implements TlsChoice {
    public CaBundle {
      if ((file == null) == (pem == null)) {
        throw new IllegalArgumentException("a CA bundle is either a file or PEM text");
      }
      Objects.requireNonNull(source, "source");
    }

    public static CaBundle file(Path file) {
      return new CaBundle(Objects.requireNonNull(file, "file"), null, file.toString());
    }

    public static CaBundle pem(String pem, String source) {
      return new CaBundle(null, Objects.requireNonNull(pem, "pem"), source);
    }

    /** Names the source, never the PEM text: it ends up in logs. */
    @Override
    public String toString() {
      return "CA bundle " + source;
    }
  }

  /**
   * Only the certificate with this SHA-256 thumbprint. The pin identifies the server, so the
   * hostname is not checked.
   *
   * @param sha256 {@code AB:CD:...} or plain hex, any case; kept as upper-case colon-separated
   *     pairs
   */
  record Thumbprint(String sha256) implements TlsChoice {
    public Thumbprint {
      if (sha256 == null) {
        throw new IllegalArgumentException("thumbprint is null");
      }
      String hex = sha256.trim().replace(":", "").toUpperCase(Locale.ROOT);
      if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new IllegalArgumentException(
            "a SHA-256 thumbprint is 64 hex digits, optionally in colon-separated pairs");
      }
      StringBuilder sb = new StringBuilder(95);
      for (int i = 0; i < 64; i += 2) {
        if (i > 0) {
          sb.append(':');
        }
        sb.append(hex, i, i + 2);
      }
      sha256 = sb.toString();
    }

    @Override
    public String toString() {
      return "thumbprint " + sha256;
    }
  }

  /** Trusts any certificate for any host. For labs and simulators only. */
  record InsecureDevOnly() implements TlsChoice {
    @Override
    public String toString() {
      return "insecure";
    }
  }

  /** More than one way to trust vCenter was set; callers name the settings in their own terms. */
  final class Conflict extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Conflict(List<String> set) {
      super(
          "insecure, a CA bundle and a thumbprint are exclusive: set at most one (set: "
              + String.join(", ", set)
              + ")");
    }
  }
}
