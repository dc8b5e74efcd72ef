package com.codeconnect.vmgroup.testing;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionFactory;

/**
 * The operator's jar in a process of its own, as a user or the Deployment starts it: configured
 * through the environment and a kubeconfig, its health server on a port of its own, its output in a
 * log file. A test stops it as the kubelet does (SIGTERM) or kills it (SIGKILL).
 *
 * <pre>{@code
 * try (OperatorProcess operator =
 *     OperatorProcess.builder()
 *         .apiServer(kube.getMasterUrl().toString())
 *         .vcenter(sim.url(), "administrator@vsphere.local", password)
 *         .args("--resync-interval=2s")
 *         .start()) {
 *   operator.awaitOk("/readyz", Wait.eventually());
 *   ...
 * }
 * }</pre>
 */
public final class OperatorProcess implements AutoCloseable {
  /**
   * The build's output directory: failsafe passes the pom's {@code build.dir}, so a build with
   * {@code -Dbuild.dir=...} finds its own jar rather than a stale one in {@code target}.
   */
  public static final Path BUILD_DIR = Path.of(System.getProperty("build.dir", "target"));

  /** The jar {@code mvn package} builds. */
  public static final Path JAR = BUILD_DIR.resolve("vmgroup-operator.jar");

  private final Process process;
  private final List<String> command;
  private final int healthPort;
  private final Path log;
  private final Duration grace;
  private final Duration httpTimeout;
  private final HttpClient http;
  private final long startedNanos;

  private OperatorProcess(
      Builder b, Process process, long startedNanos, List<String> command, int healthPort) {
    this.process = process;
    this.startedNanos = startedNanos;
    this.command = List.copyOf(command);
    this.healthPort = healthPort;
    this.log = b.log;
    this.grace = b.grace;
    this.httpTimeout = b.httpTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(b.httpTimeout).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How the process is started; everything has a default but the API server. */
  public static final class Builder {
    private Path jar = JAR;
    private Path kubeconfig;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private boolean deploymentJvm;
    private Path log;
    private int healthPort;
    private Duration grace = Duration.ofSeconds(10);
    private Duration httpTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /** Another jar than the build's. */
    public Builder jar(Path jar) {
      this.jar = jar;
      return this;
    }

    /** A kubeconfig is written for the API server at this URL. */
    public Builder apiServer(String url) {
      return kubeconfig(OperatorProcess.kubeconfig(url));
    }

    public Builder kubeconfig(Path kubeconfig) {
      this.kubeconfig = kubeconfig;
      return this;
    }

    /** VC_HOST, VC_USER and VC_PASS, as the seed's users configure the operator. */
    public Builder vcenter(URI sdkUrl, String user, String password) {
      return env("VC_HOST", sdkUrl.toString()).env("VC_USER", user).env("VC_PASS", password);
    }

    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    public Builder env(Map<String, String> variables) {
      env.putAll(variables);
      return this;
    }

    /** Options after the jar; {@code --health-port} is added by the harness. */
    public Builder args(String... args) {
      this.args.addAll(List.of(args));
      return this;
    }

    /** JVM options before {@code -jar}. */
    public Builder jvmOptions(List<String> options) {
      jvmOptions.addAll(options);
      return this;
    }

    /**
     * The Deployment's JVM options (read from deploy/base/deployment.yaml) and its memory limit as
     * {@code -XX:MaxRAM}: without a container the JVM would size its heap from the machine's memory
     * instead of the pod's limit.
     */
    public Builder deploymentJvm() {
      deploymentJvm = true;
      return this;
    }

    /** Where the output goes; a new temporary file by default. */
    public Builder log(Path log) {
      this.log = log;
      return this;
    }

    /** The health server's port; a free one by default. */
    public Builder healthPort(int port) {
      this.healthPort = port;
      return this;
    }

    /** How long {@link #close()} waits after SIGTERM before it kills the process. */
    public Builder grace(Duration grace) {
      this.grace = grace;
      return this;
    }

    /** How long one request to the health server may take. */
    public Builder httpTimeout(Duration timeout) {
      this.httpTimeout = timeout;
      return this;
    }

    public OperatorProcess start() {
      if (kubeconfig == null) {
        throw new IllegalStateException("no API server: call apiServer(url) or kubeconfig(file)");
      }
      try {
        int port = healthPort > 0 ? healthPort : freePort();
        if (log == null) {
          log = Files.createTempFile("operator", ".log");
        } else if (log.getParent() != null) {
          Files.createDirectories(log.getParent());
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (deploymentJvm) {
          // The image's class-data-sharing archive isn't here: the JVM runs without one.
          cmd.addAll(
              DeployedJvm.read(DeployedJvm.DEPLOYMENT)
                  .localOptions(Path.of(DeployedJvm.IMAGE_ARCHIVE)));
        }
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        cmd.add("--health-port=" + port);
        ProcessBuilder pb =
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().putAll(env);
        long started = System.nanoTime();
        return new OperatorProcess(this, pb.start(), started, cmd, port);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public Process process() {
    return process;
  }

  /** The command line it was started with. */
  public List<String> command() {
    return command;
  }

  public int healthPort() {
    return healthPort;
  }

  public Path log() {
    return log;
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** {@link System#nanoTime()} just before the process was started: figures count from it. */
  public long startedNanos() {
    return startedNanos;
  }

  public long millisSinceStart() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** What it printed so far. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** The HTTP status of GET {@code path} on the health server; -1 when it doesn't answer. */
  public int status(String path) {
    try {
      return http.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The body of GET {@code path} on the health server, e.g. the /metrics scrape. */
  public String body(String path) throws IOException, InterruptedException {
    return http.send(request(path), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** True when /readyz answers 200: informers synced and the vCenter inventory too. */
  public boolean ready() {
    return status("/readyz") == 200;
  }

  /**
   * Waits until GET {@code path} answers 200; fails at once, with the output, if the process ends
   * meanwhile.
   */
  public void awaitOk(String path, ConditionFactory wait) {
    wait.until(
        () -> {
          if (!alive()) {
            throw new IllegalStateException(
                "the operator exited with " + process.exitValue() + ":\n" + output());
          }
          return status(path) == 200;
        });
  }

  /** SIGTERM, as the kubelet sends; true when the process ended within {@code grace}. */
  public boolean stop(Duration grace) {
    process.destroy();
    return waitFor(grace);
  }

  /** SIGKILL: no shutdown hook, no logout, tasks in vCenter keep running. */
  public void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** SIGTERM, and SIGKILL if it hasn't ended within the builder's grace period. */
  @Override
  public void close() {
    if (process.isAlive() && !stop(grace)) {
      kill();
    }
  }

  private boolean waitFor(Duration d) {
    try {
      return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + path))
        .timeout(httpTimeout)
        .build();
  }

  /** One series of a Prometheus scrape, e.g. {@code vmgroup_groups{ready="true"}}, or NaN. */
  public static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** The sum of every series of a metric, e.g. all kinds of {@code vcenter_tasks_started_total}. */
  public static double sum(String scrape, String metric) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(metric) + "(?:\\{[^}]*\\})? (\\S+)$")
            .matcher(scrape);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }

  /** A kubeconfig file for an API server at {@code server}, without credentials. */
  public static Path kubeconfig(String server) {
    return kubeconfig(server, "default");
  }

  /** A kubeconfig file for an API server at {@code server}, {@code namespace} its default. */
  public static Path kubeconfig(String server, String namespace) {
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
              "    namespace: " + namespace,
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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
