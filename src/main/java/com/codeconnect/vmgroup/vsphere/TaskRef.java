package com.codeconnect.vmgroup.vsphere;

/** A vCenter task the operator started and has not yet seen finish. */
public record TaskRef(MoRef ref) {
  public String id() {
    return ref.value();
  }
}
