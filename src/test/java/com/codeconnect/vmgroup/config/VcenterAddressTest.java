package com.codeconnect.vmgroup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class VcenterAddressTest {
  @Test
  void acceptsTheFormsTheSeedAndGovcUse() {
    assertThat(VcenterAddress.sdkUrl("vc.example.com"))
        .isEqualTo(URI.create("https://vc.example.com/sdk"));
    assertThat(VcenterAddress.sdkUrl("vc.example.com:8443"))
        .isEqualTo(URI.create("https://vc.example.com:8443/sdk"));
    assertThat(VcenterAddress.sdkUrl("https://vc/sdk")).isEqualTo(URI.create("https://vc/sdk"));
    assertThat(VcenterAddress.sdkUrl("http://127.0.0.1:8989/sdk"))
        .isEqualTo(URI.create("http://127.0.0.1:8989/sdk"));
    assertThat(VcenterAddress.sdkUrl("https://vc/")).isEqualTo(URI.create("https://vc/sdk"));
  }

  @Test
  void refusesWhatItCantUseWithoutEchoingCredentials() {
    assertThatThrownBy(() -> VcenterAddress.sdkUrl("")).hasMessage("is empty");
    assertThatThrownBy(() -> VcenterAddress.sdkUrl("ftp://vc")).hasMessageContaining("https://");
    assertThatThrownBy(() -> VcenterAddress.sdkUrl("https://admin:s3cret@vc/sdk"))
        .hasMessageNotContaining("s3cret")
        .hasMessageContaining("VC_USER");
  }
}
