package com.codeconnect.vmgroup.testing;

import java.util.Arrays;
import java.util.List;

/** Closes what a fixture started, each in turn, whatever the others do. */
public final class Closing {
  private Closing() {}

  /** Closes each resource in order; nulls are skipped, a failure doesn't stop the rest. */
  public static void all(AutoCloseable... resources) {
    all(Arrays.asList(resources));
  }

  public static void all(List<? extends AutoCloseable> resources) {
    for (AutoCloseable c : resources) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort: the next resource must still be closed
      }
    }
  }
}
