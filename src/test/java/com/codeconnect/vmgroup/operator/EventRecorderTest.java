package com.codeconnect.vmgroup.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.demo.EmbeddedKubernetes;
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
          new EventRecorder(api.client(), Clock.systemUTC(), "test", "default", Runnable::run);
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
  void stepsOfOneKindMakeOneEventCountingThemAndNamingTheLatest() {
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      VmGroup group = group(api);
      EventRecorder events =
          new EventRecorder(api.client(), Clock.systemUTC(), "test", "default", Runnable::run);
      for (int i = 0; i < 10; i++) {
        events.step(group, "Clone", "vCenter", "cloning VM 'vg-" + i + "' (\"quoted\")");
      }
      events.step(group, "PowerOn", "vCenter", "powering on VM 'vg-0'");
      events.flushSeries();

      List<Event> all = api.client().resources(Event.class).inNamespace("ns").list().getItems();
      assertThat(all).hasSize(2);
      Event clones =
          all.stream().filter(e -> e.getReason().equals("Clone")).findFirst().orElseThrow();
      assertThat(clones.getSeries().getCount()).isEqualTo(10);
      assertThat(clones.getNote()).isEqualTo("cloning VM 'vg-9' (\"quoted\")");
      assertThat(clones.getType()).isEqualTo("Normal");
      // RBAC grants events create and patch, not get
      assertThat(api.requestsByKind()).doesNotContainKey("GET events");
    }
  }

  @Test
  void aSeriesIsWrittenAtMostOncePerIntervalWithItsLatestCountAndNote() {
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      VmGroup group = group(api);
      TestClock clock = new TestClock("2026-11-26T10:00:00Z");
      EventRecorder events =
          new EventRecorder(api.client(), clock, "test", "default", Runnable::run);
      for (int i = 0; i < 10; i++) {
        events.step(group, "Clone", "vCenter", "cloning VM 'vg-" + i + "'");
        clock.advance(Duration.ofMillis(100));
      }
      // within the interval: the Event was created, the nine repeats only counted
      assertThat(api.requestsByKind()).containsEntry("POST events", 1L);
      assertThat(api.requestsByKind()).doesNotContainKey("PATCH events");
      assertThat(only(api).getNote()).isEqualTo("cloning VM 'vg-0'");

      // a repeat once the interval is over writes the series at once
      clock.advance(EventRecorder.SERIES_FLUSH);
      events.step(group, "Clone", "vCenter", "cloning VM 'vg-10'");
      assertThat(api.requestsByKind()).containsEntry("PATCH events", 1L);
      assertThat(only(api).getSeries().getCount()).isEqualTo(11);
      assertThat(only(api).getNote()).isEqualTo("cloning VM 'vg-10'");

      // held repeats are written by close, as well as when the interval ends
      events.step(group, "Clone", "vCenter", "cloning VM 'vg-11'");
      events.close();
      assertThat(api.requestsByKind()).containsEntry("PATCH events", 2L);
      assertThat(only(api).getSeries().getCount()).isEqualTo(12);
      assertThat(only(api).getNote()).isEqualTo("cloning VM 'vg-11'");
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
              "default",
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
  void ownWriterFlushesOnCloseAndDropsBeyondTheQueueLimit() {
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      VmGroup group = group(api);
      EventRecorder events = new EventRecorder(api.client(), Clock.systemUTC(), "test");
      int sent = EventRecorder.QUEUE_LIMIT + 200;
      for (int i = 0; i < sent; i++) {
        events.normal(group, "Clone", "vCenter", "cloning VM 'vg-" + i + "'");
      }
      events.close();
      int written = api.client().resources(Event.class).inNamespace("ns").list().getItems().size();
      // what was neither written nor dropped is what the two seconds of close didn't reach
      assertThat(written).isPositive();
      assertThat(written + events.dropped()).isLessThanOrEqualTo(sent);
      assertThat(events.dropped()).isPositive();
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
