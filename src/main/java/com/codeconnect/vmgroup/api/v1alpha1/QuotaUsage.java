package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** What one namespace's groups hold on a vCenter, against its quota. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QuotaUsage {
  @JsonPropertyDescription("The namespace.")
  public String namespace;

  @JsonPropertyDescription("VMs of the namespace's groups, including clones in progress.")
  public Integer vms;

  @JsonPropertyDescription("Virtual CPUs over those VMs.")
  public Integer cpus;

  @JsonPropertyDescription("Memory over those VMs, in GiB.")
  public Integer memoryGiB;

  @JsonPropertyDescription("The quota in force for the namespace, if any.")
  public VCenterQuota quota;

  public QuotaUsage() {}

  public QuotaUsage(String namespace, int vms, int cpus, int memoryGiB, VCenterQuota quota) {
    this.namespace = namespace;
    this.vms = vms;
    this.cpus = cpus;
    this.memoryGiB = memoryGiB;
    this.quota = quota;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuotaUsage u
        && Objects.equals(namespace, u.namespace)
        && Objects.equals(vms, u.vms)
        && Objects.equals(cpus, u.cpus)
        && Objects.equals(memoryGiB, u.memoryGiB)
        && Objects.equals(quota, u.quota);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespace, vms, cpus, memoryGiB, quota);
  }

  @Override
  public String toString() {
    return namespace + ": " + vms + " VMs, " + cpus + " CPUs, " + memoryGiB + " GiB";
  }
}
