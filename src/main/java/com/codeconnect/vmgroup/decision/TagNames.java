package com.codeconnect.vmgroup.decision;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * spec.tags' {@code category/tag} names resolved to tag ids, which is what a VM's attachments and
 * the operator's marker hold (ids survive a rename). Pure: the controller passes the categories and
 * tags the tagging service listed. The operator creates neither categories nor tags.
 */
public final class TagNames {
  private TagNames() {}

  /** A spec.tags entry split at its one '/' (the validator has made sure there is one). */
  public record Name(String category, String tag) {
    public static Name parse(String entry) {
      int slash = entry.indexOf('/');
      if (slash <= 0 || slash == entry.length() - 1 || entry.indexOf('/', slash + 1) >= 0) {
        throw new IllegalArgumentException("not a category/tag name: " + entry);
      }
      return new Name(entry.substring(0, slash), entry.substring(slash + 1));
    }

    @Override
    public String toString() {
      return category + "/" + tag;
    }
  }

  /** The tag ids, or why some don't resolve. */
  public sealed interface Resolution {}

  /** Every entry resolved, in spec order. */
  public record Resolved(Set<String> ids) implements Resolution {
    public Resolved {
      ids = Set.copyOf(ids);
    }
  }

  /** TagNotFound, naming the first such entry and how many more there are. */
  public record Failed(Problem problem) implements Resolution {}

  /**
   * @param categories category name to id
   * @param tags tag name to id, per category id
   */
  public static Resolution resolve(
      List<String> entries, Map<String, String> categories, Map<String, Map<String, String>> tags) {
    Set<String> ids = new LinkedHashSet<>();
    List<Problem> missing = new ArrayList<>();
    for (String entry : entries == null ? List.<String>of() : entries) {
      Name n = Name.parse(entry);
      String category = categories.get(n.category());
      if (category == null) {
        missing.add(
            new Problem(
                Problem.Reason.TagNotFound,
                "tag category '"
                    + n.category()
                    + "' of spec.tags entry '"
                    + n
                    + "' not found (categories: "
                    + Candidates.closest(n.category(), categories.keySet())
                    + "); the operator doesn't create categories"));
        continue;
      }
      Map<String, String> inCategory = tags.getOrDefault(category, Map.of());
      String id = inCategory.get(n.tag());
      if (id == null) {
        missing.add(
            new Problem(
                Problem.Reason.TagNotFound,
                "tag '"
                    + n.tag()
                    + "' not found in category '"
                    + n.category()
                    + "' (its tags: "
                    + Candidates.closest(n.tag(), inCategory.keySet())
                    + "); the operator doesn't create tags"));
        continue;
      }
      ids.add(id);
    }
    if (missing.isEmpty()) {
      return new Resolved(ids);
    }
    Problem first = missing.get(0);
    return new Failed(
        missing.size() == 1
            ? first
            : new Problem(
                first.reason(),
                first.message() + "; " + (missing.size() - 1) + " more spec.tags entries missing"));
  }
}
