package com.codeconnect.vmgroup.it;

import org.junit.jupiter.api.condition.EnabledIf;

/** Several vCenters on a real kube-apiserver, when KUBE_API_TEST_DIR holds its binaries. */
@EnabledIf("com.codeconnect.vmgroup.it.RealApiServer#isAvailable")
class MultiVcenterKubeApiIT extends MultiVcenterSuite {
  @Override
  protected ApiServer startApiServer() {
    return RealApiServer.start();
  }
}
