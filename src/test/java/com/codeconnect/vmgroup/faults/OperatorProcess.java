package com.codeconnect.vmgroup.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator's jar in a process of its own, started as a user would (environment variables and a
 * kubeconfig), so a test can kill it with SIGKILL. Its output goes to a log file per start.
 */
final class OperatorProcess implements AutoCloseable {
  static final Path JAR = Path.of("target/vmgroup-operator.jar");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int healthPort;
  private final Path log;
  private final long startedNanos = System.nanoTime();

  private OperatorProcess(Process process, int healthPort, Path log) {
    this.process = process;
    this.healthPort = healthPort;
    this.log = log;
  }

  /**
   * @param kubeconfig a kubeconfig for the API server
   * @param vcenter the SDK URL of the simulator
   * @param log where the process's output goes
   */
  static OperatorProcess start(
      Path kubeconfig, URI vcenter, String user, String password, Path log, String... args) {
    try {
      int port = freePort();
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // A test that restarts it twenty times cares about start-up more than peak speed.
      cmd.add("-Xmx256m");
      cmd.add("-XX:TieredStopAtLevel=1");
      cmd.add("-jar");
      cmd.add(JAR.toString());
      cmd.add("--health-port=" + port);
      cmd.addAll(List.of(args));
      Files.createDirectories(log.getParent());
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      pb.environment().put("VC_HOST", vcenter.toString());
      pb.environment().put("VC_USER", user);
      pb.environment().put("VC_PASS", password);
      return new OperatorProcess(pb.start(), port, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A kubeconfig file for an API server at {@code server}, without credentials. */
  static Path kubeconfig(String server) {
    try {
      Path file = Files.createTempFile("kubeconfig", ".yaml");
      Files.writeString(
          file,
          String.join(
              "\n",
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
              "current-context: embedded",
              "users:",
              "- name: embedded",
              "  user: {}",
              ""));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  /** True when /readyz answers 200: informers synced and the vCenter inventory too. */
  boolean ready() {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/readyz"))
              .timeout(Duration.ofSeconds(2))
              .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  long millisSinceStart() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** SIGKILL: no shutdown hook, no logout, tasks in vCenter keep running. */
  void kill() {
    process.destroyForcibly();
    waitFor();
  }

  /** SIGTERM: the operator's graceful stop. */
  @Override
  public void close() {
    process.destroy();
    if (!waitFor()) {
      kill();
    }
  }

  private boolean waitFor() {
    try {
      return process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
