package com.codeconnect.vmgroup.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The figures of one scenario run, printed and appended to {@code target/faults/results.txt} as one
 * {@code key=value} line: docs/reliability.md is filled from that file.
 */
final class FaultReport {
  static final Path FILE = Path.of("target", "faults", "results.txt");

  private final String scenario;
  private final Map<String, Object> figures = new LinkedHashMap<>();

  private FaultReport(String scenario) {
    this.scenario = scenario;
  }

  static FaultReport of(String scenario) {
    return new FaultReport(scenario);
  }

  FaultReport put(String key, Object value) {
    figures.put(key, value);
    return this;
  }

  /** Adds the three figures every scenario reports, from an audit of vCenter. */
  FaultReport audit(VcenterAudit.Result audit) {
    return put("vms_lost", audit.lost())
        .put("duplicates", audit.duplicates())
        .put("foreign_touched", audit.foreignTouched())
        .put("strays", audit.strays());
  }

  void write() {
    String line =
        "scenario="
            + scenario
            + " "
            + figures.entrySet().stream()
                .map(e -> e.getKey() + "=" + String.valueOf(e.getValue()).replace(' ', '_'))
                .collect(Collectors.joining(" "))
            + " at="
            + Instant.now();
    System.out.println("FAULTS " + line);
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
