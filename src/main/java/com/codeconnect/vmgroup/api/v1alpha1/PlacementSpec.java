package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.Objects;

/** Where a group's VMs go in vCenter; each field falls back to the operator's setting. */
public class PlacementSpec {
  @Pattern("\\S")
  @JsonPropertyDescription(
      "Datacenter name or inventory path. Default: the operator's --datacenter (VC_DATACENTER),"
          + " else the only datacenter.")
  private String datacenter;

  @Pattern("\\S")
  @JsonPropertyDescription(
      "Cluster or host name (its root resource pool), resource pool name, or resource pool"
          + " inventory path such as /DC0/host/DC0_C0/Resources/web. Default: the operator's"
          + " --resource-pool (VC_RESOURCE_POOL), else the only resource pool.")
  private String resourcePool;

  @Pattern("\\S")
  @JsonPropertyDescription(
      "Datastore name or inventory path for the VMs' files. Default: the operator's --datastore"
          + " (VC_DATASTORE), else the template's datastore.")
  private String datastore;

  @Pattern("^[^/]+$")
  @JsonPropertyDescription(
      "Folder under the datacenter's VM folder that holds the group's folder (created when"
          + " missing). Default: the operator's --root-folder (VC_ROOT_FOLDER).")
  private String folder;

  public PlacementSpec() {}

  public PlacementSpec(String datacenter, String resourcePool, String datastore, String folder) {
    this.datacenter = datacenter;
    this.resourcePool = resourcePool;
    this.datastore = datastore;
    this.folder = folder;
  }

  public String getDatacenter() {
    return datacenter;
  }

  public void setDatacenter(String datacenter) {
    this.datacenter = datacenter;
  }

  public String getResourcePool() {
    return resourcePool;
  }

  public void setResourcePool(String resourcePool) {
    this.resourcePool = resourcePool;
  }

  public String getDatastore() {
    return datastore;
  }

  public void setDatastore(String datastore) {
    this.datastore = datastore;
  }

  public String getFolder() {
    return folder;
  }

  public void setFolder(String folder) {
    this.folder = folder;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlacementSpec p
        && Objects.equals(datacenter, p.datacenter)
        && Objects.equals(resourcePool, p.resourcePool)
        && Objects.equals(datastore, p.datastore)
        && Objects.equals(folder, p.folder);
  }

  @Override
  public int hashCode() {
    return Objects.hash(datacenter, resourcePool, datastore, folder);
  }

  @Override
  public String toString() {
    return "PlacementSpec{datacenter="
        + datacenter
        + ", resourcePool="
        + resourcePool
        + ", datastore="
        + datastore
        + ", folder="
        + folder
        + "}";
  }
}
