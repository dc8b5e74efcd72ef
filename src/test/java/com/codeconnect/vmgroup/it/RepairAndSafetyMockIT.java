package com.codeconnect.vmgroup.it;

/** Repair and safety on Fabric8's mock API server. */
class RepairAndSafetyMockIT extends RepairAndSafetySuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
