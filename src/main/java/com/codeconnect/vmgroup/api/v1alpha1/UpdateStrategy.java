package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** How existing VMs follow a change of the VM-shaping spec (template, cloneMode, cpu, memory). */
@ValidationRule(
    value = "!has(self.rollingUpdate) || !has(self.type) || self.type == 'RollingUpdate'",
    message = "rollingUpdate may only be set when type is RollingUpdate")
public class UpdateStrategy {

  /** The update strategies, named as in a Deployment or StatefulSet. */
  public enum Type {
    /** Replace or resize a few VMs at a time, within maxUnavailable and maxSurge. */
    RollingUpdate,
    /** Remove (or power off) all out-of-date VMs first, then create (or start) the new ones. */
    Recreate,
    /** Leave existing VMs as they are; only VMs created from now on get the new spec. */
    OnDelete
  }

  @JsonPropertyDescription(
      "RollingUpdate (default): a few VMs at a time, within maxUnavailable and maxSurge. Recreate:"
          + " all out-of-date VMs are removed (or, for cpu/memory, powered off) before new ones"
          + " come up. OnDelete: existing VMs are left as they are; only new VMs (after a scale-up"
          + " or after someone deletes a VM) get the new spec.")
  private Type type;

  @JsonPropertyDescription("Limits of a RollingUpdate; only valid with type RollingUpdate.")
  private RollingUpdate rollingUpdate;

  public UpdateStrategy() {}

  public UpdateStrategy(Type type, RollingUpdate rollingUpdate) {
    this.type = type;
    this.rollingUpdate = rollingUpdate;
  }

  public Type getType() {
    return type;
  }

  public void setType(Type type) {
    this.type = type;
  }

  public RollingUpdate getRollingUpdate() {
    return rollingUpdate;
  }

  public void setRollingUpdate(RollingUpdate rollingUpdate) {
    this.rollingUpdate = rollingUpdate;
  }

  /** The strategy in force: RollingUpdate unless the spec says otherwise. */
  public Type effectiveType() {
    return type == null ? Type.RollingUpdate : type;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UpdateStrategy s
        && type == s.type
        && Objects.equals(rollingUpdate, s.rollingUpdate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, rollingUpdate);
  }

  @Override
  public String toString() {
    return "UpdateStrategy{type=" + type + ", rollingUpdate=" + rollingUpdate + "}";
  }
}
