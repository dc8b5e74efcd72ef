package com.codeconnect.vmgroup.vsphere;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TlsChoiceTest {
  private static final String PIN =
      "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
  private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";

  @Test
  void nothingSetIsTheSystemTrustStoreAndEachSettingAloneIsItsChoice() {
    assertThat(TlsChoice.of(false, null, null)).isEqualTo(new TlsChoice.SystemTrustStore());
    assertThat(TlsChoice.of(true, null, null)).isEqualTo(new TlsChoice.InsecureDevOnly());
    assertThat(TlsChoice.of(false, null, PIN.toLowerCase().replace(":", "")))
        .isEqualTo(new TlsChoice.Thumbprint(PIN));
    assertThat(TlsChoice.of(false, () -> TlsChoice.CaBundle.file(Path.of("ca.pem")), null))
        .isEqualTo(TlsChoice.CaBundle.file(Path.of("ca.pem")));
  }

  @Test
  void aConflictIsNamedAndWinsOverABundleThatCannotBeRead() {
    assertThatThrownBy(
            () ->
                TlsChoice.of(
                    true,
                    () -> {
                      throw new IllegalStateException("bundle must not be read");
                    },
                    "AB:CD"))
        .isInstanceOf(TlsChoice.Conflict.class)
        .hasMessage(
            "insecure, a CA bundle and a thumbprint are exclusive: set at most one"
                + " (set: insecure, a CA bundle, a thumbprint)");
    assertThatThrownBy(() -> TlsChoice.of(false, () -> TlsChoice.CaBundle.pem(PEM, "s"), PIN))
        .isInstanceOf(TlsChoice.Conflict.class)
        .hasMessageEndingWith("(set: a CA bundle, a thumbprint)");
  }

  @Test
  void aBadThumbprintIsAnIllegalArgumentButNoConflict() {
    assertThatThrownBy(() -> TlsChoice.of(false, null, "AB:CD"))
        .isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(TlsChoice.Conflict.class)
        .hasMessage("a SHA-256 thumbprint is 64 hex digits, optionally in colon-separated pairs");
  }

  @Test
  void descriptionsNameTheSourceAndNeverThePem() {
    assertThat(TlsChoice.CaBundle.pem(PEM, "ConfigMap ops/vc-ca key ca.crt"))
        .hasToString("CA bundle ConfigMap ops/vc-ca key ca.crt");
    assertThat(TlsChoice.CaBundle.file(Path.of("/etc/ca.pem")))
        .hasToString("CA bundle /etc/ca.pem");
    assertThat(new TlsChoice.Thumbprint(PIN)).hasToString("thumbprint " + PIN);
    assertThat(new TlsChoice.SystemTrustStore()).hasToString("system trust store");
    assertThat(new TlsChoice.InsecureDevOnly()).hasToString("insecure");
  }
}
