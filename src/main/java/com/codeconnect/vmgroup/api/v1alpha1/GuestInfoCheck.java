package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A guestinfo key the guest sets when it is ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuestInfoCheck {
  /**
   * Keys must start with this: the vSphere client keeps only this part of a VM's guestinfo (the
   * rest, the operator's own large bootstrap keys among them, is never read).
   */
  public static final String KEY_PREFIX = "guestinfo.vmgroup.";

  public static final String KEY_PATTERN = "^guestinfo\\.vmgroup\\.[A-Za-z0-9_.-]+$";

  /** What a guest usually writes; the value when the spec names none. */
  public static final String DEFAULT_VALUE = "true";

  @Required
  @Size(max = 128)
  @Pattern(KEY_PATTERN)
  @JsonPropertyDescription(
      "The guestinfo key, which must start with guestinfo.vmgroup. (the only guestinfo keys the"
          + " operator reads), e.g. guestinfo.vmgroup.ready. The guest sets it with"
          + " vmware-rpctool \"info-set guestinfo.vmgroup.ready true\" (VMware Tools or"
          + " open-vm-tools); values set this way last until the VM powers off.")
  private String key;

  @Size(max = 256)
  @JsonPropertyDescription(
      "The value that means ready, compared exactly. Default: true. Any other value, or none,"
          + " is not ready.")
  private String value;

  public GuestInfoCheck() {}

  public GuestInfoCheck(String key, String value) {
    this.key = key;
    this.value = value;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  /** The value that means ready: the spec's, else {@value #DEFAULT_VALUE}. */
  public String effectiveValue() {
    return value == null ? DEFAULT_VALUE : value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GuestInfoCheck g
        && Objects.equals(key, g.key)
        && Objects.equals(value, g.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, value);
  }

  @Override
  public String toString() {
    return "GuestInfoCheck{key=" + key + ", value=" + value + "}";
  }
}
