package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * Where new VMs come from when it isn't a template of the datacenter ({@code spec.template}). An
 * object of its own so that later kinds of source sit next to the content library.
 */
public class SourceSpec {
  @Required
  @JsonPropertyDescription(
      "A VM template or OVF package in a vSphere content library: deployed into the group's"
          + " folder under the VM's name, then marked as the group's before it is first powered"
          + " on.")
  private ContentLibrarySpec contentLibrary;

  public SourceSpec() {}

  public SourceSpec(ContentLibrarySpec contentLibrary) {
    this.contentLibrary = contentLibrary;
  }

  public ContentLibrarySpec getContentLibrary() {
    return contentLibrary;
  }

  public void setContentLibrary(ContentLibrarySpec contentLibrary) {
    this.contentLibrary = contentLibrary;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceSpec s && Objects.equals(contentLibrary, s.contentLibrary);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(contentLibrary);
  }

  @Override
  public String toString() {
    return "SourceSpec{contentLibrary=" + contentLibrary + "}";
  }
}
