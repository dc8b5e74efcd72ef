package com.codeconnect.vmgroup.it;

import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Tags and custom attributes on a real kube-apiserver, when KUBE_API_TEST_DIR holds its binaries.
 */
@EnabledIf("com.codeconnect.vmgroup.it.RealApiServer#isAvailable")
class TaggingKubeApiIT extends TaggingSuite {
  @Override
  protected ApiServer startApiServer() {
    return RealApiServer.start();
  }
}
