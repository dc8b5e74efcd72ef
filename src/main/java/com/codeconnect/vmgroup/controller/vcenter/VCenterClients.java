package com.codeconnect.vmgroup.controller.vcenter;

import com.codeconnect.vmgroup.api.v1alpha1.VCenter;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterTls;
import com.codeconnect.vmgroup.config.VcenterAddress;
import com.codeconnect.vmgroup.decision.Connection;
import com.codeconnect.vmgroup.endpoint.Endpoints;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.TlsChoice;
import com.codeconnect.vmgroup.vsphere.VcenterConnection;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereClientFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vCenter client per VCenter resource, built from its spec, its credentials Secret and its CA
 * bundle as the informers have them now, and rebuilt (the old one logged out) when any of them
 * changes. A spec or Secret someone has to fix is a {@link Misconfigured}, naming what to fix.
 */
final class VCenterClients {
  private static final Logger log = LoggerFactory.getLogger(VCenterClients.class);

  /** What a client was built for: any difference means a new client (and a logout of the old). */
  record Endpoint(URI url, String secret, String trust, String caBundleDigest) {}

  record Held(Endpoint endpoint, VsphereClient client) {}

  private final VCenterSettings settings;
  private final VsphereClientFactory clientFactory;
  private final Endpoints endpoints;
  private final Map<String, Held> clients = new ConcurrentHashMap<>();
  private volatile InformerEventSource<Secret, VCenter> secrets;
  private volatile InformerEventSource<ConfigMap, VCenter> configMaps;

  VCenterClients(
      VCenterSettings settings, VsphereClientFactory clientFactory, Endpoints endpoints) {
    this.settings = settings;
    this.clientFactory = clientFactory;
    this.endpoints = endpoints;
  }

  /** The informers Secrets and CA bundles are read from (made with the controller's sources). */
  void readFrom(
      InformerEventSource<Secret, VCenter> secrets,
      InformerEventSource<ConfigMap, VCenter> configMaps) {
    this.secrets = secrets;
    this.configMaps = configMaps;
  }

  /** The client for the VCenter's current endpoint, replacing (and logging out) an outdated one. */
  Held client(VCenter vc) {
    String name = vc.getMetadata().getName();
    if (Endpoints.DEFAULT_NAME.equals(name) && endpoints.own().isPresent()) {
      // Groups record their vCenter by name: two vCenters under one name could send a group to
      // the wrong one.
      throw new Misconfigured(
          Connection.INVALID_SPEC,
          "the name '"
              + name
              + "' is reserved for the operator's own vCenter (VC_HOST): give this VCenter"
              + " another name");
    }
    VCenterSpec spec = vc.getSpec();
    if (spec == null || spec.url == null || spec.url.isBlank()) {
      throw new Misconfigured(Connection.INVALID_SPEC, "spec.url is required");
    }
    URI url;
    try {
      url = VcenterAddress.sdkUrl(spec.url);
    } catch (IllegalArgumentException e) {
      throw new Misconfigured(Connection.INVALID_SPEC, "spec.url " + e.getMessage());
    }
    if (spec.credentialsSecretRef == null || spec.credentialsSecretRef.name == null) {
      throw new Misconfigured(
          Connection.INVALID_SPEC, "spec.credentialsSecretRef.name is required");
    }
    String secretName = spec.credentialsSecretRef.name;
    // fail before any login when the Secret is unusable: the reason then names the Secret
    credentials(secretName);
    TlsChoice trust = trust(spec.tls);
    Endpoint endpoint =
        new Endpoint(
            url,
            secretName,
            trust.toString(),
            digest(trust instanceof TlsChoice.CaBundle ca ? ca.pem() : null));
    Held current = clients.get(name);
    if (current != null && current.endpoint().equals(endpoint)) {
      return current;
    }
    if (current != null) {
      close(name, "its endpoint changed");
    }
    VsphereClient client =
        clientFactory.connect(
            new VcenterConnection(
                url,
                () -> credentials(secretName),
                trust,
                settings.callTimeout(),
                VcenterConnection.DEFAULT_KEEP_ALIVE));
    Held held = new Held(endpoint, client);
    clients.put(name, held);
    log.info("VCenter {}: client for {} ({})", name, url, trust);
    return held;
  }

  private TlsChoice trust(VCenterTls tls) {
    if (tls == null) {
      return TlsChoice.of(false, null, null);
    }
    try {
      return TlsChoice.of(
          Boolean.TRUE.equals(tls.insecureSkipVerifyDevOnly),
          tls.caBundleRef == null ? null : () -> caBundle(tls.caBundleRef),
          tls.thumbprint);
    } catch (TlsChoice.Conflict e) {
      throw new Misconfigured(
          Connection.INVALID_SPEC,
          "spec.tls: set at most one of caBundleRef, thumbprint and insecureSkipVerifyDevOnly");
    } catch (IllegalArgumentException e) {
      throw new Misconfigured(Connection.INVALID_SPEC, "spec.tls.thumbprint " + e.getMessage());
    }
  }

  /** The CA bundle a reference points at, as the informers have it now. */
  private TlsChoice.CaBundle caBundle(VCenterTls.KeyReference ref) {
    String source =
        ref.effectiveKind() + " " + settings.namespace() + "/" + ref.name + " key " + ref.key;
    String pem = caBundleText(ref).orElse(null);
    if (pem == null || pem.isBlank()) {
      throw new Misconfigured(Connection.CA_BUNDLE_MISSING, source + " not found or empty");
    }
    return TlsChoice.CaBundle.pem(pem, source);
  }

  private Optional<String> caBundleText(VCenterTls.KeyReference ref) {
    ResourceID id = new ResourceID(ref.name, settings.namespace());
    if (VCenterTls.KeyReference.SECRET.equals(ref.effectiveKind())) {
      return secrets.get(id).map(s -> value(s, ref.key));
    }
    return configMaps
        .get(id)
        .map(
            c -> {
              if (c.getData() != null && c.getData().get(ref.key) != null) {
                return c.getData().get(ref.key);
              }
              return c.getBinaryData() == null || c.getBinaryData().get(ref.key) == null
                  ? null
                  : new String(
                      Base64.getDecoder().decode(c.getBinaryData().get(ref.key)),
                      StandardCharsets.UTF_8);
            });
  }

  /**
   * The user and password from the Secret as the informer has it now. Keys username/password, or
   * VC_USER/VC_PASS as in the operator's own vc-creds Secret.
   */
  private Credentials credentials(String secretName) {
    Secret secret = secrets.get(new ResourceID(secretName, settings.namespace())).orElse(null);
    String where = "Secret " + settings.namespace() + "/" + secretName;
    if (secret == null) {
      throw new Misconfigured(Connection.SECRET_MISSING, where + " not found");
    }
    String user = first(value(secret, "username"), value(secret, "VC_USER"));
    String password = first(value(secret, "password"), value(secret, "VC_PASS"));
    if (user == null || user.isBlank() || password == null) {
      throw new Misconfigured(
          Connection.SECRET_MISSING,
          where + " has no username and password (or VC_USER and VC_PASS) keys");
    }
    return new Credentials(user.trim(), stripNewline(password));
  }

  /** A password file or `echo` into a Secret often ends in a newline that is not the password's. */
  private static String stripNewline(String s) {
    return s.endsWith("\r\n")
        ? s.substring(0, s.length() - 2)
        : s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }

  private static String value(Secret s, String key) {
    if (s.getData() != null && s.getData().get(key) != null) {
      return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }
    // stringData only survives on API servers that don't convert it (the tests' mock)
    return s.getStringData() == null ? null : s.getStringData().get(key);
  }

  private static String digest(String text) {
    if (text == null) {
      return null;
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops using a VCenter's client and logs it out. */
  void close(String name, String why) {
    Held held = clients.remove(name);
    if (held != null) {
      endpoints.disconnect(name);
      log.info("VCenter {}: logging out of {} because {}", name, held.endpoint().url(), why);
      held.client().close();
    }
  }

  Set<String> names() {
    return Set.copyOf(clients.keySet());
  }

  /** Logs out of every vCenter, at shutdown. */
  void closeAll() {
    for (String name : List.copyOf(clients.keySet())) {
      close(name, "the operator is stopping");
    }
  }
}
