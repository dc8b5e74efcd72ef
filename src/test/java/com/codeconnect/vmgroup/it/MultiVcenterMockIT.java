package com.codeconnect.vmgroup.it;

/** Several vCenters with namespace mapping and quotas, on Fabric8's mock API server. */
class MultiVcenterMockIT extends MultiVcenterSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
