package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Where a vCenter is and how to log in to it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VCenterSpec {
  @Required
  @Pattern("\\S")
  @JsonPropertyDescription(
      "vCenter host, host:port, or SDK URL (https://vc.example.com/sdk; http:// only for a local"
          + " simulator). A host alone means https://<host>/sdk.")
  public String url;

  @Required
  @JsonPropertyDescription(
      "Secret in the operator's namespace with the vCenter user and password, under the keys"
          + " username and password (or VC_USER and VC_PASS, as in the operator's own vc-creds"
          + " Secret). Read at every login, so a rotated Secret is used without a restart.")
  public SecretReference credentialsSecretRef;

  @JsonPropertyDescription(
      "How to trust vCenter's certificate. Default: the operator's trust store (JVM CAs), with"
          + " hostname verification.")
  public VCenterTls tls;

  public VCenterSpec() {}

  public VCenterSpec(String url, String credentialsSecret, VCenterTls tls) {
    this.url = url;
    this.credentialsSecretRef = new SecretReference(credentialsSecret);
    this.tls = tls;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VCenterSpec s
        && Objects.equals(url, s.url)
        && Objects.equals(credentialsSecretRef, s.credentialsSecretRef)
        && Objects.equals(tls, s.tls);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, credentialsSecretRef, tls);
  }

  /** A Secret in the operator's namespace. */
  public static class SecretReference {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Secret, in the operator's namespace.")
    public String name;

    public SecretReference() {}

    public SecretReference(String name) {
      this.name = name;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SecretReference r && Objects.equals(name, r.name);
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(name);
    }
  }
}
