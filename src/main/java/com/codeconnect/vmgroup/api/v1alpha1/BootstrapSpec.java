package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** How a VM's guest OS is set up at its first boot: one of three mechanisms, or none. */
@ValidationRule(value = BootstrapSpec.AT_MOST_ONE, message = BootstrapSpec.AT_MOST_ONE_MESSAGE)
public class BootstrapSpec {
  static final String AT_MOST_ONE =
      "(has(self.cloudInit) ? 1 : 0) + (has(self.linuxPrep) ? 1 : 0) + (has(self.sysprep) ? 1 : 0)"
          + " <= 1";
  static final String AT_MOST_ONE_MESSAGE =
      "set at most one of cloudInit, linuxPrep and sysprep: each sets up the guest its own way";

  @JsonPropertyDescription(
      "cloud-init through its VMware datasource (cloud-init 21.3 or later in the template, or the"
          + " cloud-init-vmware-guestinfo add-on): the user-data, and metadata the operator writes"
          + " (instance-id, local-hostname = the VM name, and the network config of static"
          + " addresses), passed in the VM's extraConfig as guestinfo.userdata and"
          + " guestinfo.metadata, gzip+base64 encoded.")
  private CloudInitSpec cloudInit;

  @JsonPropertyDescription(
      "vSphere guest customization for Linux (the template needs VMware Tools): host name = the"
          + " VM name, domain, time zone, and the static addresses of spec.networks.")
  private LinuxPrepSpec linuxPrep;

  @JsonPropertyDescription(
      "vSphere guest customization for Windows (sysprep) with an unattend answer file from a"
          + " Secret; the static addresses of spec.networks are applied too.")
  private SysprepSpec sysprep;

  public BootstrapSpec() {}

  public BootstrapSpec(CloudInitSpec cloudInit, LinuxPrepSpec linuxPrep, SysprepSpec sysprep) {
    this.cloudInit = cloudInit;
    this.linuxPrep = linuxPrep;
    this.sysprep = sysprep;
  }

  public CloudInitSpec getCloudInit() {
    return cloudInit;
  }

  public void setCloudInit(CloudInitSpec cloudInit) {
    this.cloudInit = cloudInit;
  }

  public LinuxPrepSpec getLinuxPrep() {
    return linuxPrep;
  }

  public void setLinuxPrep(LinuxPrepSpec linuxPrep) {
    this.linuxPrep = linuxPrep;
  }

  public SysprepSpec getSysprep() {
    return sysprep;
  }

  public void setSysprep(SysprepSpec sysprep) {
    this.sysprep = sysprep;
  }

  /** True when one of the mechanisms is set, i.e. something in the guest is set up. */
  public boolean configured() {
    return cloudInit != null || linuxPrep != null || sysprep != null;
  }

  /** The Secret key the bootstrap reads, or null when it reads none. */
  public SecretKeyRef secretRef() {
    if (cloudInit != null && cloudInit.getUserDataSecretRef() != null) {
      return cloudInit.getUserDataSecretRef();
    }
    return sysprep == null ? null : sysprep.getUnattendSecretRef();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BootstrapSpec b
        && Objects.equals(cloudInit, b.cloudInit)
        && Objects.equals(linuxPrep, b.linuxPrep)
        && Objects.equals(sysprep, b.sysprep);
  }

  @Override
  public int hashCode() {
    return Objects.hash(cloudInit, linuxPrep, sysprep);
  }

  @Override
  public String toString() {
    return "BootstrapSpec{cloudInit="
        + cloudInit
        + ", linuxPrep="
        + linuxPrep
        + ", sysprep="
        + sysprep
        + "}";
  }
}
