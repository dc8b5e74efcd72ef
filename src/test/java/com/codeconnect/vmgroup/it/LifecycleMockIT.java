package com.codeconnect.vmgroup.it;

/** Lifecycle controls on Fabric8's mock API server. */
class LifecycleMockIT extends LifecycleSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
