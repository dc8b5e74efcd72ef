package com.codeconnect.vmgroup.it;

import org.junit.jupiter.api.condition.EnabledIf;

/** VMs people can use, on a real kube-apiserver, when KUBE_API_TEST_DIR holds its binaries. */
@EnabledIf("com.codeconnect.vmgroup.it.RealApiServer#isAvailable")
class VmSpecKubeApiIT extends VmSpecSuite {
  @Override
  protected ApiServer startApiServer() {
    return RealApiServer.start();
  }
}
