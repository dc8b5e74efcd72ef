package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Where new VMs come from when it isn't a VM or template of the inventory (spec.template). */
public class SourceSpec {
  @Required
  @JsonPropertyDescription(
      "A content library item to deploy each VM from: a VM template (VMTX) item or an OVF"
          + " package. The VM is deployed powered off, sized, marked as the group's and"
          + " configured (networks, disks, bootstrap) before its first power-on. A new version of"
          + " the item (a template checked in, an OVF uploaded) replaces the VMs like a template"
          + " change, following updateStrategy.")
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
