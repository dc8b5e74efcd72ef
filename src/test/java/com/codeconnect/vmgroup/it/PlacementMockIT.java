package com.codeconnect.vmgroup.it;

/** Placement errors on Fabric8's mock API server. */
class PlacementMockIT extends PlacementSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
