package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamingTest {
  @Test
  void shortNamesAreKeptAsTheSeedHadThem() {
    assertThat(Naming.folderName("default", "vg-1")).isEqualTo("default-vg-1");
    assertThat(Naming.vmName("vg-1", 0)).isEqualTo("vg-1-0");
    assertThat(Naming.vmName("vg-1", 12)).isEqualTo("vg-1-12");
  }

  @Test
  void longNamesFitVcentersLimitAndStayDistinct() {
    String a = "a".repeat(200) + "x";
    String b = "a".repeat(200) + "y";
    assertThat(Naming.vmName(a, 7)).hasSize(Naming.VCENTER_MAX_NAME).endsWith("-7");
    assertThat(Naming.vmName(a, 7)).isNotEqualTo(Naming.vmName(b, 7));
    assertThat(Naming.vmName(a, 7)).isEqualTo(Naming.vmName(a, 7));
    assertThat(Naming.folderName("n".repeat(63), "g".repeat(253)))
        .hasSizeLessThanOrEqualTo(Naming.VCENTER_MAX_NAME);
  }

  @Test
  void aNameOfExactly80CharactersIsNotHashed() {
    String name = "v".repeat(78);
    assertThat(Naming.vmName(name, 0)).isEqualTo(name + "-0");
    assertThat(Naming.vmName(name + "v", 0)).hasSize(80).doesNotStartWith(name + "v-");
  }

  @Test
  void escapedCharactersCountThreeTimes() {
    assertThat(Naming.vcenterLength("a%b/c\\d")).isEqualTo(4 + 9);
    String withPercent = "%".repeat(30);
    assertThat(Naming.vcenterLength(Naming.vmName(withPercent, 3)))
        .isLessThanOrEqualTo(Naming.VCENTER_MAX_NAME);
  }

  @Test
  void indexIsRecoveredOnlyFromNamesMadeForThatGroup() {
    assertThat(Naming.indexOf("vg-1", "vg-1-3")).hasValue(3);
    assertThat(Naming.indexOf("vg-1", "vg-1-03")).isEmpty();
    assertThat(Naming.indexOf("vg", "vg-1-3")).isEmpty();
    assertThat(Naming.indexOf("vg-1", "vg-1-")).isEmpty();
    assertThat(Naming.indexOf("vg-1", "other-3")).isEmpty();
    String longName = "x".repeat(120);
    assertThat(Naming.indexOf(longName, Naming.vmName(longName, 42))).hasValue(42);
  }
}
