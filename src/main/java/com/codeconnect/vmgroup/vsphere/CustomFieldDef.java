package com.codeconnect.vmgroup.vsphere;

import java.util.Objects;

/**
 * A custom attribute's definition.
 *
 * @param key how VMs refer to the field in their values
 * @param managedObjectType the type of object the field applies to (e.g. {@code VirtualMachine}),
 *     or null for a global field that applies to every type
 */
public record CustomFieldDef(int key, String name, String managedObjectType) {
  public CustomFieldDef {
    Objects.requireNonNull(name, "name");
  }

  /** Whether VMs can carry a value of this field. */
  public boolean appliesToVms() {
    return managedObjectType == null
        || managedObjectType.isEmpty()
        || managedObjectType.equals("VirtualMachine");
  }
}
