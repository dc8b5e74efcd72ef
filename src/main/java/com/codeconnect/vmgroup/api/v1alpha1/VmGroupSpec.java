package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.Objects;

/** The declared shape of a group: how many VMs, how big, cloned from what. */
@ValidationRule(
    value =
        "has(self.placement) == has(oldSelf.placement)"
            + " && (!has(self.placement) || self.placement == oldSelf.placement)",
    message =
        "placement can't change once the group exists: its VMs would be left behind; create a"
            + " new group instead")
@ValidationRule(
    value = "!has(oldSelf.vcenter) || (has(self.vcenter) && self.vcenter == oldSelf.vcenter)",
    message =
        "vcenter can't change or be removed once set: the VMs would be left behind; create a new"
            + " group instead")
public class VmGroupSpec {
  public static final int MIN_CPU = 1;
  public static final int MAX_CPU = 4;
  public static final int MIN_MEMORY_GIB = 1;
  public static final int MAX_MEMORY_GIB = 8;

  @Required
  @Min(MIN_CPU)
  @Max(MAX_CPU)
  @JsonPropertyDescription("Number of virtual CPUs of each VM (1 to 4).")
  private Integer cpu;

  @Required
  @Min(MIN_MEMORY_GIB)
  @Max(MAX_MEMORY_GIB)
  @JsonPropertyDescription("Memory of each VM in GiB (1 to 8).")
  private Integer memory;

  @Required
  @Min(0)
  @SpecReplicas
  @JsonPropertyDescription(
      "Number of VMs in the group. 0 scales the group to zero and keeps its folder.")
  private Integer replicas;

  @Required
  @Pattern("\\S")
  @JsonPropertyDescription(
      "VM or template to clone from: a name, searched in the whole datacenter and required to be"
          + " unique there, or an inventory path such as /DC0/vm/templates/ubuntu (a path"
          + " without a leading slash is taken relative to the datacenter's VM folder).")
  private String template;

  /** What happens to the VMs when the group is deleted. */
  public enum DeletionPolicy {
    /** Power off and destroy the group's VMs and its folder. */
    Delete,
    /** Leave VMs and folder in vCenter and remove the operator's ownership markers. */
    Retain
  }

  @JsonPropertyDescription(
      "Delete (default): deleting the group powers off and destroys its VMs and folder. Retain:"
          + " they stay in vCenter as ordinary VMs (the operator's markers are removed).")
  private DeletionPolicy deletionPolicy;

  /** How a VM is cloned from the template. */
  public enum CloneMode {
    /** An independent copy of the template's disks. */
    full,
    /** Disks that share the template's current snapshot: fast to create, small on disk. */
    linked
  }

  @JsonPropertyDescription(
      "full (default): each VM gets its own copy of the template's disks. linked: VMs share the"
          + " template's current snapshot as a read-only base (fast, thin); the template must have"
          + " a snapshot. Changing it replaces the VMs like a template change.")
  private CloneMode cloneMode;

  @JsonPropertyDescription(
      "How existing VMs follow a change of template, cloneMode, cpu or memory. Default:"
          + " RollingUpdate with maxUnavailable 1 and maxSurge 0: one VM at a time, no extra VMs,"
          + " and a replaced VM's successor gets its name.")
  private UpdateStrategy updateStrategy;

  @JsonPropertyDescription(
      "Where the VMs go: datacenter, cluster or resource pool, datastore and root folder. Each"
          + " field defaults to the operator's setting. Fixed once the group exists.")
  private PlacementSpec placement;

  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Name of the VCenter resource whose vCenter holds the VMs; it must allow the group's"
          + " namespace. Default: the one VCenter that allows the namespace, else the operator's"
          + " own vCenter (its environment settings). Can be set later (to pin a group to where its"
          + " VMs are), not changed or removed once set.")
  private String vcenter;

  public VmGroupSpec() {}

  public VmGroupSpec(Integer cpu, Integer memory, Integer replicas, String template) {
    this.cpu = cpu;
    this.memory = memory;
    this.replicas = replicas;
    this.template = template;
  }

  public Integer getCpu() {
    return cpu;
  }

  public void setCpu(Integer cpu) {
    this.cpu = cpu;
  }

  public Integer getMemory() {
    return memory;
  }

  public void setMemory(Integer memory) {
    this.memory = memory;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public String getTemplate() {
    return template;
  }

  public void setTemplate(String template) {
    this.template = template;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  public CloneMode getCloneMode() {
    return cloneMode;
  }

  public void setCloneMode(CloneMode cloneMode) {
    this.cloneMode = cloneMode;
  }

  /** The clone mode in force: full unless the spec says otherwise. */
  public CloneMode effectiveCloneMode() {
    return cloneMode == null ? CloneMode.full : cloneMode;
  }

  public PlacementSpec getPlacement() {
    return placement;
  }

  public void setPlacement(PlacementSpec placement) {
    this.placement = placement;
  }

  public String getVcenter() {
    return vcenter;
  }

  public void setVcenter(String vcenter) {
    this.vcenter = vcenter;
  }

  public UpdateStrategy getUpdateStrategy() {
    return updateStrategy;
  }

  public void setUpdateStrategy(UpdateStrategy updateStrategy) {
    this.updateStrategy = updateStrategy;
  }

  /** The policy in force: Delete unless the spec says otherwise. */
  public DeletionPolicy effectiveDeletionPolicy() {
    return deletionPolicy == null ? DeletionPolicy.Delete : deletionPolicy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VmGroupSpec s
        && Objects.equals(deletionPolicy, s.deletionPolicy)
        && Objects.equals(cloneMode, s.cloneMode)
        && Objects.equals(updateStrategy, s.updateStrategy)
        && Objects.equals(placement, s.placement)
        && Objects.equals(vcenter, s.vcenter)
        && Objects.equals(cpu, s.cpu)
        && Objects.equals(memory, s.memory)
        && Objects.equals(replicas, s.replicas)
        && Objects.equals(template, s.template);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        cpu,
        memory,
        replicas,
        template,
        deletionPolicy,
        cloneMode,
        updateStrategy,
        placement,
        vcenter);
  }

  @Override
  public String toString() {
    return "VmGroupSpec{cpu="
        + cpu
        + ", memory="
        + memory
        + ", replicas="
        + replicas
        + ", template="
        + template
        + ", deletionPolicy="
        + deletionPolicy
        + ", cloneMode="
        + cloneMode
        + ", updateStrategy="
        + updateStrategy
        + ", placement="
        + placement
        + ", vcenter="
        + vcenter
        + "}";
  }
}
