package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Objects;

/** The limits of a rolling update, with a Deployment's meaning and defaults. */
@ValidationRule(
    value =
        "!(has(self.maxSurge) && has(self.maxUnavailable) && string(self.maxSurge) in ['0', '0%']"
            + " && string(self.maxUnavailable) in ['0', '0%'])",
    message = "maxSurge and maxUnavailable must not both be 0: the update could never proceed")
public class RollingUpdate {
  static final String INT_OR_PERCENT =
      "type(self) == int ? self >= 0 : self.matches('^(100|[1-9]?[0-9])%$')";
  static final String INT_OR_PERCENT_MESSAGE =
      "must be a number of VMs (0 or more) or a percentage";

  @ValidationRule(value = INT_OR_PERCENT, message = INT_OR_PERCENT_MESSAGE)
  @JsonPropertyDescription(
      "How many of the desired VMs may be down (not running, or being power-cycled or replaced)"
          + " during an update: a number, or a percentage of replicas rounded down. Default 1;"
          + " when both limits come to 0, 1 VM may be down. A resize that needs a power cycle"
          + " waits, and says so, while this allows no VM to go down.")
  private IntOrString maxUnavailable;

  @ValidationRule(value = INT_OR_PERCENT, message = INT_OR_PERCENT_MESSAGE)
  @JsonPropertyDescription(
      "How many VMs may exist above replicas while VMs are replaced (template or cloneMode"
          + " change): a number, or a percentage of replicas rounded up. Default 0. Extra VMs are"
          + " new VMs with the new spec, so old ones can go once they run.")
  private IntOrString maxSurge;

  public RollingUpdate() {}

  public RollingUpdate(IntOrString maxUnavailable, IntOrString maxSurge) {
    this.maxUnavailable = maxUnavailable;
    this.maxSurge = maxSurge;
  }

  public IntOrString getMaxUnavailable() {
    return maxUnavailable;
  }

  public void setMaxUnavailable(IntOrString maxUnavailable) {
    this.maxUnavailable = maxUnavailable;
  }

  public IntOrString getMaxSurge() {
    return maxSurge;
  }

  public void setMaxSurge(IntOrString maxSurge) {
    this.maxSurge = maxSurge;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RollingUpdate r
        && Objects.equals(maxUnavailable, r.maxUnavailable)
        && Objects.equals(maxSurge, r.maxSurge);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxUnavailable, maxSurge);
  }

  @Override
  public String toString() {
    return "RollingUpdate{maxUnavailable=" + maxUnavailable + ", maxSurge=" + maxSurge + "}";
  }
}
