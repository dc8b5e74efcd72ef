package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.Objects;

/** When a VM that isn't ready is replaced, and when the group stops replacing VMs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HealthCheckSpec {
  /**
   * A duration as Kubernetes writes one: hours, minutes and seconds in that order, each optional
   * but one at least, e.g. 90s, 5m or 1h30m.
   */
  public static final String DURATION_PATTERN =
      "^([0-9]{1,6}h([0-9]{1,6}m)?([0-9]{1,6}s)?|[0-9]{1,6}m([0-9]{1,6}s)?|[0-9]{1,6}s)$";

  /**
   * Shorter limits would replace VMs whose guest only paused: a heartbeat misses a beat under load
   * or during a vMotion.
   */
  public static final Duration MIN_DURATION = Duration.ofSeconds(10);

  static final String MIN_DURATION_RULE = "duration(self) >= duration('10s')";
  static final String MIN_DURATION_MESSAGE = "must be at least 10s";

  public static final Duration DEFAULT_UNHEALTHY_AFTER = Duration.ofMinutes(5);
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofMinutes(10);
  public static final IntOrString DEFAULT_MAX_UNHEALTHY = new IntOrString("40%");

  @Pattern(DURATION_PATTERN)
  @ValidationRule(value = MIN_DURATION_RULE, message = MIN_DURATION_MESSAGE)
  @JsonPropertyDescription(
      "How long a VM that was ready may stay not ready before it is replaced (destroyed and"
          + " cloned again under its name, with its index's static addresses), e.g. 5m or 1h30m;"
          + " at least 10s. Default 5m. Counted from the moment it stopped being ready, by"
          + " spec.readiness.")
  private String unhealthyAfter;

  @Pattern(DURATION_PATTERN)
  @ValidationRule(value = MIN_DURATION_RULE, message = MIN_DURATION_MESSAGE)
  @JsonPropertyDescription(
      "How long a new VM may take to become ready for the first time before it is replaced,"
          + " counted from when it appeared; at least 10s and longer than"
          + " spec.readiness.initialDelaySeconds. Default 10m. A VM of the current spec that never"
          + " became ready is not replaced once spec.progressDeadlineSeconds has passed without"
          + " progress: a broken template or network would only fail again.")
  private String startupTimeout;

  @ValidationRule(value = RollingUpdate.INT_OR_PERCENT, message = MAX_UNHEALTHY_MESSAGE)
  @JsonPropertyDescription(
      "The brake: when more VMs are unhealthy (past unhealthyAfter or startupTimeout) than this,"
          + " none is replaced and the group is Degraded/TooManyUnhealthy, since so many failing"
          + " at once points at a common cause (template, network, datastore) that new VMs would"
          + " share. A number of VMs, or a percentage of replicas rounded down (as cluster-api's MachineHealthCheck). Default 40%; 0"
          + " replaces nothing and only reports. Replacements also count against"
          + " updateStrategy.rollingUpdate.maxUnavailable, with the rollout's.")
  private IntOrString maxUnhealthy;

  static final String MAX_UNHEALTHY_MESSAGE =
      "must be a number of VMs (0 or more) or a percentage such as 30%";

  public HealthCheckSpec() {}

  public HealthCheckSpec(String unhealthyAfter, String startupTimeout, IntOrString maxUnhealthy) {
    this.unhealthyAfter = unhealthyAfter;
    this.startupTimeout = startupTimeout;
    this.maxUnhealthy = maxUnhealthy;
  }

  public String getUnhealthyAfter() {
    return unhealthyAfter;
  }

  public void setUnhealthyAfter(String unhealthyAfter) {
    this.unhealthyAfter = unhealthyAfter;
  }

  public String getStartupTimeout() {
    return startupTimeout;
  }

  public void setStartupTimeout(String startupTimeout) {
    this.startupTimeout = startupTimeout;
  }

  public IntOrString getMaxUnhealthy() {
    return maxUnhealthy;
  }

  public void setMaxUnhealthy(IntOrString maxUnhealthy) {
    this.maxUnhealthy = maxUnhealthy;
  }

  /** unhealthyAfter in force; only for a valid spec. */
  public Duration effectiveUnhealthyAfter() {
    return unhealthyAfter == null ? DEFAULT_UNHEALTHY_AFTER : parseDuration(unhealthyAfter);
  }

  /** startupTimeout in force; only for a valid spec. */
  public Duration effectiveStartupTimeout() {
    return startupTimeout == null ? DEFAULT_STARTUP_TIMEOUT : parseDuration(startupTimeout);
  }

  public IntOrString effectiveMaxUnhealthy() {
    return maxUnhealthy == null ? DEFAULT_MAX_UNHEALTHY : maxUnhealthy;
  }

  /**
   * A duration of {@link #DURATION_PATTERN}, or null when the text isn't one (the validator says
   * so).
   */
  public static Duration parseDuration(String text) {
    if (text == null || !text.matches(DURATION_PATTERN)) {
      return null;
    }
    Duration d = Duration.ZERO;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char unit = text.charAt(i);
      if (unit == 'h' || unit == 'm' || unit == 's') {
        long n = Long.parseLong(text.substring(start, i));
        d =
            d.plus(
                unit == 'h'
                    ? Duration.ofHours(n)
                    : unit == 'm' ? Duration.ofMinutes(n) : Duration.ofSeconds(n));
        start = i + 1;
      }
    }
    return d;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HealthCheckSpec h
        && Objects.equals(unhealthyAfter, h.unhealthyAfter)
        && Objects.equals(startupTimeout, h.startupTimeout)
        && Objects.equals(maxUnhealthy, h.maxUnhealthy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(unhealthyAfter, startupTimeout, maxUnhealthy);
  }

  @Override
  public String toString() {
    return "HealthCheckSpec{unhealthyAfter="
        + unhealthyAfter
        + ", startupTimeout="
        + startupTimeout
        + ", maxUnhealthy="
        + maxUnhealthy
        + "}";
  }
}
