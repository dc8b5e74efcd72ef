package com.codeconnect.vmgroup.it;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The Kubernetes API the integration tests run against: Fabric8's mock (always) or a real
 * kube-apiserver (when binaries are available). Suites are written once against this.
 */
public interface ApiServer extends AutoCloseable {
  KubernetesClient client();

  /** False for the mock, which has no working scale subresource. */
  boolean hasScaleSubresource();

  /** True when the server validates objects against the CRD schema (the mock stores anything). */
  default boolean enforcesSchema() {
    return false;
  }

  @Override
  void close();
}
