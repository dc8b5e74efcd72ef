package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.testing.Vms;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InPlaceSyncTest {
  private static VmInfo vm(Set<String> managed) {
    VmInfo plain = Vms.ready(0);
    Map<String, String> extra = new HashMap<>(plain.extraConfig());
    if (!managed.isEmpty()) {
      extra.put(Ownership.TAGS, ManagedSet.encode(managed));
    }
    return new VmInfo(
        plain.ref(),
        plain.name(),
        plain.parent(),
        plain.powerState(),
        plain.cpu(),
        plain.memoryMiB(),
        false,
        plain.instanceUuid(),
        null,
        extra);
  }

  @Test
  void aNewTagIsListedBeforeItIsAttached() {
    InPlaceSync.TagStep step = InPlaceSync.tags(Set.of("t1", "t2"), Set.of(), vm(Set.of("t1")));
    assertThat(step.markerFirst()).isTrue();
    assertThat(step.attach()).isEmpty();
    assertThat(ManagedSet.decode(step.markerValue())).containsExactlyInAnyOrder("t1", "t2");

    step = InPlaceSync.tags(Set.of("t1", "t2"), Set.of("t1"), vm(Set.of("t1", "t2")));
    assertThat(step.markerFirst()).isFalse();
    assertThat(step.attach()).containsExactly("t2");
    assertThat(step.detach()).isEmpty();
    assertThat(step.marker()).isNull();
  }

  @Test
  void onlyTheOperatorsOwnTagsAreDetachedAndTheListShrinksAfter() {
    // t9 was attached by hand: not listed, never detached
    InPlaceSync.TagStep step =
        InPlaceSync.tags(Set.of("t1"), Set.of("t1", "t2", "t9"), vm(Set.of("t1", "t2")));
    assertThat(step.markerFirst()).isFalse();
    assertThat(step.attach()).isEmpty();
    assertThat(step.detach()).containsExactly("t2");
    assertThat(step.marker()).containsExactly("t1");

    // a listed tag someone detached already: only the list shrinks
    step = InPlaceSync.tags(Set.of(), Set.of("t9"), vm(Set.of("t2")));
    assertThat(step.detach()).isEmpty();
    assertThat(step.marker()).isEmpty();
    assertThat(step.markerValue()).isEmpty();
  }

  @Test
  void inSyncIsIdle() {
    assertThat(InPlaceSync.tags(Set.of("t1"), Set.of("t1", "t9"), vm(Set.of("t1"))).idle())
        .isTrue();
    assertThat(InPlaceSync.tags(Set.of(), Set.of("t9"), vm(Set.of())).idle()).isTrue();
  }

  @Test
  void attributesAreTheSpecsPlusTheOwnerAndOnlyDifferencesAreSet() {
    VmGroupSpec spec = new VmGroupSpec(1, 1, 1, "t");
    spec.setCustomAttributes(Map.of("owner", "platform"));
    assertThat(InPlaceSync.attributes(spec, "ns", "vg"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("owner", "platform", "vmgroup", "ns/vg"));

    Map<Integer, String> wanted = Map.of(1, "platform", 2, "ns/vg");
    assertThat(InPlaceSync.attributeChanges(wanted, Map.of(1, "platform", 2, "ns/vg", 3, "x")))
        .isEmpty();
    assertThat(InPlaceSync.attributeChanges(wanted, Map.of(1, "other", 3, "x")))
        .containsExactlyInAnyOrderEntriesOf(Map.of(1, "platform", 2, "ns/vg"));
  }
}
