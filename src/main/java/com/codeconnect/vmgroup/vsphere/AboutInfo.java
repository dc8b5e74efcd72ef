package com.codeconnect.vmgroup.vsphere;

/** Product name and versions vCenter reports about itself. */
public record AboutInfo(String fullName, String version, String apiVersion, String instanceUuid) {}
