package com.codeconnect.vmgroup.vsphere;

/**
 * The guest heartbeat as vCenter rates it ({@code guestHeartbeatStatus}): how regularly VMware
 * Tools reports from inside the guest.
 */
public enum Heartbeat {
  /** Heartbeats arrive: the guest is alive. */
  GREEN,
  /** Heartbeats arrive irregularly. */
  YELLOW,
  /** No heartbeat for a while although Tools ran: the guest is hung or its Tools stopped. */
  RED,
  /**
   * Unknown: Tools is not running (or not installed), the VM is off, or vCenter reports nothing.
   */
  GRAY
}
