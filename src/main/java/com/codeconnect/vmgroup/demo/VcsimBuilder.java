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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** How to start a {@link Vcsim}: the inventory, TLS and the launcher's test knobs. */
public final class VcsimBuilder {
  private boolean tls;
  private int port;
  private int clusterHosts = 3;
  private int standaloneHosts = 0;
  private int vms = 2;
  private String templates = "vm-operator-template";
  private final List<String> options = new ArrayList<>();
  private final Map<String, Duration> methodDelays = new LinkedHashMap<>();
  private final List<String> extraArgs = new ArrayList<>();

  public VcsimBuilder tls(boolean tls) {
    this.tls = tls;
    return this;
  }

  /**
   * Listens on this port of 127.0.0.1 instead of a free one, e.g. to replace a stopped simulator at
   * the address its clients know.
   */
  public VcsimBuilder port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("not a port: " + port);
    }
    this.port = port;
    return this;
  }

  /**
   * Clusters {@code DC0_C0} ... {@code DC0_C{n-1}} in the datacenter, each with {@link
   * #clusterHosts} hosts and DRS on unless {@link #drs} turns it off (default 1).
   */
  public VcsimBuilder clusters(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative cluster count: " + n);
    }
    return option("clusters", Integer.toString(n));
  }

  /** Whether the clusters have DRS on (default), without which no anti-affinity rule acts. */
  public VcsimBuilder drs(boolean enabled) {
    return option("drs", Boolean.toString(enabled));
  }

  /**
   * A VM that powers on reports VMware Tools running, a green heartbeat and an address after this
   * long (a customization's fixed IP, else one made from its id); one that powers off reports none.
   * {@link Duration#ZERO} (the default) leaves guests as govmomi's simulator keeps them: Tools not
   * running, heartbeat gray.
   */
  public VcsimBuilder guestDelay(Duration d) {
    return option("guest-delay", Vcsim.goDuration(d));
  }

  /** Hosts in each cluster (default 3). */
  public VcsimBuilder clusterHosts(int n) {
    this.clusterHosts = n;
    return this;
  }

  public VcsimBuilder standaloneHosts(int n) {
    this.standaloneHosts = n;
    return this;
  }

  public VcsimBuilder vms(int n) {
    this.vms = n;
    return this;
  }

  public VcsimBuilder templates(String commaSeparated) {
    this.templates = commaSeparated;
    return this;
  }

  /**
   * Clone as govmomi's simulator does, ignoring the clone spec's CPU, memory and powerOn; by
   * default the launcher applies them, as vCenter does.
   */
  public VcsimBuilder cloneQuirks(boolean quirks) {
    return quirks ? arg("-clone-quirks") : this;
  }

  /** These templates (and so their clones) allow CPU and memory hot-add. */
  public VcsimBuilder hotAddTemplates(String commaSeparated) {
    return arg("-hot-add-templates=" + commaSeparated);
  }

  /** These templates get a snapshot, so linked clones can be made from them. */
  public VcsimBuilder snapshotTemplates(String commaSeparated) {
    return arg("-snapshot-templates=" + commaSeparated);
  }

  /** CloneVM_Task returns a running task that finishes after this long. */
  public VcsimBuilder cloneDelay(Duration d) {
    return option("clone-delay", Vcsim.goDuration(d));
  }

  /** PowerOnVM_Task and PowerOffVM_Task return a running task that finishes after this long. */
  public VcsimBuilder powerDelay(Duration d) {
    return option("power-delay", Vcsim.goDuration(d));
  }

  /** ReconfigVM_Task returns a running task that finishes after this long. */
  public VcsimBuilder reconfigureDelay(Duration d) {
    return option("reconfigure-delay", Vcsim.goDuration(d));
  }

  /** A VM's Destroy_Task returns a running task that finishes after this long. */
  public VcsimBuilder destroyDelay(Duration d) {
    return option("destroy-delay", Vcsim.goDuration(d));
  }

  /** Varies each task delay uniformly by up to this fraction (0.2: plus or minus 20%). */
  public VcsimBuilder taskJitter(double fraction) {
    return option("task-jitter", Double.toString(fraction));
  }

  /** Delays every SOAP call of this method (e.g. {@code RetrievePropertiesEx}). */
  public VcsimBuilder methodDelay(String method, Duration d) {
    if (method.isBlank() || method.contains(",") || method.contains("=")) {
      throw new IllegalArgumentException("not a method name: " + method);
    }
    methodDelays.put(method, d);
    return this;
  }

  /** Delays every SOAP call. */
  public VcsimBuilder delay(Duration d) {
    return option("delay", Vcsim.goDuration(d));
  }

  /** Jitter of the call delays, as a coefficient of variation (stddev / mean). */
  public VcsimBuilder delayJitter(double coefficient) {
    return option("delay-jitter", Double.toString(coefficient));
  }

  /** Clone tasks whose destination name matches this regex fail with NoDiskSpace. */
  public VcsimBuilder failClone(String regex) {
    return option("fail-clone", regex);
  }

  /** Sessions idle for this long expire (the simulator's SessionIdleTimeout). */
  public VcsimBuilder sessionIdleTimeout(Duration d) {
    return option("session-idle-timeout", Vcsim.goDuration(d));
  }

  /** Login accepts only this user and password (by default any non-empty pair). */
  public VcsimBuilder credentials(String user, String password) {
    option("username", user);
    return option("password", password);
  }

  /** Lets a clone take a VM name its folder already holds (govmomi's own behaviour). */
  public VcsimBuilder allowDuplicateNames(boolean allow) {
    return option("allow-duplicate-names", Boolean.toString(allow));
  }

  private VcsimBuilder option(String name, String value) {
    options.add("-" + name + "=" + value);
    return this;
  }

  /**
   * A tag category for VMs with these tags, created at start through the REST API as an
   * administrator would (repeatable).
   */
  public VcsimBuilder tagCategory(String category, String... tags) {
    return option("tag-category", category + "=" + String.join(",", tags));
  }

  /**
   * A local content library of this name, created at start, holding a VM template item {@value
   * Vcsim#VMTX_ITEM} (made from the first template) and an OVF item {@value Vcsim#OVF_ITEM}.
   */
  public VcsimBuilder contentLibrary(String name) {
    return option("content-library", name);
  }

  public VcsimBuilder arg(String arg) {
    extraArgs.add(arg);
    return this;
  }

  public Vcsim start() {
    try {
      Path cert = tls ? Files.createTempFile("vcsim", ".pem") : null;
      List<String> cmd = new ArrayList<>();
      cmd.add(Vcsim.binary().toString());
      cmd.add("-listen=127.0.0.1:" + port);
      cmd.add("-cluster-hosts=" + clusterHosts);
      cmd.add("-standalone-hosts=" + standaloneHosts);
      cmd.add("-vms=" + vms);
      cmd.add("-templates=" + templates);
      if (tls) {
        cmd.add("-tls");
        cmd.add("-cert-out=" + cert);
      }
      cmd.addAll(options);
      if (!methodDelays.isEmpty()) {
        cmd.add("-method-delay=" + Vcsim.methodDelays(methodDelays));
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
