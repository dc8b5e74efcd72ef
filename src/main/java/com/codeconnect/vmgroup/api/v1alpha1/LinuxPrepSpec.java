package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** vSphere guest customization of a Linux guest. */
public class LinuxPrepSpec {
  public static final String DOMAIN_PATTERN =
      "^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$";

  /** An IANA time zone name such as Europe/Berlin or Etc/UTC. */
  public static final String TIME_ZONE_PATTERN = "^[A-Za-z][-+_A-Za-z0-9]*(/[-+_A-Za-z0-9]+)*$";

  @Required
  @Size(max = 253)
  @Pattern(DOMAIN_PATTERN)
  @JsonPropertyDescription(
      "DNS domain of the guest, e.g. example.com (vSphere requires one); the host name is the VM"
          + " name, in lower case with '.' turned into '-', cut to 63 characters.")
  private String domain;

  @Size(max = 64)
  @Pattern(TIME_ZONE_PATTERN)
  @JsonPropertyDescription(
      "Time zone of the guest, an IANA name such as Europe/Berlin. Default: the template's.")
  private String timeZone;

  public LinuxPrepSpec() {}

  public LinuxPrepSpec(String domain, String timeZone) {
    this.domain = domain;
    this.timeZone = timeZone;
  }

  public String getDomain() {
    return domain;
  }

  public void setDomain(String domain) {
    this.domain = domain;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LinuxPrepSpec l
        && Objects.equals(domain, l.domain)
        && Objects.equals(timeZone, l.timeZone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(domain, timeZone);
  }

  @Override
  public String toString() {
    return "LinuxPrepSpec{domain=" + domain + ", timeZone=" + timeZone + "}";
  }
}
