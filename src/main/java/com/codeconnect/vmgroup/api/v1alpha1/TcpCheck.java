package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A TCP port the operator connects to, to tell whether a VM is ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TcpCheck {
  public static final int DEFAULT_TIMEOUT_SECONDS = 1;
  public static final int DEFAULT_PERIOD_SECONDS = 10;

  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "The port, 1 to 65535. The operator connects from its own pod to the VM's first static"
          + " address (spec.networks), else to the address VMware Tools reports; a connection"
          + " accepted is ready, refused or timed out is not. Only usable where the operator's"
          + " network reaches the VMs' networks, which a cluster often doesn't: then every VM"
          + " stays not ready (TcpTimeout or TcpUnreachable); prefer guestHeartbeat, ipAddress or"
          + " guestInfo, which need no route to the VMs.")
  private Integer port;

  @Min(1)
  @Max(60)
  @JsonPropertyDescription("Seconds a connection attempt may take, 1 to 60. Default 1.")
  private Integer timeoutSeconds;

  @Min(1)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds between two connection attempts to a VM, 1 to 3600. Default 10. A result older"
          + " than three periods no longer counts.")
  private Integer periodSeconds;

  public TcpCheck() {}

  public TcpCheck(Integer port) {
    this.port = port;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public int effectiveTimeoutSeconds() {
    return timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
  }

  public Integer getPeriodSeconds() {
    return periodSeconds;
  }

  public void setPeriodSeconds(Integer periodSeconds) {
    this.periodSeconds = periodSeconds;
  }

  public int effectivePeriodSeconds() {
    return periodSeconds == null ? DEFAULT_PERIOD_SECONDS : periodSeconds;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TcpCheck t
        && Objects.equals(port, t.port)
        && Objects.equals(timeoutSeconds, t.timeoutSeconds)
        && Objects.equals(periodSeconds, t.periodSeconds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(port, timeoutSeconds, periodSeconds);
  }

  @Override
  public String toString() {
    return "TcpCheck{port="
        + port
        + ", timeoutSeconds="
        + timeoutSeconds
        + ", periodSeconds="
        + periodSeconds
        + "}";
  }
}
