package com.codeconnect.vmgroup.vsphere.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trust modes against the simulator's self-signed certificate (issued for 127.0.0.1). */
class SoapTlsIT {
  private static final String PASSWORD = "tls-Pa55word#";
  private static Vcsim vcsim;
  private static String thumbprint;

  @BeforeAll
  static void start() throws Exception {
    vcsim = Vcsim.builder().tls(true).start();
    try (InputStream in = Files.newInputStream(vcsim.certificate())) {
      X509Certificate cert =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      thumbprint = TlsSupport.thumbprint(cert);
    }
  }

  @AfterAll
  static void stop() {
    vcsim.close();
  }

  private static SoapVsphereClient client(URI url, TlsTrust trust) {
    return SoapVsphereClient.builder(url)
        .credentials(new Credentials("user", PASSWORD))
        .tls(trust)
        .build();
  }

  private static void assertWorks(URI url, TlsTrust trust) {
    try (SoapVsphereClient c = client(url, trust)) {
      assertThat(c.datacenters()).extracting(NamedRef::name).containsExactly("DC0");
    }
  }

  private static VsphereException.CertificateRejected assertRefused(URI url, TlsTrust trust) {
    try (SoapVsphereClient c = client(url, trust)) {
      Throwable t = catchThrowable(c::datacenters);
      assertThat(t).isInstanceOf(VsphereException.CertificateRejected.class);
      assertThat(t.getMessage())
          .contains(url.getHost() + ":" + url.getPort())
          .contains(thumbprint)
          .doesNotContain(PASSWORD);
      assertThat(c.callCount("Login")).isZero();
      return (VsphereException.CertificateRejected) t;
    }
  }

  @Test
  void systemTrustStoreRefusesSelfSignedCertificate() {
    assertRefused(vcsim.url(), TlsTrust.system());
  }

  @Test
  void caBundleIsTrusted() {
    assertThat(vcsim.url().getHost()).isEqualTo("127.0.0.1");
    assertWorks(vcsim.url(), TlsTrust.caBundle(vcsim.certificate()));
  }

  @Test
  void thumbprintInColonForm() {
    assertWorks(vcsim.url(), TlsTrust.thumbprint(thumbprint));
  }

  @Test
  void thumbprintAsPlainLowerCaseHex() {
    assertWorks(
        vcsim.url(), TlsTrust.thumbprint(thumbprint.replace(":", "").toLowerCase(Locale.ROOT)));
  }

  @Test
  void wrongThumbprintIsRefused() {
    String wrong = (thumbprint.startsWith("00") ? "11" : "00") + thumbprint.substring(2);
    assertRefused(vcsim.url(), TlsTrust.thumbprint(wrong));
  }

  @Test
  void insecureTrustsAnything() {
    assertWorks(vcsim.url(), TlsTrust.insecure());
    // nothing JVM-wide was switched off: a default client still refuses the certificate
    assertRefused(vcsim.url(), TlsTrust.system());
  }

  @Test
  void caBundleStillChecksTheHostname() {
    // the simulator's certificate names IP 127.0.0.1 but no DNS name, so "localhost" must fail
    URI byName = URI.create(vcsim.url().toString().replace("127.0.0.1", "localhost"));
    VsphereException.CertificateRejected e =
        assertRefused(byName, TlsTrust.caBundle(vcsim.certificate()));
    assertThat(e.getMessage()).contains("localhost:");
  }

  @Test
  void pinnedAndInsecureModesSkipTheHostnameCheck() {
    URI byName = URI.create(vcsim.url().toString().replace("127.0.0.1", "localhost"));
    assertWorks(byName, TlsTrust.thumbprint(thumbprint));
    assertWorks(byName, TlsTrust.insecure());
  }
}
