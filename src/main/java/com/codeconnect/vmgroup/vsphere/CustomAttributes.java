package com.codeconnect.vmgroup.vsphere;

import java.util.List;
import java.util.Map;

/**
 * vSphere custom attributes (the CustomFieldsManager). The operator changes only fields it manages:
 * it adds their definitions when missing and sets their values on its own VMs.
 *
 * <p>A VM's values are also in its change feed entries, under {@code customValues}, so a value
 * removed by hand is noticed without polling.
 */
public interface CustomAttributes {

  /** Every field definition of the vCenter, whatever type it applies to. */
  List<CustomFieldDef> customFields();

  /**
   * Adds a field for VMs. Throws {@link VsphereException.DuplicateName} when a field of that name
   * exists for VMs (or for every type): callers read the definitions again and use that one.
   */
  CustomFieldDef addVmCustomField(String name);

  /**
   * Sets a field's value on an object, replacing any value it had; an empty value clears it. Takes
   * effect at once (no task).
   */
  void setCustomValue(MoRef entity, int fieldKey, String value);

  /**
   * A VM's custom values by field key, read directly from vCenter; cleared (empty) values are left
   * out. Throws {@link VsphereException.ManagedObjectNotFound} for a VM that doesn't exist.
   */
  Map<Integer, String> customValues(MoRef vm);
}
