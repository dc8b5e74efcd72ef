package com.codeconnect.vmgroup.it;

/** VMs people can use, on Fabric8's mock API server. */
class VmSpecMockIT extends VmSpecSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
