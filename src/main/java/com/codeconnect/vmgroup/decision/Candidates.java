package com.codeconnect.vmgroup.decision;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The names a "not found" or "ambiguous" message offers, so the user sees what to write instead of
 * only what failed. Pure: the controller passes what vCenter listed.
 */
public final class Candidates {
  /** Names shown in one message; the rest are counted. */
  static final int SHOWN = 5;

  private Candidates() {}

  /**
   * The candidates most like {@code wanted} first (equal but for case, then by edit distance, then
   * by name), at most {@link #SHOWN}, quoted and joined, with how many more there are; "none" when
   * there are none.
   */
  public static String closest(String wanted, Collection<String> candidates) {
    String w = wanted == null ? "" : wanted.toLowerCase(Locale.ROOT);
    List<String> sorted =
        candidates.stream()
            .distinct()
            .sorted(
                Comparator.comparing((String c) -> !c.toLowerCase(Locale.ROOT).equals(w))
                    .thenComparingInt(c -> distance(w, c.toLowerCase(Locale.ROOT)))
                    .thenComparing(Comparator.naturalOrder()))
            .toList();
    return listed(sorted);
  }

  /** The candidates as given (sorted), at most {@link #SHOWN}, with how many more there are. */
  public static String listed(Collection<String> candidates) {
    List<String> all = candidates.stream().distinct().toList();
    if (all.isEmpty()) {
      return "none";
    }
    List<String> shown = all.stream().limit(SHOWN).map(c -> "'" + c + "'").toList();
    return String.join(", ", shown)
        + (all.size() > shown.size() ? " and " + (all.size() - shown.size()) + " more" : "");
  }

  /** Levenshtein distance, capped: names far apart sort by name anyway. */
  static int distance(String a, String b) {
    int cap = 64;
    if (a.length() > cap || b.length() > cap) {
      return cap + Math.abs(a.length() - b.length());
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
