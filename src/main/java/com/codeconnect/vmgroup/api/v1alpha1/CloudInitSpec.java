package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** cloud-init user-data, inline or from a Secret. */
@ValidationRule(value = CloudInitSpec.EXACTLY_ONE, message = CloudInitSpec.EXACTLY_ONE_MESSAGE)
public class CloudInitSpec {
  static final String EXACTLY_ONE = "has(self.userData) != has(self.userDataSecretRef)";
  static final String EXACTLY_ONE_MESSAGE =
      "set exactly one of userData (inline, not secret) and userDataSecretRef";

  /**
   * Longest inline user-data: what vSphere passes in one guestinfo value (64 KiB) before
   * compression; more belongs in a Secret, and keeps the group object small for every watcher.
   */
  public static final int MAX_INLINE_LENGTH = 64 * 1024;

  static final String VARIABLES =
      " The variables ${VM_NAME}, ${VM_INDEX}, ${GROUP_NAME} and ${GROUP_NAMESPACE} are replaced"
          + " by each VM's values; nothing else is touched (${HOME} stays as it is), and $${"
          + " stands for a literal ${.";

  @Size(max = MAX_INLINE_LENGTH)
  @JsonPropertyDescription(
      "The user-data itself (a #cloud-config document, a script, or MIME multi-part), for data"
          + " that isn't secret: everyone who can read the group can read it."
          + VARIABLES
          + " Encoded (gzip+base64) it must fit vSphere's 64 KiB per guestinfo value. A change"
          + " replaces the VMs (following updateStrategy).")
  private String userData;

  @JsonPropertyDescription(
      "The user-data from a key of a Secret in the group's namespace, read by name; use it for"
          + " passwords, keys and tokens."
          + VARIABLES
          + " A change of the Secret's content replaces the VMs (following updateStrategy). The"
          + " rendered user-data is stored in the VM's extraConfig (guestinfo.userdata), which"
          + " vCenter users who may read the VM's configuration can read.")
  private SecretKeyRef userDataSecretRef;

  public CloudInitSpec() {}

  /** Inline user-data. */
  public CloudInitSpec(String userData) {
    this.userData = userData;
  }

  /** User-data from a Secret key. */
  public CloudInitSpec(SecretKeyRef userDataSecretRef) {
    this.userDataSecretRef = userDataSecretRef;
  }

  public String getUserData() {
    return userData;
  }

  public void setUserData(String userData) {
    this.userData = userData;
  }

  public SecretKeyRef getUserDataSecretRef() {
    return userDataSecretRef;
  }

  public void setUserDataSecretRef(SecretKeyRef userDataSecretRef) {
    this.userDataSecretRef = userDataSecretRef;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CloudInitSpec c
        && Objects.equals(userData, c.userData)
        && Objects.equals(userDataSecretRef, c.userDataSecretRef);
  }

  @Override
  public int hashCode() {
    return Objects.hash(userData, userDataSecretRef);
  }

  /** Logs show where the user-data comes from, never its text. */
  @Override
  public String toString() {
    return userData != null
        ? "CloudInitSpec{userData=(" + userData.length() + " characters)}"
        : "CloudInitSpec{userDataSecretRef=" + userDataSecretRef + "}";
  }
}
