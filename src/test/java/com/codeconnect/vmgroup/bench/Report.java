package com.codeconnect.vmgroup.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A benchmark's output: a table of rows (scenario, figure, measured, target, verdict) and one
 * {@code key=value} line per figure, which scripts and the smoke tests read.
 */
final class Report {
  private final Map<String, String> figures = new LinkedHashMap<>();
  private final List<String[]> rows = new ArrayList<>();
  private boolean nan;

  void figure(String key, double value) {
    nan |= Double.isNaN(value);
    figures.put(key, Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%.3f", value));
  }

  void figure(String key, long value) {
    figures.put(key, Long.toString(value));
  }

  void figure(String key, String value) {
    figures.put(key, value);
  }

  void row(String scenario, String what, String measured, String target, String verdict) {
    rows.add(new String[] {scenario, what, measured, target, verdict});
  }

  void row(String[] cells) {
    rows.add(cells.clone());
  }

  /** A figure as printed, or null when there is none yet. */
  String get(String key) {
    return figures.get(key);
  }

  void row(String scenario, String what, String measured) {
    row(scenario, what, measured, "", "");
  }

  /** True when some figure could not be measured (NaN). */
  boolean hasNaN() {
    return nan;
  }

  static String verdict(boolean met) {
    return met ? "met" : "MISSED";
  }

  static String fmt(double d) {
    return Double.isNaN(d) ? "NaN" : String.format(Locale.ROOT, "%.2f", d);
  }

  void print(PrintStream out) {
    String[] head = {"scenario", "figure", "measured", "target", "verdict"};
    int[] w = new int[head.length];
    List<String[]> all = new ArrayList<>();
    all.add(head);
    all.addAll(rows);
    for (String[] r : all) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    out.println();
    for (String[] r : all) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < head.length; i++) {
        sb.append(String.format("%-" + w[i] + "s", i < r.length ? r[i] : ""));
        if (i < head.length - 1) {
          sb.append("  ");
        }
      }
      out.println(sb.toString().stripTrailing());
    }
    out.println();
    figures.forEach((k, v) -> out.println(k + "=" + v));
    out.flush();
  }
}
