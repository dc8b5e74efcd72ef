package com.codeconnect.vmgroup.it;

import org.junit.jupiter.api.condition.EnabledIf;

/** Readiness, healing and anti-affinity on a real kube-apiserver, when KUBE_API_TEST_DIR has it. */
@EnabledIf("com.codeconnect.vmgroup.it.RealApiServer#isAvailable")
class HealthKubeApiIT extends HealthSuite {
  @Override
  protected ApiServer startApiServer() {
    return RealApiServer.start();
  }
}
