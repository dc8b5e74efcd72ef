package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator last observed in vCenter, and why the group is or isn't ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VmGroupStatus {
  public static final String PHASE_RUNNING = "RUNNING";
  public static final String PHASE_PENDING = "PENDING";
  public static final String PHASE_ERROR = "ERROR";

  @JsonPropertyDescription(
      "Summary derived from the conditions: RUNNING (Ready), ERROR (Degraded) or PENDING.")
  private String phase;

  @StatusReplicas
  @JsonPropertyDescription("Number of the group's VMs that exist in vCenter right now.")
  private Integer currentReplicas;

  @JsonPropertyDescription("Number of VMs the spec asks for, as of observedGeneration.")
  private Integer desiredReplicas;

  @JsonPropertyDescription(
      "Number of the group's VMs that are powered on with the CPU and memory of the spec.")
  private Integer readyReplicas;

  @JsonPropertyDescription(
      "Number of the group's VMs that have the spec's template and clone mode, or the current"
          + " version of its content library item (recorded on each VM as a hash), and its CPU and"
          + " memory.")
  private Integer updatedReplicas;

  @JsonPropertyDescription(
      "Where the group's VMs are: datacenter, resource pool, datastore and folder, as resolved"
          + " from spec.placement and the operator's settings.")
  private String placement;

  @JsonPropertyDescription(
      "The vCenter that holds the group's VMs: a VCenter resource's name, or the name of the"
          + " operator's own vCenter (default).")
  private String vcenter;

  @JsonPropertyDescription(
      "What new VMs come from, for kubectl get's Template column: spec.template, or"
          + " <library>/<item> for a content library item.")
  private String source;

  @JsonPropertyDescription(
      "Content library deploys the operator started whose VMs don't carry its markers yet: its"
          + " record that such a VM is the group's (a deploy can't write the markers itself).")
  private List<DeployStatus> deploys;

  @JsonPropertyDescription("The most relevant condition's message, for kubectl get.")
  private String lastMessage;

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, Progressing and Degraded, each with a reason and a message naming the cause.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The group's VMs, by name: what vCenter has and what is being done.")
  private List<VmStatus> vms = new ArrayList<>();

  public List<VmStatus> getVms() {
    return vms;
  }

  public void setVms(List<VmStatus> vms) {
    this.vms = vms == null ? new ArrayList<>() : vms;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public Integer getCurrentReplicas() {
    return currentReplicas;
  }

  public void setCurrentReplicas(Integer currentReplicas) {
    this.currentReplicas = currentReplicas;
  }

  public Integer getDesiredReplicas() {
    return desiredReplicas;
  }

  public void setDesiredReplicas(Integer desiredReplicas) {
    this.desiredReplicas = desiredReplicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public String getPlacement() {
    return placement;
  }

  public void setPlacement(String placement) {
    this.placement = placement;
  }

  public String getVcenter() {
    return vcenter;
  }

  public void setVcenter(String vcenter) {
    this.vcenter = vcenter;
  }

  public String getSource() {
    return source;
  }

  public void setSource(String source) {
    this.source = source;
  }

  /** Null when no deploy is waiting for its markers, so the field is left out. */
  public List<DeployStatus> getDeploys() {
    return deploys;
  }

  public void setDeploys(List<DeployStatus> deploys) {
    this.deploys = deploys == null || deploys.isEmpty() ? null : new ArrayList<>(deploys);
  }

  public Integer getUpdatedReplicas() {
    return updatedReplicas;
  }

  public void setUpdatedReplicas(Integer updatedReplicas) {
    this.updatedReplicas = updatedReplicas;
  }

  public String getLastMessage() {
    return lastMessage;
  }

  public void setLastMessage(String lastMessage) {
    this.lastMessage = lastMessage;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VmGroupStatus s
        && Objects.equals(phase, s.phase)
        && Objects.equals(currentReplicas, s.currentReplicas)
        && Objects.equals(desiredReplicas, s.desiredReplicas)
        && Objects.equals(readyReplicas, s.readyReplicas)
        && Objects.equals(updatedReplicas, s.updatedReplicas)
        && Objects.equals(placement, s.placement)
        && Objects.equals(vcenter, s.vcenter)
        && Objects.equals(lastMessage, s.lastMessage)
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(vms, s.vms)
        && Objects.equals(source, s.source)
        && Objects.equals(deploys, s.deploys);
  }

  @Override
  public String toString() {
    return "VmGroupStatus{phase="
        + phase
        + ", current="
        + currentReplicas
        + ", desired="
        + desiredReplicas
        + ", ready="
        + readyReplicas
        + ", updatedReplicas="
        + updatedReplicas
        + ", placement="
        + placement
        + ", vcenter="
        + vcenter
        + ", observedGeneration="
        + observedGeneration
        + ", lastMessage="
        + lastMessage
        + ", conditions="
        + conditions
        + ", vms="
        + vms
        + (source == null ? "" : ", source=" + source)
        + (deploys == null ? "" : ", deploys=" + deploys)
        + "}";
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        phase,
        currentReplicas,
        desiredReplicas,
        readyReplicas,
        updatedReplicas,
        placement,
        vcenter,
        lastMessage,
        observedGeneration,
        conditions,
        vms,
        source,
        deploys);
  }
}
