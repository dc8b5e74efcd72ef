package com.codeconnect.vmgroup.it;

import com.codeconnect.vmgroup.vsphere.VmInfo;

/** What a test compares to prove a VM was left untouched. */
final class VmGroupFacts {
  private VmGroupFacts() {}

  static String identity(VmInfo vm) {
    return vm.ref().value()
        + " "
        + vm.name()
        + " "
        + vm.parent()
        + " "
        + vm.powerState()
        + " "
        + vm.cpu()
        + "/"
        + vm.memoryMiB()
        + (vm.template() ? " template" : "");
  }
}
