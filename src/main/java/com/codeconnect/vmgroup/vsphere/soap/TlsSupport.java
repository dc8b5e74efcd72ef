package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.TlsChoice;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds the client's own {@link SSLContext} for a {@link TlsTrust}. */
final class TlsSupport {
  private TlsSupport() {}

  /** The context plus the trust manager that remembers which certificate it last refused. */
  record Tls(SSLContext context, RecordingTrustManager trustManager) {}

  static Tls build(TlsTrust trust) {
    try {
      X509ExtendedTrustManager decider =
          switch (trust.mode()) {
            case SYSTEM -> pkix(null);
            case CA_BUNDLE -> pkix(loadBundle(trust));
            case THUMBPRINT -> new PinnedTrustManager(trust.thumbprint());
            case INSECURE -> new PinnedTrustManager(null);
          };
      RecordingTrustManager recording = new RecordingTrustManager(decider);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {recording}, null);
      return new Tls(ctx, recording);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot set up TLS (" + trust + "): " + e.getMessage(), e);
    }
  }

  private static KeyStore loadBundle(TlsTrust trust) throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in =
        trust.caBundlePem() != null
            ? new java.io.ByteArrayInputStream(
                trust.caBundlePem().getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            : Files.newInputStream(trust.caBundle())) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new CertificateException("no certificate in " + trust);
      }
      int i = 0;
      for (Certificate c : certs) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
    }
    return ks;
  }

  private static X509ExtendedTrustManager pkix(KeyStore ks) throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new NoSuchAlgorithmException("no X509ExtendedTrustManager available");
  }

  /**
   * Normalizes a SHA-256 thumbprint to upper-case hex pairs joined by colons.
   *
   * @throws IllegalArgumentException unless it is 32 bytes of hex, with or without colons
   */
  static String normalizeThumbprint(String raw) {
    return new TlsChoice.Thumbprint(raw).sha256();
  }

  static String thumbprint(X509Certificate cert) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
      return normalizeThumbprint(HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Delegates every decision and remembers the leaf certificate it refused last, so a failed
   * handshake can be reported with the thumbprint an administrator would pin.
   */
  static final class RecordingTrustManager extends ServerOnlyTrustManager {
    private final X509ExtendedTrustManager delegate;
    private volatile X509Certificate lastRefused;

    RecordingTrustManager(X509ExtendedTrustManager delegate) {
      this.delegate = delegate;
    }

    X509Certificate lastRefused() {
      return lastRefused;
    }

    private CertificateException refused(X509Certificate[] chain, CertificateException e) {
      if (chain != null && chain.length > 0) {
        lastRefused = chain[0];
      }
      return e;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      try {
        delegate.checkServerTrusted(chain, authType, engine);
      } catch (CertificateException e) {
        throw refused(chain, e);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      try {
        delegate.checkServerTrusted(chain, authType, socket);
      } catch (CertificateException e) {
        throw refused(chain, e);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      try {
        delegate.checkServerTrusted(chain, authType);
      } catch (CertificateException e) {
        throw refused(chain, e);
      }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }

  /**
   * Accepts the one certificate with the pinned thumbprint, or any certificate when the pin is null
   * (insecure mode). Being an X509ExtendedTrustManager, JSSE leaves the hostname check to it, and
   * it skips that check: it affects only this client's connections, unlike the JVM-wide {@code
   * jdk.internal.httpclient.disableHostnameVerification} switch.
   */
  private static final class PinnedTrustManager extends ServerOnlyTrustManager {
    private final String pin;

    PinnedTrustManager(String pin) {
      this.pin = pin;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("server presented no certificate");
      }
      if (pin != null && !pin.equals(thumbprint(chain[0]))) {
        throw new CertificateException("certificate does not match the pinned thumbprint");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** A trust manager of a client: it is never asked to trust clients, and refuses if it is. */
  private abstract static class ServerOnlyTrustManager extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("client certificates are not accepted");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("client certificates are not accepted");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("client certificates are not accepted");
    }
  }
}
