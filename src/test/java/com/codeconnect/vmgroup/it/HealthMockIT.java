package com.codeconnect.vmgroup.it;

/** Readiness, healing and anti-affinity on Fabric8's mock API server. */
class HealthMockIT extends HealthSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
