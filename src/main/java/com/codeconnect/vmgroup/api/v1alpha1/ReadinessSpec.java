package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** When a VM of the group counts as ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = ReadinessSpec.GUEST_INFO_WITH_MODE,
    message = ReadinessSpec.GUEST_INFO_MESSAGE)
@ValidationRule(value = ReadinessSpec.TCP_WITH_MODE, message = ReadinessSpec.TCP_MESSAGE)
public class ReadinessSpec {
  /** The longest initial delay: a guest that needs more than an hour to boot is not booting. */
  public static final int MAX_INITIAL_DELAY_SECONDS = 3600;

  static final String GUEST_INFO_WITH_MODE =
      "has(self.guestInfo) == (has(self.mode) && self.mode == 'guestInfo')";
  static final String GUEST_INFO_MESSAGE = "guestInfo must be set exactly when mode is guestInfo";
  static final String TCP_WITH_MODE = "has(self.tcp) == (has(self.mode) && self.mode == 'tcp')";
  static final String TCP_MESSAGE = "tcp must be set exactly when mode is tcp";

  /** What has to hold, besides running with the spec's CPU and memory. */
  public enum Mode {
    /** Nothing more: powered on is ready (the operator's behaviour before spec.readiness). */
    powerOn,
    /** VMware Tools runs in the guest and vCenter rates its heartbeat green. */
    guestHeartbeat,
    /** VMware Tools reports an address; with static addresses, the assigned ones. */
    ipAddress,
    /** The guest wrote a guestinfo key with the expected value. */
    guestInfo,
    /** The operator can open a TCP connection to a port of the VM. */
    tcp
  }

  @JsonPropertyDescription(
      "What makes a running VM (with the spec's CPU and memory) ready. powerOn (default): nothing"
          + " more. guestHeartbeat: VMware Tools runs and vCenter rates the guest heartbeat green."
          + " ipAddress: VMware Tools reports an address other than a link-local one; when"
          + " spec.networks assigns static addresses, every assigned address. guestInfo: the guest"
          + " has set the key of guestInfo to its value (e.g. with vmware-rpctool \"info-set"
          + " guestinfo.vmgroup.ready true\" at the end of its boot). tcp: the operator connects"
          + " to a port of the VM (see tcp). Everything but tcp comes from vCenter's change"
          + " notifications, without polling.")
  private Mode mode;

  @Min(0)
  @Max(MAX_INITIAL_DELAY_SECONDS)
  @JsonPropertyDescription(
      "Seconds after a VM powers on before it can count as ready, whatever the check says"
          + " meanwhile: time for a guest that reports too early (Tools running before the"
          + " services are up). 0 to 3600; default 0.")
  private Integer initialDelaySeconds;

  @JsonPropertyDescription("The guestinfo key and value of mode guestInfo; set only with it.")
  private GuestInfoCheck guestInfo;

  @JsonPropertyDescription("The port and timing of mode tcp; set only with it.")
  private TcpCheck tcp;

  public ReadinessSpec() {}

  public ReadinessSpec(Mode mode) {
    this.mode = mode;
  }

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  /** The mode in force: powerOn unless the spec says otherwise. */
  public Mode effectiveMode() {
    return mode == null ? Mode.powerOn : mode;
  }

  public Integer getInitialDelaySeconds() {
    return initialDelaySeconds;
  }

  public void setInitialDelaySeconds(Integer initialDelaySeconds) {
    this.initialDelaySeconds = initialDelaySeconds;
  }

  /** The initial delay in force: 0 unless the spec says otherwise. */
  public int effectiveInitialDelaySeconds() {
    return initialDelaySeconds == null ? 0 : initialDelaySeconds;
  }

  public GuestInfoCheck getGuestInfo() {
    return guestInfo;
  }

  public void setGuestInfo(GuestInfoCheck guestInfo) {
    this.guestInfo = guestInfo;
  }

  public TcpCheck getTcp() {
    return tcp;
  }

  public void setTcp(TcpCheck tcp) {
    this.tcp = tcp;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReadinessSpec r
        && mode == r.mode
        && Objects.equals(initialDelaySeconds, r.initialDelaySeconds)
        && Objects.equals(guestInfo, r.guestInfo)
        && Objects.equals(tcp, r.tcp);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, initialDelaySeconds, guestInfo, tcp);
  }

  @Override
  public String toString() {
    return "ReadinessSpec{mode="
        + mode
        + ", initialDelaySeconds="
        + initialDelaySeconds
        + ", guestInfo="
        + guestInfo
        + ", tcp="
        + tcp
        + "}";
  }
}
