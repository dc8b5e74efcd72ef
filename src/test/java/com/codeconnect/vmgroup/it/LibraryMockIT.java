package com.codeconnect.vmgroup.it;

/** Content library groups on Fabric8's mock API server. */
class LibraryMockIT extends LibrarySuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
