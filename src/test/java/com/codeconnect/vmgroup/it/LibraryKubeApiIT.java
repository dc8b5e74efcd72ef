package com.codeconnect.vmgroup.it;

import org.junit.jupiter.api.condition.EnabledIf;

/** Content library groups on a real kube-apiserver, when KUBE_API_TEST_DIR holds its binaries. */
@EnabledIf("com.codeconnect.vmgroup.it.RealApiServer#isAvailable")
class LibraryKubeApiIT extends LibrarySuite {
  @Override
  protected ApiServer startApiServer() {
    return RealApiServer.start();
  }
}
