package com.codeconnect.vmgroup.it;

/** Tags and custom attributes on Fabric8's mock API server. */
class TaggingMockIT extends TaggingSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
