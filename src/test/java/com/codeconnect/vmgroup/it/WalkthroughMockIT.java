package com.codeconnect.vmgroup.it;

/** The walkthrough on Fabric8's mock API server. */
class WalkthroughMockIT extends WalkthroughSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
