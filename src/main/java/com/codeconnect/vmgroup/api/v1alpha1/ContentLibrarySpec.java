package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A content library item, by the library's name and the item's name in it. */
public class ContentLibrarySpec {
  /**
   * Longest library or item name accepted. vCenter doesn't publish a limit; this bounds what a
   * lookup by name is asked and what a status message quotes.
   */
  public static final int MAX_NAME_LENGTH = 255;

  /** Non-empty, no whitespace at either end, no line breaks (RE2's '.' stops at them). */
  static final String NAME_PATTERN = "^\\S(.*\\S)?$";

  @Required
  @Pattern(NAME_PATTERN)
  @Size(max = MAX_NAME_LENGTH)
  @JsonPropertyDescription(
      "Name of the content library (local or subscribed); it must be unique among the"
          + " libraries the operator's vCenter user can see. Libraries take permissions only from"
          + " vCenter's global root: the user needs a global permission with at least read-only"
          + " access (docs/operations.md, vCenter privileges).")
  private String library;

  @Required
  @Pattern(NAME_PATTERN)
  @Size(max = MAX_NAME_LENGTH)
  @JsonPropertyDescription(
      "Name of the item in the library, unique there: a VM template (VMTX) or an OVF package."
          + " The group's placement, cpu, memory, networks, disks and bootstrap apply to its VMs"
          + " as to a clone. A new version of the item (its content version) replaces the VMs like"
          + " a template change, following updateStrategy. Deploying needs, besides what a clone"
          + " needs on the destination, vApp > Import on the resource pool and folder (and for a"
          + " VMTX template Virtual machine > Provisioning > Deploy template on it).")
  private String item;

  public ContentLibrarySpec() {}

  public ContentLibrarySpec(String library, String item) {
    this.library = library;
    this.item = item;
  }

  public String getLibrary() {
    return library;
  }

  public void setLibrary(String library) {
    this.library = library;
  }

  public String getItem() {
    return item;
  }

  public void setItem(String item) {
    this.item = item;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ContentLibrarySpec c
        && Objects.equals(library, c.library)
        && Objects.equals(item, c.item);
  }

  @Override
  public int hashCode() {
    return Objects.hash(library, item);
  }

  @Override
  public String toString() {
    return library + "/" + item;
  }
}
