package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.NativeMetadata;
import com.codeconnect.vmgroup.api.v1alpha1.UnboundSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import java.util.List;
import java.util.Map;

/**
 * The rules of the vSphere-native fields: tags and custom attributes. The CRD states what it can
 * (schema and CEL); the operator repeats it for API servers that don't, and adds what CEL can't
 * afford to check for every map key (whitespace, invisible characters).
 */
final class NativeValidator {
  private NativeValidator() {}

  static void validate(VmGroupSpec spec, UnboundSpec unbound, List<String> problems) {
    if (usable(unbound, "tags") && spec.getTags() != null) {
      tags(spec.getTags(), problems);
    }
    if (usable(unbound, "customAttributes") && spec.getCustomAttributes() != null) {
      attributes(spec.getCustomAttributes(), problems);
    }
  }

  private static void tags(List<String> tags, List<String> problems) {
    if (tags.size() > NativeMetadata.MAX_TAGS) {
      problems.add(
          "spec.tags has " + tags.size() + " entries; at most " + NativeMetadata.MAX_TAGS + " fit");
      return;
    }
    for (int i = 0; i < tags.size(); i++) {
      String tag = tags.get(i);
      String field = "spec.tags[" + i + "]";
      int slash = tag == null ? -1 : tag.indexOf('/');
      if (slash < 0 || tag.indexOf('/', slash + 1) >= 0) {
        problems.add(
            field
                + " must be category/tag with exactly one '/', got '"
                + shown(tag == null ? "" : tag)
                + "'");
        continue;
      }
      String[] parts = {tag.substring(0, slash), tag.substring(slash + 1)};
      String[] what = {"category", "tag"};
      for (int p = 0; p < 2; p++) {
        String problem =
            parts[p].isEmpty()
                ? "is empty"
                : textProblem(parts[p], NativeMetadata.MAX_TAG_NAME_LENGTH);
        if (problem != null) {
          problems.add(field + " '" + shown(tag) + "': the " + what[p] + " name " + problem);
        }
      }
    }
  }

  private static void attributes(Map<String, String> attributes, List<String> problems) {
    if (attributes.size() > NativeMetadata.MAX_ATTRIBUTES) {
      problems.add(
          "spec.customAttributes has "
              + attributes.size()
              + " entries; at most "
              + NativeMetadata.MAX_ATTRIBUTES
              + " fit");
      return;
    }
    attributes.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              String name = e.getKey();
              String field = "spec.customAttributes['" + shown(name) + "']";
              if (NativeMetadata.OWNER_ATTRIBUTE.equals(name)) {
                problems.add(
                    field
                        + ": the name "
                        + NativeMetadata.OWNER_ATTRIBUTE
                        + " is reserved, the operator sets it to the group's <namespace>/<name>");
                return;
              }
              String problem =
                  name.isEmpty()
                      ? "is empty"
                      : textProblem(name, NativeMetadata.MAX_ATTRIBUTE_LENGTH);
              if (problem != null) {
                problems.add(field + ": the name " + problem);
              }
              String value = e.getValue();
              if (value == null) {
                problems.add(field + " must have a value (a string; empty clears it)");
              } else if (value.length() > NativeMetadata.MAX_ATTRIBUTE_LENGTH) {
                problems.add(
                    field
                        + " is "
                        + value.length()
                        + " characters long; at most "
                        + NativeMetadata.MAX_ATTRIBUTE_LENGTH
                        + " are allowed");
              } else if (value.chars().anyMatch(Character::isISOControl)) {
                problems.add(field + " must not contain control characters");
              }
            });
  }

  /**
   * What is wrong with a name vCenter shows (a library, item, category, tag or attribute), or null:
   * too long, control or invisible characters (which make one name look like another), or
   * whitespace at either end (vCenter would keep it, and no one sees it).
   */
  static String textProblem(String s, int maxLength) {
    if (s.length() > maxLength) {
      return "is " + s.length() + " characters long; at most " + maxLength + " are allowed";
    }
    if (s.chars().anyMatch(Character::isISOControl)) {
      return "must not contain control characters";
    }
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (Character.getType(cp) == Character.FORMAT) {
        return String.format("contains the invisible character U+%04X at position %d", cp, i);
      }
      i += Character.charCount(cp);
    }
    if (space(s.codePointAt(0)) || space(s.codePointBefore(s.length()))) {
      return "'" + shown(s) + "' has leading or trailing whitespace";
    }
    return null;
  }

  private static boolean space(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  private static boolean usable(UnboundSpec unbound, String field) {
    return unbound == null || !unbound.unusable(field);
  }

  private static String shown(String s) {
    String visible = s.replaceAll("\\p{Cntrl}", "?");
    return visible.length() <= 40 ? visible : visible.substring(0, 40) + "...";
  }
}
