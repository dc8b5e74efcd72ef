package com.codeconnect.vmgroup.vsphere;

import java.util.Objects;

/** A tag of a category; names are unique within a category only. */
public record Tag(String id, String name, String categoryId) {
  public Tag {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(categoryId, "categoryId");
  }
}
