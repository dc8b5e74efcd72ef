package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.SecretKeyRef;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.decision.SensitiveText;
import com.codeconnect.vmgroup.decision.SpecHash;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Secret a group's spec.bootstrap names (cloud-init user-data, a Sysprep answer file), read by
 * name in the group's namespace: the operator may get a Secret it is told the name of, never list
 * or watch Secrets. Its content goes to vCenter in the clone call and nowhere else; a digest of it
 * goes into the spec hash, so a rotated Secret rolls the group as a spec change does.
 *
 * <p>A Secret read is kept for {@link #REMEMBER_FOR}: a group being cloned is reconciled several
 * times a second, and a rotation is noticed at the next look after that.
 */
public final class BootstrapSource {
  static final Duration REMEMBER_FOR = Duration.ofSeconds(5);

  /** Reads one Secret's data by name; empty when there is none. */
  @FunctionalInterface
  public interface SecretReader {
    /**
     * @return the Secret's keys and decoded values
     * @throws SecretForbidden when the operator may not read it
     */
    Optional<Map<String, byte[]>> read(String namespace, String name);
  }

  /** The operator's role doesn't let it read the Secret. */
  static final class SecretForbidden extends RuntimeException {
    SecretForbidden(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * What a group's bootstrap reads besides its spec.
   *
   * @param digest {@link SpecHash#contentDigest} of the Secret value, or null when it reads none
   * @param secret the value itself (prints as its size only), or null
   */
  record Bootstrap(String digest, SensitiveText secret) {
    static final Bootstrap NONE = new Bootstrap(null, null);
  }

  private record Remembered(Optional<Map<String, byte[]>> data, Instant until) {}

  private final SecretReader reader;
  private final Clock clock;
  private final Map<String, Remembered> recent = new ConcurrentHashMap<>();

  BootstrapSource(SecretReader reader, Clock clock) {
    this.reader = reader;
    this.clock = clock;
  }

  /** Reads through the Kubernetes API: a GET of the one Secret. */
  static SecretReader reading(KubernetesClient kube) {
    return (namespace, name) -> {
      try {
        Secret s = kube.secrets().inNamespace(namespace).withName(name).get();
        return Optional.ofNullable(s).map(BootstrapSource::decoded);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 403) {
          throw new SecretForbidden(
              "the operator may not read Secret "
                  + namespace
                  + "/"
                  + name
                  + " (its role grants get on Secrets in the groups' namespaces; see"
                  + " docs/operations.md)");
        }
        throw e;
      }
    };
  }

  /**
   * The bootstrap Secret's value, or {@link Bootstrap#NONE} when the spec names none.
   *
   * @throws GroupStopped BootstrapSecretMissing when the Secret or its key is missing or can't be
   *     read: nothing is cloned without it
   */
  Bootstrap resolve(VmGroup group) {
    SecretKeyRef ref =
        group.getSpec().getBootstrap() == null ? null : group.getSpec().getBootstrap().secretRef();
    if (ref == null) {
      return Bootstrap.NONE;
    }
    String namespace = group.getMetadata().getNamespace();
    String where = "Secret " + namespace + "/" + ref.getName();
    Optional<Map<String, byte[]>> data;
    try {
      data = read(namespace, ref.getName());
    } catch (SecretForbidden e) {
      throw missing(e.getMessage());
    }
    if (data.isEmpty()) {
      throw missing(where + " not found: create it, or fix spec.bootstrap");
    }
    byte[] value = data.get().get(ref.getKey());
    if (value == null) {
      throw missing(
          where
              + " has no key '"
              + ref.getKey()
              + "' (it has "
              + new java.util.TreeSet<>(data.get().keySet())
              + ")");
    }
    return new Bootstrap(
        SpecHash.contentDigest(value),
        new SensitiveText(new String(value, StandardCharsets.UTF_8)));
  }

  /** The group is gone: what was read for it goes too. */
  void forget(VmGroup group) {
    recent.keySet().removeIf(k -> k.startsWith(group.getMetadata().getNamespace() + "/"));
  }

  private Optional<Map<String, byte[]>> read(String namespace, String name) {
    String key = namespace + "/" + name;
    Instant now = clock.instant();
    Remembered r = recent.get(key);
    if (r != null && now.isBefore(r.until())) {
      return r.data();
    }
    Optional<Map<String, byte[]>> data = reader.read(namespace, name);
    recent.put(key, new Remembered(data, now.plus(REMEMBER_FOR)));
    return data;
  }

  private static GroupStopped missing(String message) {
    return new GroupStopped(
        new Problem(Problem.Reason.BootstrapSecretMissing, message),
        "Bootstrap",
        RequeuePolicy.PROBLEM_RETRY);
  }

  /** A Secret's data (base64) and stringData (the mock API server keeps it unconverted). */
  private static Map<String, byte[]> decoded(Secret s) {
    Map<String, byte[]> out = new java.util.HashMap<>();
    if (s.getStringData() != null) {
      s.getStringData().forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> out.put(k, Base64.getDecoder().decode(v)));
    }
    return out;
  }
}
