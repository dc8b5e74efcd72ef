package com.codeconnect.vmgroup.config;

import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.TlsChoice;
import com.codeconnect.vmgroup.vsphere.VcenterConnection;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** How to reach and log in to vCenter: the seed's VC_HOST, VC_USER and VC_PASS, plus TLS. */
public class VcenterOptions {
  @Option(
      names = "--vc-host",
      defaultValue = "${env:VC_HOST}",
      description = "vCenter host, host:port or SDK URL (https://vc.example.com/sdk). Env: VC_HOST")
  String host;

  @Option(
      names = "--vc-user",
      defaultValue = "${env:VC_USER}",
      description = "vCenter user. Env: VC_USER")
  String user;

  @Option(
      names = "--vc-pass",
      defaultValue = "${env:VC_PASS}",
      description = "vCenter password (prefer the environment variable). Env: VC_PASS")
  String password;

  @Option(
      names = "--vc-pass-file",
      defaultValue = "${env:VC_PASS_FILE}",
      description =
          "File holding the vCenter password, e.g. a mounted Secret; read again at every login,"
              + " so a rotated password needs no restart. Env: VC_PASS_FILE")
  Path passwordFile;

  @Option(
      names = "--insecure",
      defaultValue = "${env:VC_INSECURE:-false}",
      description =
          "Don't verify vCenter's TLS certificate (our vCenter client only). Env: VC_INSECURE")
  boolean insecure;

  @Option(
      names = "--ca-file",
      defaultValue = "${env:VC_CA_FILE}",
      description = "PEM bundle of CAs to trust for vCenter. Env: VC_CA_FILE")
  Path caFile;

  @Option(
      names = "--thumbprint",
      defaultValue = "${env:VC_THUMBPRINT}",
      description = "SHA-256 thumbprint of vCenter's certificate to pin. Env: VC_THUMBPRINT")
  String thumbprint;

  @Option(
      names = "--vc-timeout",
      defaultValue = "${env:VC_TIMEOUT:-60s}",
      description = "Timeout of one vCenter call. Env: VC_TIMEOUT. Default: ${DEFAULT-VALUE}")
  String timeout;

  @Option(
      names = "--vc-keepalive",
      defaultValue = "${env:VC_KEEPALIVE:-5m}",
      description =
          "Keep an idle vCenter session alive with a cheap call this often (vCenter expires idle"
              + " sessions after 30 minutes). Env: VC_KEEPALIVE. Default: ${DEFAULT-VALUE}")
  String keepAlive;

  /** True when VC_HOST names the operator's own vCenter (optional with VCenter resources). */
  public boolean configured() {
    return host != null && !host.isBlank();
  }

  public URI sdkUrl() {
    if (host == null || host.isBlank()) {
      throw new ConfigException("VC_HOST (--vc-host)", "is required");
    }
    try {
      return VcenterAddress.sdkUrl(host);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("VC_HOST (--vc-host)", e.getMessage());
    }
  }

  /**
   * The operator's own vCenter as these options describe it; a {@link
   * com.codeconnect.vmgroup.vsphere.VsphereClientFactory} makes the client.
   *
   * @throws ConfigException naming the first setting that is missing or bad
   */
  public VcenterConnection connection() {
    URI url = sdkUrl();
    if (user == null || user.isBlank()) {
      throw new ConfigException("VC_USER (--vc-user)", "is required");
    }
    Supplier<Credentials> credentials = credentials(user.trim());
    credentials.get();
    return new VcenterConnection(
        url,
        credentials,
        tls(),
        OperatorOptions.duration("VC_TIMEOUT (--vc-timeout)", timeout),
        OperatorOptions.duration("VC_KEEPALIVE (--vc-keepalive)", keepAlive));
  }

  private Supplier<Credentials> credentials(String user) {
    if (passwordFile != null) {
      if (!Files.isReadable(passwordFile)) {
        throw new ConfigException(
            "VC_PASS_FILE (--vc-pass-file)", "can't be read: " + passwordFile);
      }
      return passwordFile(user, passwordFile);
    }
    if (password == null || password.isEmpty()) {
      throw new ConfigException("VC_PASS (--vc-pass)", "is required (or set VC_PASS_FILE)");
    }
    Credentials fixed = new Credentials(user, password);
    return () -> fixed;
  }

  /**
   * Credentials whose password is read from a file at every login, so a rotated Secret (mounted as
   * a file) takes effect at the next login without a restart.
   */
  public static Supplier<Credentials> passwordFile(String user, Path file) {
    return () -> {
      try {
        return new Credentials(user, Files.readString(file, StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new ConfigException("VC_PASS_FILE (--vc-pass-file)", "can't be read: " + file);
      }
    };
  }

  private TlsChoice tls() {
    try {
      return TlsChoice.of(
          insecure,
          caFile == null ? null : this::caBundle,
          OperatorOptions.blankToNull(thumbprint));
    } catch (TlsChoice.Conflict e) {
      throw new ConfigException(
          "VC_INSECURE, VC_CA_FILE and VC_THUMBPRINT", "are exclusive: set at most one");
    } catch (IllegalArgumentException e) {
      throw new ConfigException("VC_THUMBPRINT (--thumbprint)", "is not a SHA-256 thumbprint");
    }
  }

  private TlsChoice.CaBundle caBundle() {
    if (!Files.isReadable(caFile)) {
      throw new ConfigException("VC_CA_FILE (--ca-file)", "can't be read: " + caFile);
    }
    return TlsChoice.CaBundle.file(caFile);
  }
}
