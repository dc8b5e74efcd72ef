package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.Objects;

/** Where VMs go on one vCenter when a group's spec.placement doesn't say. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VCenterDefaults {
  @Pattern("\\S")
  @JsonPropertyDescription("Datacenter name or inventory path. Default: the only datacenter.")
  public String datacenter;

  @Pattern("\\S")
  @JsonPropertyDescription(
      "Cluster or host name, resource pool name or inventory path. Default: the only resource"
          + " pool.")
  public String resourcePool;

  @Pattern("\\S")
  @JsonPropertyDescription("Datastore name or inventory path. Default: the template's datastore.")
  public String datastore;

  @Pattern("^[^/]+$")
  @JsonPropertyDescription(
      "Folder under the datacenter's VM folder that holds the group folders. Default:"
          + " vm-operator.")
  public String folder;

  public VCenterDefaults() {}

  public VCenterDefaults(String datacenter, String resourcePool, String datastore, String folder) {
    this.datacenter = datacenter;
    this.resourcePool = resourcePool;
    this.datastore = datastore;
    this.folder = folder;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VCenterDefaults d
        && Objects.equals(datacenter, d.datacenter)
        && Objects.equals(resourcePool, d.resourcePool)
        && Objects.equals(datastore, d.datastore)
        && Objects.equals(folder, d.folder);
  }

  @Override
  public int hashCode() {
    return Objects.hash(datacenter, resourcePool, datastore, folder);
  }
}
