package com.codeconnect.vmgroup.it;

/** Sharding by label selector on Fabric8's mock API server (it supports "=" selectors). */
class ShardingMockIT extends ShardingSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
