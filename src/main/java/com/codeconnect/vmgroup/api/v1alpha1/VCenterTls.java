package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Which certificate the operator accepts from one vCenter; applies to that vCenter only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.caBundleRef) ? 1 : 0) + (has(self.thumbprint) ? 1 : 0)"
            + " + (has(self.insecureSkipVerifyDevOnly) && self.insecureSkipVerifyDevOnly ? 1 : 0)"
            + " <= 1",
    message = "set at most one of caBundleRef, thumbprint and insecureSkipVerifyDevOnly")
public class VCenterTls {
  @JsonPropertyDescription(
      "PEM CA bundle (one or more certificates) to trust, from a key of a Secret or ConfigMap in"
          + " the operator's namespace; the hostname is verified.")
  public KeyReference caBundleRef;

  @Pattern("^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{64}$")
  @JsonPropertyDescription(
      "SHA-256 thumbprint of vCenter's certificate (AB:CD:... or 64 hex digits): only that"
          + " certificate is accepted, whatever signed it.")
  public String thumbprint;

  @JsonPropertyDescription(
      "DEVELOPMENT ONLY: accept any certificate from this vCenter, so anyone on the network path"
          + " can read its credentials. For labs and simulators; never for a real vCenter.")
  public Boolean insecureSkipVerifyDevOnly;

  public VCenterTls() {}

  public static VCenterTls caBundle(String kind, String name, String key) {
    VCenterTls t = new VCenterTls();
    t.caBundleRef = new KeyReference(kind, name, key);
    return t;
  }

  public static VCenterTls thumbprint(String sha256) {
    VCenterTls t = new VCenterTls();
    t.thumbprint = sha256;
    return t;
  }

  public static VCenterTls insecure() {
    VCenterTls t = new VCenterTls();
    t.insecureSkipVerifyDevOnly = true;
    return t;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VCenterTls t
        && Objects.equals(caBundleRef, t.caBundleRef)
        && Objects.equals(thumbprint, t.thumbprint)
        && Objects.equals(insecureSkipVerifyDevOnly, t.insecureSkipVerifyDevOnly);
  }

  @Override
  public int hashCode() {
    return Objects.hash(caBundleRef, thumbprint, insecureSkipVerifyDevOnly);
  }

  /** One key of a Secret or ConfigMap in the operator's namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class KeyReference {
    public static final String SECRET = "Secret";
    public static final String CONFIG_MAP = "ConfigMap";

    @Pattern("^(Secret|ConfigMap)$")
    @JsonPropertyDescription("Secret or ConfigMap. Default: ConfigMap.")
    public String kind;

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Secret or ConfigMap, in the operator's namespace.")
    public String name;

    @Required
    @Pattern("\\S")
    @JsonPropertyDescription("Key holding the PEM bundle, e.g. ca.crt.")
    public String key;

    public KeyReference() {}

    public KeyReference(String kind, String name, String key) {
      this.kind = kind;
      this.name = name;
      this.key = key;
    }

    /** Secret or ConfigMap, with the default applied. */
    public String effectiveKind() {
      return kind == null ? CONFIG_MAP : kind;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyReference r
          && Objects.equals(effectiveKind(), r.effectiveKind())
          && Objects.equals(name, r.name)
          && Objects.equals(key, r.key);
    }

    @Override
    public int hashCode() {
      return Objects.hash(effectiveKind(), name, key);
    }
  }
}
