package com.codeconnect.vmgroup.it;

/** VCenter resources on Fabric8's mock API server. */
class VCenterMockIT extends VCenterSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
