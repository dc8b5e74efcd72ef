package com.codeconnect.vmgroup.vsphere;

/** A vCenter object together with its display name and, where known, its inventory path. */
public record NamedRef(MoRef ref, String name, String path) {}
