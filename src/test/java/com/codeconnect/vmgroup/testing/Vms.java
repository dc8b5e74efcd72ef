package com.codeconnect.vmgroup.testing;

import com.codeconnect.vmgroup.decision.Naming;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;

/** VMs of one group as an observation shows them, for tests of the pure decisions. */
public final class Vms {
  public static final String UID = "uid-1";

  private Vms() {}

  /** VM {@code vg-<index>} of group ns/vg (UID {@link #UID}), with its ownership markers. */
  public static VmInfo vm(int index, PowerState power, int cpu, long memoryMiB) {
    return new VmInfo(
        new MoRef("VirtualMachine", "vm-" + index),
        Naming.vmName("vg", index),
        new MoRef("Folder", "group"),
        power,
        cpu,
        memoryMiB,
        false,
        "uuid-" + index,
        null,
        Ownership.markers(UID, "ns", "vg", index));
  }

  /** A running VM at the size of {@code ReplicaPlanTest.THREE} (2 vCPUs, 2 GiB). */
  public static VmInfo ready(int index) {
    return vm(index, PowerState.POWERED_ON, 2, 2048);
  }
}
