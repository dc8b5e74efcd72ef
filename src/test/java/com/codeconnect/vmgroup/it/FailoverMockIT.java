package com.codeconnect.vmgroup.it;

/** Leader election and failover on Fabric8's mock API server. */
class FailoverMockIT extends FailoverSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
