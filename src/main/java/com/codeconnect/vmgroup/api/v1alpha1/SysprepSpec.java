package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** vSphere guest customization of a Windows guest with an unattend answer file. */
public class SysprepSpec {
  @Required
  @JsonPropertyDescription(
      "The unattend.xml answer file, from a key of a Secret in the group's namespace (read by"
          + " name: it usually holds the administrator password). The variables ${VM_NAME},"
          + " ${VM_INDEX}, ${GROUP_NAME} and ${GROUP_NAMESPACE} are replaced by each VM's values"
          + " and $${ stands for a literal ${; Windows computer names have at most 15 characters,"
          + " so build a longer VM name's computer name from ${VM_INDEX}. A change of the Secret's"
          + " content replaces the VMs (following updateStrategy).")
  private SecretKeyRef unattendSecretRef;

  public SysprepSpec() {}

  public SysprepSpec(SecretKeyRef unattendSecretRef) {
    this.unattendSecretRef = unattendSecretRef;
  }

  public SecretKeyRef getUnattendSecretRef() {
    return unattendSecretRef;
  }

  public void setUnattendSecretRef(SecretKeyRef unattendSecretRef) {
    this.unattendSecretRef = unattendSecretRef;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SysprepSpec s && Objects.equals(unattendSecretRef, s.unattendSecretRef);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(unattendSecretRef);
  }

  @Override
  public String toString() {
    return "SysprepSpec{unattendSecretRef=" + unattendSecretRef + "}";
  }
}
