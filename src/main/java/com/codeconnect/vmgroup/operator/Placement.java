package com.codeconnect.vmgroup.operator;

import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;

/** Where the operator puts VMs: a datacenter, a resource pool and the root folder. */
public record Placement(
    DatacenterInfo datacenter, MoRef resourcePool, MoRef rootFolder, String rootFolderPath) {

  /** Inventory path of a group's folder. */
  public String groupFolderPath(String folderName) {
    return rootFolderPath + "/" + folderName;
  }
}
