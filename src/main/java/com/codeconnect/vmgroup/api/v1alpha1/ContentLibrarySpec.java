package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A content library item, by the names an administrator sees in the vSphere Client. */
public class ContentLibrarySpec {
  /** A bound on the names a spec may carry into every lookup; vCenter's own are shorter. */
  public static final int MAX_NAME_LENGTH = 255;

  @Required
  @Pattern("\\S")
  @Size(max = MAX_NAME_LENGTH)
  @JsonPropertyDescription(
      "The content library's name (local or subscribed). It must name exactly one library of the"
          + " vCenter; names differing only in case match when no exact match exists.")
  private String library;

  @Required
  @Pattern("\\S")
  @Size(max = MAX_NAME_LENGTH)
  @JsonPropertyDescription(
      "The item's name in that library: a VM template or an OVF package, unique in the library.")
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
    return "ContentLibrarySpec{library=" + library + ", item=" + item + "}";
  }
}
