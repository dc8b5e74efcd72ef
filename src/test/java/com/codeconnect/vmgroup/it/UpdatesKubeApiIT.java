package com.codeconnect.vmgroup.it;

import org.junit.jupiter.api.condition.EnabledIf;

/** Updates and rollouts on a real kube-apiserver, when KUBE_API_TEST_DIR holds its binaries. */
@EnabledIf("com.codeconnect.vmgroup.it.RealApiServer#isAvailable")
class UpdatesKubeApiIT extends UpdatesSuite {
  @Override
  protected ApiServer startApiServer() {
    return RealApiServer.start();
  }
}
