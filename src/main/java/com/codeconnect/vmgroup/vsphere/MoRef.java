package com.codeconnect.vmgroup.vsphere;

import java.util.Objects;

/**
 * An opaque handle to a vCenter object (type and id, e.g. {@code VirtualMachine/vm-42}). The
 * operator only passes it back to the client; it never builds one from parts it made up.
 */
public record MoRef(String type, String value) {
  public MoRef {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return type + ":" + value;
  }
}
