package com.codeconnect.vmgroup.vsphere.soap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestSecretsTest {

  @Test
  void aSecretIsMaskedWholeByLineAndAsTheXmlThatCarriedIt() {
    assertThat(RequestSecrets.pieces("users:\n  - pw: <hunter2&x>\nok"))
        .containsExactly(
            "users:\n  - pw: &lt;hunter2&amp;x&gt;\nok",
            "users:\n  - pw: <hunter2&x>\nok",
            "- pw: &lt;hunter2&amp;x&gt;",
            "- pw: <hunter2&x>");
  }

  @Test
  void shortValuesAreNotMasked() {
    assertThat(RequestSecrets.pieces("gzip")).isEmpty();
    assertThat(RequestSecrets.pieces("  1  ")).isEmpty();
    assertThat(RequestSecrets.pieces(null)).isEmpty();
    assertThat(RequestSecrets.pieces("base64")).containsExactly("base64");
  }

  @Test
  void theOldestGoFirstAndASecretInUseStays() {
    RequestSecrets s = new RequestSecrets();
    s.add(List.of("first-secret"));
    for (int i = 0; i < RequestSecrets.MAX_PIECES; i++) {
      s.add(List.of("secret-" + i, "first-secret"));
    }
    assertThat(s.all()).hasSize(RequestSecrets.MAX_PIECES).contains("first-secret");
    assertThat(s.all())
        .doesNotContain("secret-0")
        .contains("secret-" + (RequestSecrets.MAX_PIECES - 1));
  }
}
