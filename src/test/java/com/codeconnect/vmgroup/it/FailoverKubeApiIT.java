package com.codeconnect.vmgroup.it;

import org.junit.jupiter.api.condition.EnabledIf;

/** Leader election and failover on a real kube-apiserver, when binaries are available. */
@EnabledIf("com.codeconnect.vmgroup.it.RealApiServer#isAvailable")
class FailoverKubeApiIT extends FailoverSuite {
  @Override
  protected ApiServer startApiServer() {
    return RealApiServer.start();
  }
}
