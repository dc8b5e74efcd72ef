package com.codeconnect.vmgroup.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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

  /** The two rules of a real API server about Events that the mock applies too. */
  @Test
  void eventsKeepARealServersNamespaceAndImmutabilityRules() {
    try (EmbeddedKubernetes kube = EmbeddedKubernetes.start()) {
      var events = kube.client().resources(Event.class);
      // about a cluster-scoped object: only in default
      assertThatThrownBy(() -> events.inNamespace("ops").resource(event("ops", "a", null)).create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("does not match event.namespace");
      events.inNamespace("default").resource(event("default", "a", null)).create();
      // about a namespaced object: only in its namespace
      assertThatThrownBy(
              () -> events.inNamespace("ops").resource(event("ops", "b", "team-a")).create())
          .hasMessageContaining("does not match event.namespace");
      Event b = events.inNamespace("team-a").resource(event("team-a", "b", "team-a")).create();

      // only the series may change
      assertThatThrownBy(
              () ->
                  kube.client()
                      .resource(b)
                      .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"note\":\"another\"}"))
          .hasMessageContaining("note: Invalid value: field is immutable");
      Event patched =
          kube.client()
              .resource(b)
              .patch(
                  PatchContext.of(PatchType.JSON_MERGE),
                  "{\"note\":\"first\",\"series\":{\"count\":2,"
                      + "\"lastObservedTime\":\"2026-12-07T10:00:00.000000Z\"}}");
      assertThat(patched.getSeries().getCount()).isEqualTo(2);
    }
  }

  private static Event event(String namespace, String name, String regardingNamespace) {
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withType("Normal")
        .withReason("Test")
        .withAction("Test")
        .withNote("first")
        .withEventTime(new MicroTime("2026-12-07T10:00:00.000000Z"))
        .withReportingController("test")
        .withReportingInstance("test")
        .withNewRegarding()
        .withKind("VCenter")
        .withName("x")
        .withNamespace(regardingNamespace)
        .endRegarding()
        .build();
  }
}
