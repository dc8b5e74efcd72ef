package com.codeconnect.vmgroup.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.demo.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
  @Test
  void repeatsAreAggregatedIntoOneEventSeries() {
    try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      EmbeddedKubernetes.installCrd(api.client());
      VmGroup group =
          api.client().resource(new VmGroup("ns", "vg", new VmGroupSpec(1, 1, 1, "t"))).create();
      EventRecorder events = new EventRecorder(api.client(), Clock.systemUTC(), "test");
      events.warning(group, "TemplateNotFound", "Resolve", "template 't' not found");
      events.warning(group, "TemplateNotFound", "Resolve", "template 't' not found");
      events.warning(group, "TemplateNotFound", "Resolve", "template 't' not found");
      events.normal(group, "Clone", "vCenter", "cloning VM 'vg-0'");

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
}
