package com.codeconnect.vmgroup.it;

/** Updates and rollouts on Fabric8's mock API server. */
class UpdatesMockIT extends UpdatesSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
