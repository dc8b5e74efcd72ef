package com.codeconnect.vmgroup.it;

/** Failure domains on Fabric8's mock API server. */
class FailureDomainsMockIT extends FailureDomainsSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
