package com.codeconnect.vmgroup.it;

import org.junit.jupiter.api.condition.EnabledIf;

/** VCenter resources on a real kube-apiserver, when KUBE_API_TEST_DIR holds its binaries. */
@EnabledIf("com.codeconnect.vmgroup.it.RealApiServer#isAvailable")
class VCenterKubeApiIT extends VCenterSuite {
  @Override
  protected ApiServer startApiServer() {
    return RealApiServer.start();
  }
}
