package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** One key of a Secret in the group's own namespace. */
public class SecretKeyRef {
  /** A DNS subdomain, as Kubernetes requires for Secret names. */
  public static final String NAME_PATTERN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** What Kubernetes allows as a key of a Secret's data. */
  public static final String KEY_PATTERN = "^[-._a-zA-Z0-9]+$";

  @Required
  @Size(max = 253)
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription(
      "Name of the Secret, in the group's namespace. It is read by name when a VM is made (the"
          + " operator needs get on Secrets there); until it exists the group is"
          + " Degraded/BootstrapSecretMissing and no VM is cloned.")
  private String name;

  @Required
  @Size(max = 253)
  @Pattern(KEY_PATTERN)
  @JsonPropertyDescription("Key in the Secret's data whose value is used.")
  private String key;

  public SecretKeyRef() {}

  public SecretKeyRef(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretKeyRef r
        && Objects.equals(name, r.name)
        && Objects.equals(key, r.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, key);
  }

  @Override
  public String toString() {
    return "Secret " + name + "/" + key;
  }
}
