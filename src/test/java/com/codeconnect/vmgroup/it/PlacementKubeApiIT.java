package com.codeconnect.vmgroup.it;

import org.junit.jupiter.api.condition.EnabledIf;

/** Placement on a real kube-apiserver, when KUBE_API_TEST_DIR holds its binaries. */
@EnabledIf("com.codeconnect.vmgroup.it.RealApiServer#isAvailable")
class PlacementKubeApiIT extends PlacementSuite {
  @Override
  protected ApiServer startApiServer() {
    return RealApiServer.start();
  }
}
