package com.codeconnect.vmgroup.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator jar in a process of its own, started the way the Deployment starts it: the same JVM
 * options (read from deploy/base/deployment.yaml), the JVM told it has the Deployment's memory
 * limit, configuration through the environment.
 */
final class OperatorProcess implements AutoCloseable {
  static final Path JAR = Path.of("target/vmgroup-operator.jar");
  static final Path DEPLOYMENT = Path.of("deploy/base/deployment.yaml");

  private final Process process;
  private final Path log;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private OperatorProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts the jar.
   *
   * @param apiServer the Kubernetes API server's URL (a kubeconfig file is written for it)
   * @param env the operator's environment on top of KUBECONFIG (VC_HOST, LOG_FORMAT, ...)
   * @param args options after the jar
   */
  static OperatorProcess start(String apiServer, Map<String, String> env, String... args)
      throws IOException {
    Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
    Files.writeString(kubeconfig, kubeconfig(apiServer));
    Path log = Files.createTempFile("operator", ".log");
    int port = freePort();
    List<String> cmd = new ArrayList<>(deploymentCommand());
    cmd.addAll(List.of(args));
    cmd.add("--health-port=" + port);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().putAll(env);
    return new OperatorProcess(pb.start(), log, port);
  }

  /**
   * The Deployment's container command with this machine's java and jar, and {@code
   * -XX:MaxRAM=<limit>}: without a container the JVM would size its heap from the machine's memory
   * instead of the pod's limit.
   */
  static List<String> deploymentCommand() throws IOException {
    JsonNode container =
        new YAMLMapper().readTree(DEPLOYMENT.toFile()).at("/spec/template/spec/containers/0");
    String limit = container.at("/resources/limits/memory").asText();
    List<String> cmd = new ArrayList<>();
    for (JsonNode part : container.get("command")) {
      String s = part.asText();
      if (s.endsWith("/java")) {
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:MaxRAM=" + limit.replace("Mi", "m").replace("Gi", "g"));
      } else if (s.endsWith(".jar")) {
        cmd.add(JAR.toString());
      } else {
        cmd.add(s);
      }
    }
    return cmd;
  }

  Process process() {
    return process;
  }

  int port() {
    return port;
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  int status(String path) {
    try {
      return http.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  String body(String path) throws IOException, InterruptedException {
    return http.send(request(path), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** One series of a Prometheus scrape, e.g. {@code vmgroup_groups{ready="true"}}, or NaN. */
  static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** The sum of every series of a metric, e.g. all kinds of {@code vcenter_tasks_started_total}. */
  static double sum(String scrape, String metric) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(metric) + "(?:\\{[^}]*\\})? (\\S+)$")
            .matcher(scrape);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }

  /** SIGTERM, as the kubelet sends; true when the process ended within the grace period. */
  boolean stop(Duration grace) throws InterruptedException {
    process.destroy();
    return process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String kubeconfig(String server) {
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
}
