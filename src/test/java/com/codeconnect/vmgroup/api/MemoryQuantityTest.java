package com.codeconnect.vmgroup.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codeconnect.vmgroup.api.v1alpha1.MemoryQuantity;
import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.api.Test;

/** spec.memory: whole GiB as in the seed, or a quantity, and what it comes to in MiB. */
class MemoryQuantityTest {
  static long mib(Object memory) {
    return MemoryQuantity.toMiB(of(memory));
  }

  static String problem(Object memory) {
    return MemoryQuantity.problem(of(memory));
  }

  static IntOrString of(Object memory) {
    return memory instanceof Integer i ? new IntOrString(i) : new IntOrString((String) memory);
  }

  @Test
  void wholeNumbersAreGibAsInTheSeed() {
    assertThat(mib(1)).isEqualTo(1024);
    assertThat(mib(8)).isEqualTo(8192);
    assertThat(mib(24576)).isEqualTo(24L * 1024 * 1024);
    assertThat(problem(0)).isEqualTo("spec.memory must be between 1 and 24576 (GiB), got 0");
    assertThat(problem(24577))
        .isEqualTo("spec.memory must be between 1 and 24576 (GiB), got 24577");
    assertThat(problem(-3)).isEqualTo("spec.memory must be between 1 and 24576 (GiB), got -3");
  }

  @Test
  void quantitiesComeToMib() {
    assertThat(mib("1536Mi")).isEqualTo(1536);
    assertThat(mib("16Gi")).isEqualTo(16384);
    assertThat(mib("1.5Gi")).isEqualTo(1536);
    assertThat(mib("4Mi")).isEqualTo(4);
    assertThat(mib("4096Ki")).isEqualTo(4);
    assertThat(mib("24Ti")).isEqualTo(24L * 1024 * 1024);
    assertThat(mib("4194304")).as("bytes, when that is a multiple of 4 MiB").isEqualTo(4);
    assertThat(mib("65536M")).as("decimal units that happen to fit").isEqualTo(62500);
  }

  @Test
  void badQuantitiesAreNamedWithTheRuleTheyBreak() {
    assertThat(problem("3Mi"))
        .isEqualTo("spec.memory \"3Mi\" is less than vSphere's smallest memory size, 4 MiB");
    assertThat(problem("1026Mi"))
        .isEqualTo("spec.memory \"1026Mi\" comes to 1026 MiB, not a multiple of 4 MiB");
    assertThat(problem("16G"))
        .isEqualTo(
            "spec.memory \"16G\" comes to 15258.79 MiB, not a multiple of 4 MiB (G counts powers"
                + " of 10, Gi powers of 2)");
    assertThat(problem("1.5"))
        .isEqualTo(
            "spec.memory \"1.5\" is not a whole, positive number of bytes (a quantity without a"
                + " unit counts bytes: write 2Gi or 1536Mi)");
    assertThat(problem("2"))
        .isEqualTo(
            "spec.memory \"2\" is less than vSphere's smallest memory size, 4 MiB (a quantity"
                + " without a unit counts bytes: write 2Gi or 1536Mi)");
    assertThat(problem("0Gi")).contains("is not a whole, positive number of bytes");
    assertThat(problem("25Ti"))
        .isEqualTo("spec.memory \"25Ti\" is more than vSphere's limit of 24 TiB (25165824 MiB)");
    for (String notAQuantity :
        new String[] {"8GB", "16 Gi", "-1Gi", "1e9", "Gi", "", "1.Gi", "\u0000"}) {
      assertThat(problem(notAQuantity)).as(notAQuantity).contains("is not a quantity");
    }
    assertThat(MemoryQuantity.problem(null)).isEqualTo("spec.memory is required");
    assertThatThrownBy(() -> mib("16G"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a multiple of 4 MiB");
  }

  @Test
  void tablesShowWhatWasWritten() {
    assertThat(MemoryQuantity.text(of(1))).isEqualTo("1");
    assertThat(MemoryQuantity.text(of("1536Mi"))).isEqualTo("1536Mi");
    assertThat(MemoryQuantity.text(null)).isNull();
  }
}
