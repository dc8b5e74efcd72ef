package com.codeconnect.vmgroup.vsphere;

public enum PowerState {
  POWERED_ON,
  POWERED_OFF,
  SUSPENDED,
  UNKNOWN
}
