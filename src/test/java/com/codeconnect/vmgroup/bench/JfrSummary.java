package com.codeconnect.vmgroup.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a flight recording's execution samples say about where the operator process's Java threads
 * were: by area (the fake, the operator's own packages, JOSDK, the Kubernetes client, Jackson, the
 * JDK's HTTP client, the rest), by the top frame, and by the innermost frame of the operator's own
 * code. The JIT and GC threads are not sampled; their CPU is in the per-thread figures.
 */
final class JfrSummary {
  private static final String OWN = "com.codeconnect.vmgroup.";

  private JfrSummary() {}

  static String summarize(Path recording, int top) throws IOException {
    Map<String, Integer> areas = new HashMap<>();
    Map<String, Integer> topFrames = new HashMap<>();
    Map<String, Integer> ownFrames = new HashMap<>();
    int samples = 0;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
          continue;
        }
        RecordedStackTrace stack = e.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        topFrames.merge(name(frames.get(0)), 1, Integer::sum);
        areas.merge(area(frames), 1, Integer::sum);
        // the fake's work, called from the operator, is not the operator's own code
        boolean inFake =
            frames.stream()
                .anyMatch(f -> f.getMethod().getType().getName().contains(".vsphere.fake."));
        for (RecordedFrame f : inFake ? List.<RecordedFrame>of() : frames) {
          String type = f.getMethod().getType().getName();
          if (type.startsWith(OWN) && !type.contains(".bench.")) {
            ownFrames.merge(name(f), 1, Integer::sum);
            break;
          }
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%d execution samples of Java threads%n", samples));
    append(sb, "by area (innermost frame that decides it)", areas, samples, top);
    append(sb, "top frames", topFrames, samples, top);
    append(
        sb,
        "innermost frame of the operator's own code (samples in the fake left out)",
        ownFrames,
        samples,
        top);
    return sb.toString();
  }

  /**
   * The fake wherever it appears (its work is subtracted); otherwise the innermost frame of a known
   * library or of the operator, since a JDK frame on top says little by itself.
   */
  private static String area(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (f.getMethod().getType().getName().contains(".vsphere.fake.")) {
        return "in-memory vCenter (fake; the harness's checks too)";
      }
    }
    for (RecordedFrame f : frames) {
      String t = f.getMethod().getType().getName();
      if (t.startsWith("com.fasterxml.jackson")) {
        return "Jackson (JSON)";
      }
      if (t.startsWith("io.fabric8.kubernetes.client.jdkhttp")
          || t.startsWith("jdk.internal.net")) {
        return "JDK HTTP client";
      }
      if (t.startsWith("io.fabric8")) {
        return "Fabric8 Kubernetes client";
      }
      if (t.startsWith("io.javaoperatorsdk")) {
        return "JOSDK";
      }
      if (t.startsWith("io.micrometer")) {
        return "Micrometer";
      }
      if (t.startsWith("ch.qos.logback") || t.startsWith("org.slf4j")) {
        return "logging";
      }
      if (t.startsWith(OWN)) {
        return "operator: " + t.substring(OWN.length(), t.lastIndexOf('.'));
      }
    }
    return "JDK/other: " + frames.get(0).getMethod().getType().getName();
  }

  private static String name(RecordedFrame f) {
    String type = f.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }

  private static void append(
      StringBuilder sb, String title, Map<String, Integer> counts, int samples, int top) {
    sb.append("  ").append(title).append(":\n");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e ->
                sb.append(
                    String.format(
                        Locale.ROOT,
                        "    %5.1f %%  %6d  %s%n",
                        100.0 * e.getValue() / Math.max(1, samples),
                        e.getValue(),
                        e.getKey())));
  }
}
