package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VCenterStatus;
import com.codeconnect.vmgroup.vsphere.AboutInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConnectionTest {
  static final AboutInfo ABOUT =
      new AboutInfo("VMware vCenter Server 8.0.2 build-1", "8.0.2", "8.0.2.0", "uuid-1");
  static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  static final Instant T1 = Instant.parse("2026-11-01T10:05:00Z");

  @Test
  void faultsAreClassifiedAndOnlyTransientOnesRetried() {
    Connection rejected =
        Connection.failed(ABOUT, new VsphereException.InvalidLogin("Login failure"), "ns/creds");
    assertThat(rejected.reason()).isEqualTo(Connection.CREDENTIALS_REJECTED);
    assertThat(rejected.transientProblem()).isFalse();
    assertThat(rejected.message()).contains("ns/creds").contains("Login failure");

    Connection cert =
        Connection.failed(null, new VsphereException.CertificateRejected("refused", null), "x");
    assertThat(cert.reason()).isEqualTo(Connection.CERTIFICATE_REJECTED);
    assertThat(cert.transientProblem()).isFalse();

    Connection down =
        Connection.failed(null, new VsphereException.Transport("connection refused", null), "x");
    assertThat(down.reason()).isEqualTo(Connection.UNREACHABLE);
    assertThat(down.transientProblem()).isTrue();

    Connection busy = Connection.failed(null, new VsphereException("SystemError", "x", true), "x");
    assertThat(busy.reason()).isEqualTo(Connection.ERROR);
    assertThat(busy.transientProblem()).isTrue();

    Connection missing =
        Connection.failed(null, new VsphereException("SecretMissing", "gone", false), "x");
    assertThat(missing.reason()).isEqualTo(Connection.SECRET_MISSING);
    assertThat(missing.transientProblem()).isFalse();
  }

  @Test
  void aRepeatedCheckGivesAnEqualStatusSoNothingIsWritten() {
    VCenterStatus first = Connection.connected(ABOUT, "https://vc/sdk").status(3, null, T0);
    VCenterStatus again = Connection.connected(ABOUT, "https://vc/sdk").status(3, first, T1);
    assertThat(again).isEqualTo(first);
    assertThat(first.session).isEqualTo(VCenterStatus.SESSION_ACTIVE);
    assertThat(first.version).isEqualTo("8.0.2");
    assertThat(first.lastConnected).isEqualTo("2026-11-01T10:00:00Z");
    assertThat(condition(first, "Connected").getStatus()).isEqualTo("True");
    assertThat(condition(first, "Ready").getObservedGeneration()).isEqualTo(3L);
  }

  @Test
  void anOutageKeepsTheLastKnownVersionAndMovesTheTransitionTime() {
    VCenterStatus up = Connection.connected(ABOUT, "https://vc/sdk").status(1, null, T0);
    VCenterStatus down =
        Connection.failed(null, new VsphereException.Transport("refused", null), "x")
            .status(1, up, T1);
    assertThat(down.version).isEqualTo("8.0.2");
    assertThat(down.session).isEqualTo(VCenterStatus.SESSION_NONE);
    assertThat(down.lastConnected).isEqualTo(up.lastConnected);
    Condition c = condition(down, "Connected");
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("Unreachable");
    assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-01T10:05:00Z");
    assertThat(condition(down, "Ready").getMessage()).contains("refused");

    VCenterStatus back =
        Connection.connected(ABOUT, "https://vc/sdk").status(1, down, T1.plusSeconds(60));
    assertThat(back.lastConnected).isEqualTo("2026-11-01T10:06:00Z");
  }

  private static Condition condition(VCenterStatus s, String type) {
    return s.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }
}
