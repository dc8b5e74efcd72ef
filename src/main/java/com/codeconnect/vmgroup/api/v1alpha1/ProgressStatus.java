package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** How far a group had come when it last moved towards its spec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProgressStatus {
  @JsonPropertyDescription(
      "Hash of the spec the group is moving to (the VMs' spec hash); a new one starts the clock"
          + " again.")
  private String revision;

  @JsonPropertyDescription(
      "VMs of that spec that were available (ready for minReadySeconds) at the last look.")
  private Integer updatedAvailableReplicas;

  @JsonPropertyDescription("VMs of an older spec that were left to replace at the last look.")
  private Integer outdatedReplicas;

  @JsonPropertyDescription(
      "When the group last made progress (RFC 3339): more VMs of the spec available, or fewer"
          + " old ones.")
  private String lastProgressTime;

  public ProgressStatus() {}

  public ProgressStatus(
      String revision,
      Integer updatedAvailableReplicas,
      Integer outdatedReplicas,
      String lastProgressTime) {
    this.revision = revision;
    this.updatedAvailableReplicas = updatedAvailableReplicas;
    this.outdatedReplicas = outdatedReplicas;
    this.lastProgressTime = lastProgressTime;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public Integer getUpdatedAvailableReplicas() {
    return updatedAvailableReplicas;
  }

  public void setUpdatedAvailableReplicas(Integer updatedAvailableReplicas) {
    this.updatedAvailableReplicas = updatedAvailableReplicas;
  }

  public Integer getOutdatedReplicas() {
    return outdatedReplicas;
  }

  public void setOutdatedReplicas(Integer outdatedReplicas) {
    this.outdatedReplicas = outdatedReplicas;
  }

  public String getLastProgressTime() {
    return lastProgressTime;
  }

  public void setLastProgressTime(String lastProgressTime) {
    this.lastProgressTime = lastProgressTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProgressStatus p
        && Objects.equals(revision, p.revision)
        && Objects.equals(updatedAvailableReplicas, p.updatedAvailableReplicas)
        && Objects.equals(outdatedReplicas, p.outdatedReplicas)
        && Objects.equals(lastProgressTime, p.lastProgressTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(revision, updatedAvailableReplicas, outdatedReplicas, lastProgressTime);
  }

  @Override
  public String toString() {
    return "ProgressStatus{revision="
        + revision
        + ", updatedAvailable="
        + updatedAvailableReplicas
        + ", outdated="
        + outdatedReplicas
        + ", lastProgressTime="
        + lastProgressTime
        + "}";
  }
}
