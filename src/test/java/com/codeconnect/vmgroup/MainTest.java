package com.codeconnect.vmgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad settings end with one clear line naming the setting, and never the password. */
class MainTest {
  static final String SECRET = "Admin!23-do-not-print";
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  PrintStream oldErr;
  PrintStream oldOut;

  @BeforeEach
  void capture() {
    oldErr = System.err;
    oldOut = System.out;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(oldErr);
    System.setOut(oldOut);
  }

  String errText() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void belowThreeProcessorsTheCommonPoolGetsTwoWorkersSoAsyncStepsDoNotEachStartAThread() {
    String set = System.getProperty(Main.COMMON_POOL_PARALLELISM);
    if (Runtime.getRuntime().availableProcessors() < 3) {
      assertThat(set).isNotNull();
    }
  }

  @Test
  void missingHostNamesTheSetting() {
    assertThat(Main.run("--vc-host=", "--vc-user=u", "--vc-pass=" + SECRET)).isEqualTo(2);
    assertThat(errText().strip()).isEqualTo("error: VC_HOST (--vc-host) is required");
  }

  @Test
  void badHostIsOneLineWithoutCredentials() {
    assertThat(
            Main.run(
                "--vc-host=https://admin:" + SECRET + "@vc/sdk",
                "--vc-user=u",
                "--vc-pass=" + SECRET))
        .isEqualTo(2);
    assertThat(errText().strip().lines()).hasSize(1);
    assertThat(errText()).startsWith("error: VC_HOST").doesNotContain(SECRET);
  }

  @Test
  void missingUserAndPasswordAreNamed() {
    assertThat(Main.run("--vc-host=vc", "--vc-user=", "--vc-pass=" + SECRET)).isEqualTo(2);
    assertThat(errText().strip()).isEqualTo("error: VC_USER (--vc-user) is required");
    err.reset();
    assertThat(Main.run("--vc-host=vc", "--vc-user=u", "--vc-pass=")).isEqualTo(2);
    assertThat(errText()).contains("VC_PASS");
  }

  @Test
  void exclusiveTlsOptionsAndBadDurationsAreRefused() {
    assertThat(
            Main.run(
                "--vc-host=vc",
                "--vc-user=u",
                "--vc-pass=" + SECRET,
                "--insecure",
                "--thumbprint=AB:CD"))
        .isEqualTo(2);
    assertThat(errText()).contains("exclusive").doesNotContain(SECRET);
    err.reset();
    assertThat(
            Main.run(
                "--vc-host=vc", "--vc-user=u", "--vc-pass=" + SECRET, "--resync-interval=soon"))
        .isEqualTo(2);
    assertThat(errText().strip())
        .isEqualTo(
            "error: RESYNC_INTERVAL (--resync-interval) must be a duration such as 500ms, 30s, 5m or 1h");
    err.reset();
    assertThat(
            Main.run("--vc-host=vc", "--vc-user=u", "--vc-pass=" + SECRET, "--reconcile-threads=0"))
        .isEqualTo(2);
    assertThat(errText().strip())
        .isEqualTo("error: RECONCILE_THREADS (--reconcile-threads) must be at least 1");
  }

  @Test
  void helpListsEveryOptionWithItsEnvironmentVariable() {
    assertThat(Main.run("--help")).isZero();
    String help = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    for (String env :
        new String[] {
          "VC_HOST",
          "VC_USER",
          "VC_PASS",
          "VC_PASS_FILE",
          "VC_INSECURE",
          "VC_CA_FILE",
          "VC_THUMBPRINT",
          "VC_TIMEOUT",
          "VC_KEEPALIVE",
          "FULL_RESYNC_INTERVAL",
          "VC_NO_CHANGE_NOTIFICATIONS",
          "LEADER_ELECTION",
          "WATCH_SELECTOR",
          "POD_NAMESPACE",
          "VCENTER_RESOURCES",
          "VC_DATACENTER",
          "VC_RESOURCE_POOL",
          "VC_ROOT_FOLDER",
          "WATCH_NAMESPACES",
          "MAX_REPLICAS",
          "VC_TASK_BUDGET",
          "RECONCILE_THREADS",
          "RESYNC_INTERVAL"
        }) {
      assertThat(help).as(env).contains("Env: " + env);
    }
    assertThat(help).contains("demo");
  }

  @Test
  void onlyTheLogFormatsLogbackHasAreAccepted() {
    Main.checkLogFormat(null);
    Main.checkLogFormat("");
    Main.checkLogFormat("text");
    Main.checkLogFormat("json");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Main.checkLogFormat("JSON")))
        .hasMessage("LOG_FORMAT must be text or json");
    for (String format : new String[] {"text", "json"}) {
      assertThat(Main.class.getResource("/logback-" + format + ".xml")).as(format).isNotNull();
    }
  }
}
