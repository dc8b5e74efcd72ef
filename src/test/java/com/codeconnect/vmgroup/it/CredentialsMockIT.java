package com.codeconnect.vmgroup.it;

/** Credential handling on Fabric8's mock API server. */
class CredentialsMockIT extends CredentialsSuite {
  @Override
  protected ApiServer startApiServer() {
    return new MockApiServer();
  }
}
