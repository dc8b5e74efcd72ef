package com.codeconnect.vmgroup.vsphere.soap;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.TlsChoice;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Each TLS choice becomes the trust it names, described the same way in logs. */
class SoapClientsTest {
  private static final String PIN =
      "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

  @Test
  void everyChoiceMapsToItsTrust() {
    assertThat(TlsTrust.of(new TlsChoice.SystemTrustStore()).mode())
        .isEqualTo(TlsTrust.Mode.SYSTEM);
    assertThat(TlsTrust.of(new TlsChoice.InsecureDevOnly()).mode())
        .isEqualTo(TlsTrust.Mode.INSECURE);
    TlsTrust pin = TlsTrust.of(new TlsChoice.Thumbprint(PIN.toLowerCase()));
    assertThat(pin.mode()).isEqualTo(TlsTrust.Mode.THUMBPRINT);
    assertThat(pin.thumbprint()).isEqualTo(PIN);
    TlsTrust file = TlsTrust.of(TlsChoice.CaBundle.file(Path.of("/etc/ca.pem")));
    assertThat(file.caBundle()).isEqualTo(Path.of("/etc/ca.pem"));
    TlsTrust pem = TlsTrust.of(TlsChoice.CaBundle.pem("PEM", "Secret ns/ca key ca.crt"));
    assertThat(pem.caBundlePem()).isEqualTo("PEM");
    for (TlsChoice c :
        new TlsChoice[] {
          new TlsChoice.SystemTrustStore(),
          new TlsChoice.InsecureDevOnly(),
          new TlsChoice.Thumbprint(PIN),
          TlsChoice.CaBundle.file(Path.of("/etc/ca.pem")),
          TlsChoice.CaBundle.pem("PEM", "Secret ns/ca key ca.crt")
        }) {
      assertThat(TlsTrust.of(c)).as(c.toString()).hasToString(c.toString());
    }
  }
}
