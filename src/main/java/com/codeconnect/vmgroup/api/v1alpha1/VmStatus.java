package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** One VM of the group as last observed in vCenter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VmStatus {
  public static final String CLONING = "Cloning";
  public static final String DEPLOYING = "Deploying";
  public static final String CONFIGURING = "Configuring";
  public static final String RUNNING = "Running";
  public static final String UPDATING = "Updating";
  public static final String DELETING = "Deleting";
  public static final String FAILED = "Failed";

  @JsonPropertyDescription("VM name in vCenter.")
  private String name;

  @JsonPropertyDescription("vCenter instance UUID of the VM, once it exists.")
  private String instanceUuid;

  @JsonPropertyDescription("poweredOn, poweredOff or suspended.")
  private String powerState;

  @JsonPropertyDescription("Virtual CPUs the VM has now.")
  private Integer cpu;

  @JsonPropertyDescription("Memory the VM has now, in MiB.")
  private Long memoryMiB;

  @JsonPropertyDescription("Primary IP address reported by VMware Tools, when known.")
  private String ipAddress;

  @JsonPropertyDescription(
      "Static addresses the operator assigned to the VM from spec.networks' pools, one per adapter"
          + " with static addresses, in the order of spec.networks; what VMware Tools reports is"
          + " ipAddress.")
  private List<String> assignedAddresses;

  @JsonPropertyDescription(
      "Cloning, Deploying (from a content library), Configuring, Running, Updating, Deleting or"
          + " Failed (the last task failed).")
  private String phase;

  @JsonPropertyDescription("The last error of a task on this VM, until one succeeds.")
  private String lastError;

  public VmStatus() {}

  public VmStatus(
      String name,
      String instanceUuid,
      String powerState,
      Integer cpu,
      Long memoryMiB,
      String ipAddress,
      String phase,
      String lastError) {
    this.name = name;
    this.instanceUuid = instanceUuid;
    this.powerState = powerState;
    this.cpu = cpu;
    this.memoryMiB = memoryMiB;
    this.ipAddress = ipAddress;
    this.phase = phase;
    this.lastError = lastError;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getInstanceUuid() {
    return instanceUuid;
  }

  public void setInstanceUuid(String instanceUuid) {
    this.instanceUuid = instanceUuid;
  }

  public String getPowerState() {
    return powerState;
  }

  public void setPowerState(String powerState) {
    this.powerState = powerState;
  }

  public Integer getCpu() {
    return cpu;
  }

  public void setCpu(Integer cpu) {
    this.cpu = cpu;
  }

  public Long getMemoryMiB() {
    return memoryMiB;
  }

  public void setMemoryMiB(Long memoryMiB) {
    this.memoryMiB = memoryMiB;
  }

  public String getIpAddress() {
    return ipAddress;
  }

  public void setIpAddress(String ipAddress) {
    this.ipAddress = ipAddress;
  }

  public List<String> getAssignedAddresses() {
    return assignedAddresses;
  }

  public void setAssignedAddresses(List<String> assignedAddresses) {
    this.assignedAddresses = assignedAddresses;
  }

  /** This status with the addresses assigned to the VM (none: null, so the field is left out). */
  public VmStatus withAssignedAddresses(List<String> addresses) {
    this.assignedAddresses =
        addresses == null || addresses.isEmpty() ? null : List.copyOf(addresses);
    return this;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getLastError() {
    return lastError;
  }

  public void setLastError(String lastError) {
    this.lastError = lastError;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VmStatus v
        && Objects.equals(name, v.name)
        && Objects.equals(instanceUuid, v.instanceUuid)
        && Objects.equals(powerState, v.powerState)
        && Objects.equals(cpu, v.cpu)
        && Objects.equals(memoryMiB, v.memoryMiB)
        && Objects.equals(ipAddress, v.ipAddress)
        && Objects.equals(assignedAddresses, v.assignedAddresses)
        && Objects.equals(phase, v.phase)
        && Objects.equals(lastError, v.lastError);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name,
        instanceUuid,
        powerState,
        cpu,
        memoryMiB,
        ipAddress,
        assignedAddresses,
        phase,
        lastError);
  }

  @Override
  public String toString() {
    return name + "(" + phase + ", " + powerState + ", " + cpu + " CPU, " + memoryMiB + " MiB)";
  }
}
