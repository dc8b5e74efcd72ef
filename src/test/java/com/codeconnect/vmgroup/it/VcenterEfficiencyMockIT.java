package com.codeconnect.vmgroup.it;

/** vCenter efficiency on Fabric8's mock API server. */
class VcenterEfficiencyMockIT extends VcenterEfficiencySuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
