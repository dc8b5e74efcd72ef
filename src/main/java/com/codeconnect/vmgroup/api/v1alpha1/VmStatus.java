package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** One VM of the group as last observed in vCenter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VmStatus {
  public static final String CLONING = "Cloning";
  public static final String CONFIGURING = "Configuring";
  public static final String RUNNING = "Running";
  public static final String UPDATING = "Updating";
  public static final String DELETING = "Deleting";
  public static final String FAILED = "Failed";

  /** Being destroyed to be cloned again under its name (spec.healthCheck). */
  public static final String REPLACING = "Replacing";

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
      "Cloning, Configuring, Running, Updating, Deleting, Replacing (destroyed to be cloned again"
          + " under its name, by spec.healthCheck) or Failed (the last task failed).")
  private String phase;

  @JsonPropertyDescription(
      "Whether the VM is ready by spec.readiness (powered on with the spec's CPU and memory, and"
          + " what the readiness mode checks). While vCenter can't tell (readyReason Unknown), the"
          + " last value known.")
  private Boolean ready;

  @JsonPropertyDescription(
      "Why the VM is or isn't ready, e.g. PoweredOn, HeartbeatGreen, AddressReported,"
          + " GuestInfoSet, TcpConnected (ready); PoweredOff, Suspended, Resizing, InitialDelay,"
          + " ToolsNotRunning, ToolsStarting, HeartbeatYellow, HeartbeatRed, HeartbeatGray,"
          + " NoAddress, WrongAddress, GuestInfoNotSet, GuestInfoOtherValue, TcpNotProbed,"
          + " TcpRefused, TcpTimeout, TcpUnreachable (not ready); Unknown (vCenter can't tell"
          + " now).")
  private String readyReason;

  @JsonPropertyDescription(
      "Since when ready has had its value (RFC 3339): since when the VM is ready, or not ready."
          + " minReadySeconds and healthCheck.unhealthyAfter count from it.")
  private String readySince;

  @JsonPropertyDescription(
      "When this VM (this instanceUuid) was first ready; absent while it never was, when"
          + " healthCheck.startupTimeout applies instead of unhealthyAfter.")
  private String firstReadyTime;

  @JsonPropertyDescription(
      "The failure domain (spec.placement.failureDomains) the VM was placed in, when the group"
          + " has any.")
  private String failureDomain;

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

  public Boolean getReady() {
    return ready;
  }

  public void setReady(Boolean ready) {
    this.ready = ready;
  }

  public String getReadyReason() {
    return readyReason;
  }

  public void setReadyReason(String readyReason) {
    this.readyReason = readyReason;
  }

  public String getReadySince() {
    return readySince;
  }

  public void setReadySince(String readySince) {
    this.readySince = readySince;
  }

  public String getFirstReadyTime() {
    return firstReadyTime;
  }

  public void setFirstReadyTime(String firstReadyTime) {
    this.firstReadyTime = firstReadyTime;
  }

  public String getFailureDomain() {
    return failureDomain;
  }

  public void setFailureDomain(String failureDomain) {
    this.failureDomain = failureDomain;
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
        && Objects.equals(lastError, v.lastError)
        && Objects.equals(ready, v.ready)
        && Objects.equals(readyReason, v.readyReason)
        && Objects.equals(readySince, v.readySince)
        && Objects.equals(firstReadyTime, v.firstReadyTime)
        && Objects.equals(failureDomain, v.failureDomain);
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
        lastError,
        ready,
        readyReason,
        readySince,
        firstReadyTime,
        failureDomain);
  }

  @Override
  public String toString() {
    return name + "(" + phase + ", " + powerState + ", " + cpu + " CPU, " + memoryMiB + " MiB)";
  }
}
