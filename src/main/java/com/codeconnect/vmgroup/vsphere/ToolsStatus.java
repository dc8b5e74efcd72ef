package com.codeconnect.vmgroup.vsphere;

/**
 * Whether VMware Tools runs in a VM's guest ({@code guest.toolsRunningStatus}). A VM that never ran
 * Tools, a template and a powered-off VM report {@link #NOT_RUNNING}.
 */
public enum ToolsStatus {
  RUNNING,
  NOT_RUNNING,
  /** Tools runs the scripts of a power operation (e.g. after power-on); the guest is not up yet. */
  EXECUTING_SCRIPTS,
  /** A value this client doesn't know, from a newer vCenter. */
  UNKNOWN
}
