package com.codeconnect.vmgroup.vsphere;

import java.util.List;
import java.util.Objects;

/**
 * A tag category.
 *
 * @param singleTag whether an object may carry at most one tag of the category (cardinality SINGLE)
 * @param associableTypes the object types its tags may be attached to; empty means any
 */
public record TagCategory(String id, String name, boolean singleTag, List<String> associableTypes) {
  public TagCategory {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    associableTypes = associableTypes == null ? List.of() : List.copyOf(associableTypes);
  }
}
