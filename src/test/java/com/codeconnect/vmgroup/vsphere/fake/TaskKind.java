package com.codeconnect.vmgroup.vsphere.fake;

/**
 * The kinds of task {@link InMemoryVcenter} runs; each has its own duration, injected faults and
 * counter. {@code setExtraConfig} is a {@link #RECONFIGURE}, as it is one ReconfigVM_Task in
 * vSphere.
 */
public enum TaskKind {
  CLONE,
  /** A content library item's deploy (a task of the REST client's own on vCenter). */
  DEPLOY,
  POWER_ON,
  POWER_OFF,
  RECONFIGURE,
  DESTROY,
  /** ReconfigureComputeResource_Task: a cluster's DRS rules. */
  RECONFIGURE_CLUSTER
}
