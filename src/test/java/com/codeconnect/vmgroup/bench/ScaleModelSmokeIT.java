package com.codeconnect.vmgroup.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CI smoke run of the scale model, so the harness cannot rot: 20 VMs, short tasks and windows,
 * and every figure printed with a sane value. No timing is asserted.
 */
class ScaleModelSmokeIT {

  @Test
  void runsToTheEndAndPrintsItsFigures() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    int code =
        ScaleModel.run(
            out,
            System.err,
            "--sizes",
            "20",
            "--clone-ms",
            "100",
            "--power-ms",
            "20",
            "--steady",
            "2",
            "--settle",
            "2",
            "--timeout",
            "120");
    String text = buffer.toString(StandardCharsets.UTF_8);
    System.out.println(text);
    assertThat(code).as(text).isZero();

    Map<String, String> figures = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.matches("[a-z0-9_]+=\\S+")) {
        String[] kv = line.split("=", 2);
        figures.put(kv[0], kv[1]);
      }
    }
    assertThat(text).contains("scenario", "figure", "measured", "7 targets");
    for (String key :
        List.of(
            "ideal_seconds",
            "converge_vcenter_seconds",
            "converge_seconds",
            "operator_cpu_seconds",
            "operator_cpu_per_1000_vms_seconds",
            "process_cpu_seconds",
            "reconciles_per_vm",
            "api_requests_per_vm",
            "api_put_vmgroups_status_per_vm",
            "heap_after_gc_mib",
            "fake_heap_mib",
            "rss_mib",
            "operator_rss_mib")) {
      assertThat(figures).as(text).containsKey("scale_20_" + key);
      assertThat(Double.parseDouble(figures.get("scale_20_" + key))).as(key).isPositive();
    }
    for (String key :
        List.of(
            "fake_cpu_seconds", "steady_vcenter_calls", "steady_api_writes", "steady_reconciles")) {
      assertThat(Double.parseDouble(figures.get("scale_20_" + key))).as(key).isNotNegative();
    }
    assertThat(figures.get("scale_20_vms")).isEqualTo("20");
    // ideal = ceil(20 / 200) x (100 ms + 20 ms)
    assertThat(Double.parseDouble(figures.get("scale_20_ideal_seconds"))).isEqualTo(0.12);
    assertThat(figures).containsKeys("scale_cpu_per_vm_growth", "scale_container_memory_mib");
  }
}
