package com.codeconnect.vmgroup.vsphere;

/** A datacenter and the root folders vCenter keeps for it. */
public record DatacenterInfo(MoRef ref, String name, MoRef vmFolder, MoRef hostFolder) {}
