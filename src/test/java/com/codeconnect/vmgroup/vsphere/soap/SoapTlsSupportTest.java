package com.codeconnect.vmgroup.vsphere.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SoapTlsSupportTest {
  private static final String COLON =
      "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

  @Test
  void acceptsColonAndPlainHexInAnyCase() {
    assertThat(TlsSupport.normalizeThumbprint(COLON)).isEqualTo(COLON);
    assertThat(TlsSupport.normalizeThumbprint(COLON.toLowerCase())).isEqualTo(COLON);
    assertThat(TlsSupport.normalizeThumbprint(" " + COLON.replace(":", "").toLowerCase() + " "))
        .isEqualTo(COLON);
  }

  @Test
  void rejectsWrongLengthOrNonHex() {
    assertThatThrownBy(() -> TlsSupport.normalizeThumbprint("AB:CD"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TlsSupport.normalizeThumbprint(COLON.replace('A', 'G')))
        .isInstanceOf(IllegalArgumentException.class);
    // a SHA-1 thumbprint (20 bytes) is not accepted as a SHA-256 pin
    assertThatThrownBy(() -> TlsSupport.normalizeThumbprint("AB".repeat(20)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
