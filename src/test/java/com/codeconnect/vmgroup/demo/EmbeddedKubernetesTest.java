package com.codeconnect.vmgroup.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmbeddedKubernetesTest {

  @Test
  void requestKindsDropObjectNamesAndKeepSubresources() {
    assertThat(EmbeddedKubernetes.kindOf("POST", "/api/v1/namespaces/bench/events"))
        .isEqualTo("POST events");
    assertThat(EmbeddedKubernetes.kindOf("GET", "/api/v1/namespaces/bench/events"))
        .isEqualTo("LIST events");
    assertThat(EmbeddedKubernetes.kindOf("GET", "/api/v1/namespaces/bench/events/g-000.18c2"))
        .isEqualTo("GET events");
    assertThat(
            EmbeddedKubernetes.kindOf(
                "PUT",
                "/apis/vm.codeconnect.vmworld.com/v1alpha1/namespaces/bench/vmgroups/g-000/status"))
        .isEqualTo("PUT vmgroups/status");
    assertThat(
            EmbeddedKubernetes.kindOf(
                "GET",
                "/apis/vm.codeconnect.vmworld.com/v1alpha1/vmgroups?allowWatchBookmarks=true"
                    + "&watch=true&resourceVersion=5"))
        .isEqualTo("WATCH vmgroups");
    assertThat(EmbeddedKubernetes.kindOf("GET", "/api/v1/namespaces/bench"))
        .isEqualTo("GET namespaces");
    assertThat(EmbeddedKubernetes.kindOf("GET", "/api/v1/namespaces")).isEqualTo("LIST namespaces");
    assertThat(
            EmbeddedKubernetes.kindOf("PUT", "/apis/coordination.k8s.io/v1/namespaces/x/leases/op"))
        .isEqualTo("PUT leases");
  }

  @Test
  void countsRequestsByKind() {
    try (EmbeddedKubernetes kube = EmbeddedKubernetes.start()) {
      EmbeddedKubernetes.installCrd(kube.client());
      kube.client().namespaces().list();
      kube.client().namespaces().list();
      assertThat(kube.requestsByKind())
          .containsEntry("LIST namespaces", 2L)
          .containsKey("POST customresourcedefinitions");
    }
  }
}
