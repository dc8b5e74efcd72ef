package com.codeconnect.vmgroup.vsphere;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * What looking an item up by library name and item name found. Anything but {@link Outcome#FOUND}
 * carries candidates, so a condition can name them: for an ambiguous name, the objects that share
 * it; for a missing one, names that do exist (at most {@link #MAX_CANDIDATES}).
 *
 * @param item the item, when found; else null
 */
public record LibraryLookup(Outcome outcome, LibraryItem item, List<Candidate> candidates) {
  /** More names make no better message, and each costs a call. */
  public static final int MAX_CANDIDATES = 20;

  public enum Outcome {
    FOUND,
    LIBRARY_NOT_FOUND,
    /** Several libraries have the name; candidates are those libraries. */
    LIBRARY_AMBIGUOUS,
    /** The library has no item of that name; candidates are items it does have. */
    ITEM_NOT_FOUND,
    /** The library has several items of that name; candidates are those items. */
    ITEM_AMBIGUOUS
  }

  /** A library or an item: what a message names, and its id to tell equal names apart. */
  public record Candidate(String id, String name, String type) {}

  public LibraryLookup {
    Objects.requireNonNull(outcome, "outcome");
    candidates = candidates == null ? List.of() : List.copyOf(candidates);
    if ((outcome == Outcome.FOUND) != (item != null)) {
      throw new IllegalArgumentException("an item exactly when found");
    }
  }

  /**
   * Those of {@code found} that carry the name {@code wanted} by vCenter's rule, which matches
   * library and item names regardless of case: exact matches if there are any, else those that
   * differ only in case. More than one is ambiguous.
   */
  public static <T> List<T> named(List<T> found, Function<T, String> name, String wanted) {
    List<T> exact = found.stream().filter(x -> wanted.equals(name.apply(x))).toList();
    if (!exact.isEmpty()) {
      return exact;
    }
    String lower = wanted.toLowerCase(Locale.ROOT);
    return found.stream()
        .filter(x -> lower.equals(name.apply(x).toLowerCase(Locale.ROOT)))
        .toList();
  }

  public static LibraryLookup found(LibraryItem item) {
    return new LibraryLookup(Outcome.FOUND, Objects.requireNonNull(item, "item"), List.of());
  }

  public static LibraryLookup missing(Outcome outcome, List<Candidate> candidates) {
    return new LibraryLookup(outcome, null, candidates);
  }
}
