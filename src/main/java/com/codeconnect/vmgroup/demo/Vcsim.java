package com.codeconnect.vmgroup.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Runs the simulator launcher ({@code tools/vcsim}) as a child process on a free port.
 *
 * <p>The launcher exits when its stdin closes, so a JVM that dies without calling {@link #close()}
 * still takes its simulator with it.
 *
 * <p>Beyond the inventory, the builder sets the launcher's test knobs (asynchronous task delays,
 * SOAP call delays, clone fault injection, session idle timeout), and the instance methods drive
 * its control endpoint ({@code /vcsim/...} on the simulator's own server) while it runs.
 */
public final class Vcsim implements AutoCloseable {
  /** The VM template item of a {@link VcsimBuilder#contentLibrary} library. */
  public static final String VMTX_ITEM = "vm-operator-vmtx";

  /** The OVF item of a {@link VcsimBuilder#contentLibrary} library. */
  public static final String OVF_ITEM = "vm-operator-ovf";

  private final Process process;
  private final URI url;
  private final Path certificate;
  final StringBuilder output = new StringBuilder();
  private HttpClient control;

  Vcsim(Process process, URI url, Path certificate) {
    this.process = process;
    this.url = url;
    this.certificate = certificate;
  }

  public static VcsimBuilder builder() {
    return new VcsimBuilder();
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

  /** What the launcher printed after its URL line (log lines, panics). */
  public String output() {
    synchronized (output) {
      return output.toString();
    }
  }

  /**
   * From now on, clone tasks whose destination name matches {@code regex} fail with {@code
   * NoDiskSpace} (the datastore is full). Replaces the pattern of {@code -fail-clone}.
   */
  public void failClones(String regex) {
    post("fail-clone", Map.of("pattern", regex));
  }

  /** Clone tasks succeed again. */
  public void clearFailures() {
    post("fail-clone", Map.of());
  }

  /**
   * From now on Login accepts only this user and password, as after a password change in vCenter.
   * Existing sessions stay valid.
   */
  public void setCredentials(String user, String password) {
    post("credentials", Map.of("user", user, "password", password));
  }

  /** Where the simulator has a VM: its resource pool and datastores. */
  public record VmPlacement(String resourcePool, java.util.List<String> datastores) {}

  /** A VM's placement as the simulator itself records it (not as a client reports it). */
  public VmPlacement placementOf(com.codeconnect.vmgroup.vsphere.MoRef vm) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : call("GET", "vm-placement", Map.of("vm", vm.value())).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq), line.substring(eq + 1).trim());
      }
    }
    String stores = fields.getOrDefault("datastores", "");
    return new VmPlacement(
        fields.get("pool"),
        stores.isEmpty() ? java.util.List.of() : java.util.List.of(stores.split(",")));
  }

  /** The number of current SOAP sessions (logged in, not logged out, expired or terminated). */
  public int sessionCount() {
    return Integer.parseInt(call("GET", "sessions", Map.of()).trim());
  }

  /**
   * Terminates every SOAP session, as an administrator would; clients see NotAuthenticated on their
   * next call. Returns how many sessions were terminated.
   */
  public int terminateSessions() {
    return Integer.parseInt(post("terminate-sessions", Map.of()).trim());
  }

  /** REST sessions logged in and neither logged out nor ended by {@link #terminateRestSessions}. */
  public int restSessionCount() {
    return Integer.parseInt(call("GET", "rest/sessions", Map.of()).trim());
  }

  /** Ends every REST session; each client's next REST call is answered 401. */
  public int terminateRestSessions() {
    return Integer.parseInt(post("rest/terminate-sessions", Map.of()).trim());
  }

  /**
   * Makes every REST call (login included) hang ({@code "hang"}) or answer {@code status} with a
   * vAPI error ({@code "error"}) while SOAP works; {@code "none"} ends it.
   */
  public void restFault(String mode, int status) {
    post("rest/fault", Map.of("mode", mode, "status", Integer.toString(status)));
  }

  /**
   * Raises the content version of the library items of that name, as uploading new content or
   * checking a template in does; returns the new version.
   */
  public String publishLibraryItem(String item) {
    return post("rest/publish", Map.of("item", item)).trim();
  }

  /** Detaches a tag from a VM behind the operator's back. */
  public void detachTagOutOfBand(String tagId, String vmId) {
    post("rest/detach-tag", Map.of("tag", tagId, "vm", vmId));
  }

  /**
   * Asynchronous tasks (those with a delay) started and not yet finished: tells whether a fault
   * landed while vCenter was still working for the operator.
   */
  public int tasksRunning() {
    return Integer.parseInt(call("GET", "tasks-running", Map.of()).trim());
  }

  /** Moves a VM into another folder (MoveIntoFolder_Task), as an administrator would. */
  public void moveVm(String vmId, String folderId) {
    post("move", Map.of("vm", vmId, "folder", folderId));
  }

  /**
   * Powers a VM off and destroys it at once, as an administrator deleting it would (a client doing
   * it in two tasks races anything that powers the VM on in between).
   */
  public void destroyVm(String vmId) {
    post("destroy", Map.of("vm", vmId));
  }

  /**
   * Powers a VM off without telling any change feed: direct reads see it off, every feed keeps
   * showing it on, as a feed that lost the change would. For tests of what the operator does when
   * its feed is wrong.
   */
  public void powerOffUnnoticed(String vmId) {
    post("power-off-unnoticed", Map.of("vm", vmId));
  }

  /**
   * Sets what VMware Tools reports of one VM's guest (heartbeat, Tools, addresses, a guestinfo
   * key), as a guest that hangs, loses its address or reports ready would; change feeds see it like
   * any change. A guest still coming up after the builder's {@link VcsimBuilder#guestDelay} no
   * longer does: what is set here stays until the VM's power changes.
   */
  public void setGuest(String vmId, GuestEdit edit) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("vm", vmId);
    params.putAll(edit.parameters());
    post("guest", params);
  }

  /**
   * Deletes a folder as vCenter does: every VM in it is powered off and destroyed, then the folder,
   * at once. Returns how many VMs were destroyed.
   */
  public int destroyFolder(String folderId) {
    return Integer.parseInt(post("destroy", Map.of("folder", folderId)).trim());
  }

  /**
   * Changes the task delays of the running simulator. A null argument keeps that delay; {@link
   * Duration#ZERO} makes those tasks synchronous again.
   */
  public void setTaskDelays(
      Duration clone, Duration power, Duration reconfigure, Duration destroy) {
    Map<String, String> params = new LinkedHashMap<>();
    putDuration(params, "clone", clone);
    putDuration(params, "power", power);
    putDuration(params, "reconfigure", reconfigure);
    putDuration(params, "destroy", destroy);
    post("delays", params);
  }

  /**
   * Changes the SOAP call delays of the running simulator (what the builder's {@code delay}, {@code
   * delayJitter} and {@code methodDelay} set at start). A null argument keeps that setting; an
   * empty map clears the per-method delays.
   */
  public void setCallDelays(Duration delay, Double jitter, Map<String, Duration> methods) {
    Map<String, String> params = new LinkedHashMap<>();
    putDuration(params, "delay", delay);
    if (jitter != null) {
      params.put("jitter", Double.toString(jitter));
    }
    if (methods != null) {
      params.put("methods", methodDelays(methods));
    }
    post("call-delays", params);
  }

  static String methodDelays(Map<String, Duration> methods) {
    StringBuilder md = new StringBuilder();
    methods.forEach(
        (m, d) -> {
          if (m.isBlank() || m.contains(",") || m.contains("=")) {
            throw new IllegalArgumentException("not a method name: " + m);
          }
          md.append(md.length() == 0 ? "" : ",").append(m).append('=').append(goDuration(d));
        });
    return md.toString();
  }

  private static void putDuration(Map<String, String> params, String key, Duration d) {
    if (d != null) {
      params.put(key, goDuration(d));
    }
  }

  /** A Java duration as a Go duration string, e.g. {@code 1500ms}. */
  static String goDuration(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + d);
    }
    return d.toNanos() % 1_000_000 == 0 ? d.toMillis() + "ms" : d.toNanos() + "ns";
  }

  private String post(String path, Map<String, String> params) {
    return call("POST", path, params);
  }

  private String call(String method, String path, Map<String, String> params) {
    StringBuilder query = new StringBuilder();
    params.forEach(
        (k, v) ->
            query
                .append(query.length() == 0 ? "?" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    URI uri = url.resolve("/vcsim/" + path + query);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      HttpResponse<String> response =
          controlClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            method + " " + uri + ": HTTP " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + uri + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " " + uri + ": interrupted", e);
    }
  }

  /** A client for the control endpoint; with TLS it trusts exactly the simulator's certificate. */
  private synchronized HttpClient controlClient() {
    if (control == null) {
      HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
      if (certificate != null) {
        b.sslContext(trusting(certificate));
      }
      control = b.build();
    }
    return control;
  }

  private static SSLContext trusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("vcsim-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust the simulator certificate " + pem, e);
    }
  }

  /** CPU time (user and system) the simulator's process has used so far, if the OS tells. */
  public Optional<Duration> cpuTime() {
    return process.info().totalCpuDuration();
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

  /** Ends the simulator at once (SIGKILL), as a crash would: nothing is answered or closed. */
  public void kill() {
    try {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
}
