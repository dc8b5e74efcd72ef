package com.codeconnect.vmgroup.testing;

import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.decision.Naming;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import java.util.List;

/**
 * Where the operator puts a group's VMs in the simulator, read through a session of the test's own
 * (never the operator's: a test checks vCenter, not what the operator believes).
 */
public final class Folders {
  /** The operator's root folder in the simulator's first datacenter. */
  public static final String ROOT = "/DC0/vm/" + OperatorSettings.DEFAULT_ROOT_FOLDER;

  /** The template the simulator launcher creates. */
  public static final String TEMPLATE = "vm-operator-template";

  private Folders() {}

  /** The inventory path of the folder of group {@code namespace/group}. */
  public static String path(String namespace, String group) {
    return ROOT + "/" + Naming.folderName(namespace, group);
  }

  /** The VMs in a group's folder as vCenter has them now, owned or not; none without a folder. */
  public static List<VmInfo> vmsOf(VsphereClient observer, String namespace, String group) {
    return vmsAt(observer, path(namespace, group));
  }

  /** The VMs in the folder at this inventory path; none when there is no such folder. */
  public static List<VmInfo> vmsAt(VsphereClient observer, String folderPath) {
    return observer.findByInventoryPath(folderPath).map(observer::vmsInFolder).orElse(List.of());
  }

  /** Carries the operator's ownership marker (of any group). */
  public static boolean owned(VmInfo vm) {
    return vm.extraConfig().containsKey(Ownership.OWNER_UID);
  }
}
