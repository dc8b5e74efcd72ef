package com.codeconnect.vmgroup.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.demo.EmbeddedKubernetes;
import com.codeconnect.vmgroup.testing.TestClock;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
  @Test
  void repeatsAreAggregatedIntoOneEventSeries() {
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      VmGroup group = group(api);
      EventRecorder events =
          new EventRecorder(api.client(), Clock.systemUTC(), "test", Runnable::run);
      events.warning(group, "TemplateNotFound", "Resolve", "template 't' not found");
      events.warning(group, "TemplateNotFound", "Resolve", "template 't' not found");
      events.warning(group, "TemplateNotFound", "Resolve", "template 't' not found");
      events.normal(group, "Clone", "vCenter", "cloning VM 'vg-0'");
      events.flushSeries();

      List<Event> all = api.client().resources(Event.class).inNamespace("ns").list().getItems();
      assertThat(all).hasSize(2);
      Event warning =
          all.stream()
              .filter(e -> e.getReason().equals("TemplateNotFound"))
              .findFirst()
              .orElseThrow();
      assertThat(warning.getType()).isEqualTo("Warning");
      assertThat(warning.getSeries().getCount()).isEqualTo(3);
      assertThat(warning.getRegarding().getUid()).isEqualTo(group.getMetadata().getUid());
      assertThat(warning.getReportingController()).isEqualTo("vmgroup-operator");
      assertThat(api.requestsByKind()).doesNotContainKey("GET events");
    }
  }

  @Test
  void stepsWithNewNotesAreNewEventsCombinedWithinTheIntervalNeverARewrittenNote() {
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      VmGroup group = group(api);
      TestClock clock = new TestClock("2026-11-26T10:00:00Z");
      EventRecorder events = new EventRecorder(api.client(), clock, "test", Runnable::run);
      for (int i = 0; i < 10; i++) {
        events.step(group, "Clone", "vCenter", "cloning VM 'vg-" + i + "' (\"quoted\")");
        clock.advance(Duration.ofMillis(100));
      }
      events.step(group, "PowerOn", "vCenter", "powering on VM 'vg-0'");
      // within the interval: one Event per kind of step, the other nine clones held
      assertThat(api.requestsByKind()).containsEntry("POST events", 2L);
      assertThat(notes(api, "Clone")).containsExactly("cloning VM 'vg-0' (\"quoted\")");

      // once the interval is over, the held steps make one new Event naming the latest
      clock.advance(EventRecorder.SERIES_FLUSH);
      events.flushSeries();
      assertThat(notes(api, "Clone"))
          .containsExactlyInAnyOrder(
              "cloning VM 'vg-0' (\"quoted\")",
              "cloning VM 'vg-9' (\"quoted\") (and 8 more like it)");
      assertThat(api.requestsByKind()).doesNotContainKey("PATCH events");
      // RBAC grants events create and patch, not get
      assertThat(api.requestsByKind()).doesNotContainKey("GET events");
      assertThat(events.refused()).isZero();
    }
  }

  @Test
  void aSeriesIsWrittenAtMostOncePerIntervalAndOnlyItsSeriesChanges() {
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      VmGroup group = group(api);
      TestClock clock = new TestClock("2026-11-26T10:00:00Z");
      EventRecorder events = new EventRecorder(api.client(), clock, "test", Runnable::run);
      for (int i = 0; i < 10; i++) {
        events.warning(group, "TemplateNotFound", "Resolve", "template 't' not found");
        clock.advance(Duration.ofMillis(100));
      }
      // within the interval: the Event was created, the nine repeats only counted
      assertThat(api.requestsByKind()).containsEntry("POST events", 1L);
      assertThat(api.requestsByKind()).doesNotContainKey("PATCH events");

      // a repeat once the interval is over writes the series at once
      clock.advance(EventRecorder.SERIES_FLUSH);
      events.warning(group, "TemplateNotFound", "Resolve", "template 't' not found");
      assertThat(api.requestsByKind()).containsEntry("PATCH events", 1L);
      assertThat(only(api).getSeries().getCount()).isEqualTo(11);

      // held repeats are written by close, as well as when the interval ends
      events.warning(group, "TemplateNotFound", "Resolve", "template 't' not found");
      events.close();
      assertThat(api.requestsByKind()).containsEntry("PATCH events", 2L);
      assertThat(only(api).getSeries().getCount()).isEqualTo(12);
      assertThat(only(api).getNote()).isEqualTo("template 't' not found");
      assertThat(events.refused()).isZero();
    }
  }

  /**
   * A real API server refuses any change of an Event but its series (the mock applies the same
   * rule, see EmbeddedKubernetes). This is the exact body the recorder patches with.
   */
  @Test
  void theSeriesPatchChangesNoImmutableField() throws Exception {
    String body = EventRecorder.seriesPatch(7, java.time.Instant.parse("2026-11-26T10:00:05Z"));
    com.fasterxml.jackson.databind.JsonNode patch =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
    List<String> fields = new java.util.ArrayList<>();
    patch.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("series");
    assertThat(patch.path("series").path("count").asInt()).isEqualTo(7);
    assertThat(patch.path("series").path("lastObservedTime").asText())
        .isEqualTo("2026-11-26T10:00:05.000000Z");
  }

  @Test
  void eventsAboutClusterScopedObjectsGoToTheDefaultNamespace() {
    var cluster =
        new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder().withName("vc").build();
    var namespaced =
        new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder()
            .withName("vg")
            .withNamespace("team-a")
            .build();
    assertThat(EventRecorder.eventNamespace(cluster)).isEqualTo("default");
    assertThat(EventRecorder.eventNamespace(namespaced)).isEqualTo("team-a");

    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      EmbeddedKubernetes.installVCenterCrd(api.client());
      var vc = new com.codeconnect.vmgroup.api.v1alpha1.VCenter();
      vc.getMetadata().setName("site-a");
      vc.getMetadata().setUid("uid-site-a");
      EventRecorder events =
          new EventRecorder(api.client(), Clock.systemUTC(), "test", Runnable::run);
      events.warning(vc, "Unreachable", "Connect", "vCenter 'site-a' unreachable");
      List<Event> all =
          api.client().resources(Event.class).inNamespace("default").list().getItems();
      assertThat(all).hasSize(1);
      assertThat(all.get(0).getRegarding().getName()).isEqualTo("site-a");
      assertThat(events.refused()).isZero();
    }
  }

  @Test
  void refusedEventsAreCountedAndReported() {
    VmGroup group;
    io.fabric8.kubernetes.client.KubernetesClient gone;
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      group = group(api);
      gone =
          new io.fabric8.kubernetes.client.KubernetesClientBuilder()
              .withConfig(
                  new io.fabric8.kubernetes.client.ConfigBuilder(api.client().getConfiguration())
                      .withRequestRetryBackoffLimit(0)
                      .build())
              .build();
    }
    try (gone) {
      java.util.concurrent.atomic.AtomicReference<String> kind =
          new java.util.concurrent.atomic.AtomicReference<>();
      EventRecorder events = new EventRecorder(gone, Clock.systemUTC(), "test", Runnable::run);
      events.listener(
          new EventRecorder.Listener() {
            @Override
            public void refused(String k) {
              kind.set(k);
            }
          });
      events.warning(group, "TemplateNotFound", "Resolve", "template 't' not found");
      assertThat(events.refused()).isEqualTo(1);
      assertThat(kind.get()).isEqualTo("VmGroup");
    }
  }

  @Test
  void aHeldSeriesIsWrittenWhenItsIntervalEnds() {
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      VmGroup group = group(api);
      EventRecorder events = new EventRecorder(api.client(), Clock.systemUTC(), "test");
      events.warning(group, "TemplateNotFound", "Resolve", "template 't' not found");
      events.warning(group, "TemplateNotFound", "Resolve", "template 't' not found");
      Awaitility.await()
          .atMost(EventRecorder.SERIES_FLUSH.plusSeconds(5))
          .untilAsserted(() -> assertThat(only(api).getSeries()).isNotNull());
      assertThat(only(api).getSeries().getCount()).isEqualTo(2);
      events.close();
    }
  }

  private static List<String> notes(EmbeddedKubernetes api, String reason) {
    return api.client().resources(Event.class).inNamespace("ns").list().getItems().stream()
        .filter(e -> e.getReason().equals(reason))
        .map(Event::getNote)
        .toList();
  }

  private static Event only(EmbeddedKubernetes api) {
    List<Event> all = api.client().resources(Event.class).inNamespace("ns").list().getItems();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void reconcilesDoNotWaitForTheApiServerAndCloseWritesWhatIsQueued() throws Exception {
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      VmGroup group = group(api);
      CountDownLatch apiServerBack = new CountDownLatch(1);
      ExecutorService slowApi = Executors.newSingleThreadExecutor();
      EventRecorder events =
          new EventRecorder(
              api.client(),
              Clock.systemUTC(),
              "test",
              write ->
                  slowApi.execute(
                      () -> {
                        await(apiServerBack);
                        write.run();
                      }));
      long t0 = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        events.normal(group, "Clone", "vCenter", "cloning VM 'vg-" + i + "'");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
      assertThat(api.client().resources(Event.class).inNamespace("ns").list().getItems()).isEmpty();
      apiServerBack.countDown();
      slowApi.shutdown();
      assertThat(slowApi.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(api.client().resources(Event.class).inNamespace("ns").list().getItems())
          .hasSize(5);
    }
  }

  @Test
  void ownWriterWritesWhatIsQueuedOnClose() {
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      VmGroup group = group(api);
      EventRecorder events = new EventRecorder(api.client(), Clock.systemUTC(), "test");
      for (int i = 0; i < 20; i++) {
        events.normal(group, "Clone", "vCenter", "cloning VM 'vg-" + i + "'");
      }
      events.close();
      assertThat(api.client().resources(Event.class).inNamespace("ns").list().getItems())
          .hasSize(20);
      assertThat(events.dropped()).isZero();
    }
  }

  /** The writer is held busy by the test, so no machine is fast enough to drain it meanwhile. */
  @Test
  void eventsBeyondTheQueueLimitAreDroppedAndCounted() throws Exception {
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      VmGroup group = group(api);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch busy = new CountDownLatch(1);
      BoundedWriter writer = new BoundedWriter("test-writer", 3, Duration.ofSeconds(10));
      writer.execute(
          () -> {
            busy.countDown();
            await(release);
          });
      assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
      java.util.concurrent.atomic.AtomicInteger heard =
          new java.util.concurrent.atomic.AtomicInteger();
      EventRecorder events = new EventRecorder(api.client(), Clock.systemUTC(), "test", writer);
      events.listener(
          new EventRecorder.Listener() {
            @Override
            public void dropped() {
              heard.incrementAndGet();
            }
          });
      for (int i = 0; i < 5; i++) {
        events.normal(group, "Clone", "vCenter", "cloning VM 'vg-" + i + "'");
      }
      assertThat(events.dropped()).isEqualTo(2);
      assertThat(heard.get()).isEqualTo(2);
      release.countDown();
      events.close();
      assertThat(api.client().resources(Event.class).inNamespace("ns").list().getItems())
          .hasSize(3);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void eventNamesOfObjectsAtTheNameLimitStayValid() {
    String dns = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    String suffix = "18f2c3a4b5c6abc";
    String atLimit =
        "a".repeat(61) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63);
    assertThat(atLimit).hasSize(253);
    // a cut that would end in '-' or '.' backs off to a letter or digit
    String dashAtCut = "e".repeat(236) + "-" + "f".repeat(16);
    for (String name : List.of("vg", atLimit, dashAtCut)) {
      String event = EventRecorder.eventName(name, suffix);
      assertThat(event).hasSizeLessThanOrEqualTo(253).matches(dns).endsWith("." + suffix);
    }
    assertThat(EventRecorder.eventName("vg", suffix)).isEqualTo("vg." + suffix);
  }

  /** The CRD installed and one group created, for Events to be about. */
  private static VmGroup group(EmbeddedKubernetes api) {
    EmbeddedKubernetes.installCrd(api.client());
    return api.client().resource(new VmGroup("ns", "vg", new VmGroupSpec(1, 1, 1, "t"))).create();
  }
}
