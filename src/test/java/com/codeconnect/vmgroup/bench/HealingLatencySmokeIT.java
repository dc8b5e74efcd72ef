package com.codeconnect.vmgroup.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The CI smoke run of the healing-latency benchmark: one round, every figure printed. */
class HealingLatencySmokeIT {
  @Test
  void everyFigureIsPrinted() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    int code =
        HealingLatency.run(out, System.err, "--replicas", "2", "--rounds", "1", "--timeout", "120");
    String text = buffer.toString(StandardCharsets.UTF_8);
    System.out.println(text);
    assertThat(code).as(text).isZero();
    assertThat(text)
        .containsPattern("healing_latency_p50_seconds=-?[0-9.]+")
        .containsPattern("healing_latency_max_seconds=-?[0-9.]+")
        .contains("healing_rounds=1");
  }
}
