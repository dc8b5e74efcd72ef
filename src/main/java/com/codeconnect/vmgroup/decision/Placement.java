package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;

/**
 * Where the operator puts a group's VMs: a datacenter, a resource pool (null for a group with
 * failure domains, each of which has its own), a datastore (null: the template's) and the root
 * folder that holds the group folders.
 */
public record Placement(
    DatacenterInfo datacenter,
    MoRef resourcePool,
    String resourcePoolPath,
    MoRef datastore,
    String datastorePath,
    MoRef rootFolder,
    String rootFolderPath) {

  /** Inventory path of a group's folder. */
  public String groupFolderPath(String folderName) {
    return rootFolderPath + "/" + folderName;
  }

  /**
   * Inventory path of the datacenter, e.g. {@code /DC0} (the root folder is {@code <it>/vm/...}).
   */
  public String datacenterPath() {
    int vm = rootFolderPath.lastIndexOf("/vm/");
    return vm < 0 ? "/" + datacenter.name() : rootFolderPath.substring(0, vm);
  }

  /** For status and messages: the resolved paths. */
  public String describe() {
    return "datacenter '"
        + datacenter.name()
        + "', "
        + (resourcePoolPath == null
            ? "the resource pool of each failure domain"
            : "resource pool '" + resourcePoolPath + "'")
        + ", datastore "
        + (datastorePath == null ? "of the template" : "'" + datastorePath + "'")
        + ", folder '"
        + rootFolderPath
        + "'";
  }
}
