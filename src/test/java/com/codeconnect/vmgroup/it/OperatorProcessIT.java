package com.codeconnect.vmgroup.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.demo.EmbeddedKubernetes;
import com.codeconnect.vmgroup.demo.Vcsim;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar as a user starts it: its own process, configured by the seed's environment
 * variables. Checks health and metrics with real values, a graceful SIGTERM (logout included), and
 * that the password appears nowhere in what it printed.
 */
class OperatorProcessIT {
  static final String PASSWORD = "Pr0cess-Secret-Do-Not-Log!";
  static final Path JAR = Path.of("target/vmgroup-operator.jar");

  @Test
  void theJarRunsReportsHealthAndMetricsAndStopsCleanlyWithoutLeakingThePassword()
      throws Exception {
    try (Vcsim sim = Vcsim.builder().credentials("administrator@vsphere.local", PASSWORD).start();
        EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      EmbeddedKubernetes.installCrd(api.client());
      Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
      Files.writeString(kubeconfig, kubeconfig(api.client().getMasterUrl().toString()));
      Path log = Files.createTempFile("operator", ".log");
      int port = freePort();

      ProcessBuilder pb =
          new ProcessBuilder(
                  javaBinary(),
                  "-jar",
                  JAR.toString(),
                  "--resync-interval=2s",
                  "--health-port=" + port)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      pb.environment().put("VC_HOST", sim.url().toString());
      pb.environment().put("VC_USER", "administrator@vsphere.local");
      pb.environment().put("VC_PASS", PASSWORD);
      pb.environment().put("LOG_LEVEL", "DEBUG");
      long started = System.nanoTime();
      Process operator = pb.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(http, port, "/healthz") == 200);
        await().atMost(Duration.ofSeconds(60)).until(() -> status(http, port, "/readyz") == 200);
        System.out.printf("ready_after_ms=%d%n", (System.nanoTime() - started) / 1_000_000);

        api.client()
            .resource(
                new VmGroup("default", "proc", new VmGroupSpec(1, 1, 2, "vm-operator-template")))
            .create();
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  VmGroup g =
                      api.client()
                          .resources(VmGroup.class)
                          .inNamespace("default")
                          .withName("proc")
                          .get();
                  assertThat(g.getStatus()).isNotNull();
                  assertThat(g.getStatus().getPhase()).isEqualTo("RUNNING");
                });
        String metrics = body(http, port, "/metrics");
        assertThat(metrics)
            .contains("vcenter_calls_seconds_count{method=\"CloneVM_Task\",outcome=\"ok\"")
            .contains("jvm_memory_used_bytes");
        assertThat(metrics).containsPattern("operator_sdk\\S*reconcil");
        assertThat(sim.sessionCount()).isEqualTo(1);
      } finally {
        operator.destroy(); // SIGTERM
        assertThat(operator.waitFor(30, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
      }
      assertThat(operator.exitValue()).isIn(0, 143);
      assertThat(sim.sessionCount()).as("logged out on shutdown").isZero();
      String output = Files.readString(log);
      assertThat(output).contains("operator started").contains("stopping");
      assertThat(output).as("the operator's output").doesNotContain(PASSWORD);
    }
  }

  private static String kubeconfig(String server) {
    return String.join(
        "\n",
        List.of(
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: embedded",
            "  cluster:",
            "    server: " + server,
            "contexts:",
            "- name: embedded",
            "  context:",
            "    cluster: embedded",
            "    user: embedded",
            "    namespace: default",
            "current-context: embedded",
            "users:",
            "- name: embedded",
            "  user: {}",
            ""));
  }

  private static int status(HttpClient http, int port, String path) {
    try {
      return http.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String body(HttpClient http, int port, String path) throws Exception {
    return http.send(request(port, path), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static HttpRequest request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
