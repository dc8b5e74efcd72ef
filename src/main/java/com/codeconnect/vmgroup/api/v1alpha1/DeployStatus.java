package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;
import java.util.Objects;

/**
 * The operator's record of a content library deploy it started: a deploy call can't carry the
 * ownership markers, so until they are written this record is what tells the VM from a foreign one
 * of the same name, also to an operator that took over after a crash.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeployStatus {
  @JsonPropertyDescription("Name of the VM being deployed.")
  private String vm;

  @JsonPropertyDescription("The group folder the VM is deployed into (its managed object id).")
  private String folder;

  @JsonPropertyDescription("The vCenter task of the deploy.")
  private String task;

  @JsonPropertyDescription(
      "The managed object id of the VM the deploy made, once the task has reported it.")
  private String vmRef;

  @JsonPropertyDescription("When the deploy was started (RFC 3339).")
  private String started;

  @JsonPropertyDescription(
      "The extraConfig markers (ownership, spec hashes) to write on the VM before it is first"
          + " powered on: those of the spec it was deployed from.")
  private Map<String, String> markers;

  public DeployStatus() {}

  public DeployStatus(
      String vm,
      String folder,
      String task,
      String vmRef,
      String started,
      Map<String, String> markers) {
    this.vm = vm;
    this.folder = folder;
    this.task = task;
    this.vmRef = vmRef;
    this.started = started;
    this.markers = markers;
  }

  public String getVm() {
    return vm;
  }

  public void setVm(String vm) {
    this.vm = vm;
  }

  public String getFolder() {
    return folder;
  }

  public void setFolder(String folder) {
    this.folder = folder;
  }

  public String getTask() {
    return task;
  }

  public void setTask(String task) {
    this.task = task;
  }

  public String getVmRef() {
    return vmRef;
  }

  public void setVmRef(String vmRef) {
    this.vmRef = vmRef;
  }

  public String getStarted() {
    return started;
  }

  public void setStarted(String started) {
    this.started = started;
  }

  public Map<String, String> getMarkers() {
    return markers;
  }

  public void setMarkers(Map<String, String> markers) {
    this.markers = markers;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeployStatus d
        && Objects.equals(vm, d.vm)
        && Objects.equals(folder, d.folder)
        && Objects.equals(task, d.task)
        && Objects.equals(vmRef, d.vmRef)
        && Objects.equals(started, d.started)
        && Objects.equals(markers, d.markers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(vm, folder, task, vmRef, started, markers);
  }

  @Override
  public String toString() {
    return "DeployStatus{vm=" + vm + ", folder=" + folder + ", task=" + task + "}";
  }
}
