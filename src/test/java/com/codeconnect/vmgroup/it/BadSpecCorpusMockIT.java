package com.codeconnect.vmgroup.it;

/** The bad-input corpus on Fabric8's mock API server, which stores whatever it is given. */
class BadSpecCorpusMockIT extends BadSpecCorpusSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
