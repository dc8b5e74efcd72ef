package com.codeconnect.vmgroup.api.v1alpha1;

/**
 * The bounds and rules of spec.tags and spec.customAttributes, shared by the CRD's schema and CEL
 * rules and the operator's own checks, so the two can't drift apart.
 */
public final class NativeMetadata {
  /** Tags per VM the spec may ask for. */
  public static final int MAX_TAGS = 32;

  /**
   * Longest category or tag name accepted. The bound keeps the CEL cost of the rules and the marker
   * that lists a VM's tags small; vSphere's own names are shorter in practice.
   */
  public static final int MAX_TAG_NAME_LENGTH = 255;

  /** A whole {@code category/tag} entry. */
  public static final int MAX_TAG_LENGTH = 2 * MAX_TAG_NAME_LENGTH + 1;

  /**
   * {@code category/tag}: exactly one slash, neither part empty nor padded with whitespace, no
   * control characters. vSphere allows '/' in names; such a tag can't be named here.
   */
  public static final String TAG_PATTERN =
      "^[^/\\s\\p{Cc}]([^/\\p{Cc}]*[^/\\s\\p{Cc}])?/[^/\\s\\p{Cc}]([^/\\p{Cc}]*[^/\\s\\p{Cc}])?$";

  /** Custom attributes the spec may set, besides the reserved {@link #OWNER_ATTRIBUTE}. */
  public static final int MAX_ATTRIBUTES = 32;

  /** Longest custom attribute name, and longest value. */
  public static final int MAX_ATTRIBUTE_LENGTH = 255;

  /**
   * The custom attribute every VM gets, {@code <namespace>/<name>} of its group, for inventory
   * tools; the extraConfig markers stay the proof of ownership.
   */
  public static final String OWNER_ATTRIBUTE = "vmgroup";

  // Only size checks on the keys: CEL's cost estimate can't bound a map key's length, and a
  // string function over each key could push the rule past the API server's cost limit. The
  // operator checks the rest (whitespace, control characters).
  static final String ATTRIBUTE_NAMES =
      "self.all(k, size(k) >= 1 && size(k) <= " + MAX_ATTRIBUTE_LENGTH + ")";
  static final String ATTRIBUTE_NAMES_MESSAGE =
      "custom attribute names must be 1 to " + MAX_ATTRIBUTE_LENGTH + " characters long";
  static final String RESERVED_ATTRIBUTE = "!('" + OWNER_ATTRIBUTE + "' in self)";
  static final String RESERVED_ATTRIBUTE_MESSAGE =
      "the custom attribute "
          + OWNER_ATTRIBUTE
          + " is reserved: the operator sets it to the group's <namespace>/<name>";

  private NativeMetadata() {}
}
