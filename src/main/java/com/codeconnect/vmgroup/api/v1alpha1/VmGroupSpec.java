package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.Objects;

/** The declared shape of a group: how many VMs, how big, cloned from what. */
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

  @Override
  public boolean equals(Object o) {
    return o instanceof VmGroupSpec s
        && Objects.equals(cpu, s.cpu)
        && Objects.equals(memory, s.memory)
        && Objects.equals(replicas, s.replicas)
        && Objects.equals(template, s.template);
  }

  @Override
  public int hashCode() {
    return Objects.hash(cpu, memory, replicas, template);
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
        + "}";
  }
}
