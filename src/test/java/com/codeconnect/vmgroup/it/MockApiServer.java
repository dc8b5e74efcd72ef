package com.codeconnect.vmgroup.it;

import com.codeconnect.vmgroup.demo.EmbeddedKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Fabric8's mock server in CRUD mode, with the VmGroup CRD created first. */
final class MockApiServer implements ApiServer {
  private final EmbeddedKubernetes server = EmbeddedKubernetes.start();

  MockApiServer() {
    EmbeddedKubernetes.installCrd(server.client());
  }

  @Override
  public KubernetesClient client() {
    return server.client();
  }

  @Override
  public boolean hasScaleSubresource() {
    return false;
  }

  @Override
  public void close() {
    server.close();
  }
}
