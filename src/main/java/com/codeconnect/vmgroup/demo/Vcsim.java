package com.codeconnect.vmgroup.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the simulator launcher ({@code tools/vcsim}) as a child process on a free port.
 *
 * <p>The launcher exits when its stdin closes, so a JVM that dies without calling {@link #close()}
 * still takes its simulator with it.
 */
public final class Vcsim implements AutoCloseable {
  private final Process process;
  private final URI url;
  private final Path certificate;
  private final StringBuilder output = new StringBuilder();

  private Vcsim(Process process, URI url, Path certificate) {
    this.process = process;
    this.url = url;
    this.certificate = certificate;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts a simulator with the default inventory and one template, over plain HTTP. */
  public static Vcsim start() {
    return builder().start();
  }

  /** The SDK URL, e.g. {@code http://127.0.0.1:41234/sdk}. */
  public URI url() {
    return url;
  }

  /** With TLS: the PEM file of the simulator's self-signed certificate. */
  public Path certificate() {
    return certificate;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** Path of the launcher binary: the {@code vcsim.binary} property, else the build's default. */
  public static Path binary() {
    String configured = System.getProperty("vcsim.binary");
    Path path = configured != null ? Path.of(configured) : Path.of("target/vcsim/vcsim");
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(
          "simulator launcher not found at " + path + "; run scripts/build-vcsim.sh first");
    }
    return path;
  }

  public static final class Builder {
    private boolean tls;
    private int clusterHosts = 3;
    private int standaloneHosts = 0;
    private int vms = 2;
    private String templates = "vm-operator-template";
    private final List<String> extraArgs = new ArrayList<>();

    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    public Builder clusterHosts(int n) {
      this.clusterHosts = n;
      return this;
    }

    public Builder standaloneHosts(int n) {
      this.standaloneHosts = n;
      return this;
    }

    public Builder vms(int n) {
      this.vms = n;
      return this;
    }

    public Builder templates(String commaSeparated) {
      this.templates = commaSeparated;
      return this;
    }

    public Builder arg(String arg) {
      extraArgs.add(arg);
      return this;
    }

    public Vcsim start() {
      try {
        Path cert = tls ? Files.createTempFile("vcsim", ".pem") : null;
        List<String> cmd = new ArrayList<>();
        cmd.add(binary().toString());
        cmd.add("-listen=127.0.0.1:0");
        cmd.add("-cluster-hosts=" + clusterHosts);
        cmd.add("-standalone-hosts=" + standaloneHosts);
        cmd.add("-vms=" + vms);
        cmd.add("-templates=" + templates);
        if (tls) {
          cmd.add("-tls");
          cmd.add("-cert-out=" + cert);
        }
        cmd.addAll(extraArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> urlLine =
            CompletableFuture.supplyAsync(
                () -> {
                  StringBuilder seen = new StringBuilder();
                  try {
                    String line;
                    while ((line = out.readLine()) != null) {
                      if (line.startsWith("VCSIM_URL=")) {
                        return line.substring("VCSIM_URL=".length());
                      }
                      seen.append(line).append('\n');
                    }
                  } catch (IOException e) {
                    seen.append(e);
                  }
                  throw new IllegalStateException("simulator exited before start:\n" + seen);
                });
        String url = urlLine.get(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS);
        Vcsim vcsim = new Vcsim(p, URI.create(url), cert);
        Thread drain =
            new Thread(
                () -> {
                  try {
                    String line;
                    while ((line = out.readLine()) != null) {
                      synchronized (vcsim.output) {
                        vcsim.output.append(line).append('\n');
                      }
                    }
                  } catch (IOException ignored) {
                    // the process is gone; nothing more to read
                  }
                },
                "vcsim-output");
        drain.setDaemon(true);
        drain.start();
        return vcsim;
      } catch (Exception e) {
        throw new IllegalStateException("could not start the simulator: " + e.getMessage(), e);
      }
    }
  }
}
