package com.codeconnect.vmgroup.decision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalInt;

/**
 * Deterministic vCenter names for a group's folder and VMs.
 *
 * <p>The same group always maps to the same names, so after a crash the operator finds what it
 * already created instead of creating it again. Names longer than vCenter's 80-character limit keep
 * a readable prefix and end in a hash of the full name, so two long names that share a prefix still
 * differ.
 */
public final class Naming {
  /** vCenter's limit for VM, folder and resource-pool names. */
  public static final int VCENTER_MAX_NAME = 80;

  private static final int HASH_CHARS = 8;

  private Naming() {}

  /** The group's folder under the operator's root folder: {@code <namespace>-<name>}. */
  public static String folderName(String namespace, String name) {
    return fit(namespace + "-" + name, "");
  }

  /** The VM at {@code index}: {@code <name>-<index>}. */
  public static String vmName(String groupName, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0: " + index);
    }
    return fit(groupName, "-" + index);
  }

  /**
   * The index encoded in a VM name this class made for {@code groupName}, or empty when the name is
   * not one of the group's.
   */
  public static OptionalInt indexOf(String groupName, String vmName) {
    int dash = vmName.lastIndexOf('-');
    if (dash <= 0 || dash == vmName.length() - 1) {
      return OptionalInt.empty();
    }
    String digits = vmName.substring(dash + 1);
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')
        || (digits.length() > 1 && digits.charAt(0) == '0')
        || digits.length() > 9) {
      return OptionalInt.empty();
    }
    int index = Integer.parseInt(digits);
    return vmName.equals(vmName(groupName, index)) ? OptionalInt.of(index) : OptionalInt.empty();
  }

  /** Longest host name label (RFC 1035). */
  public static final int MAX_HOST_NAME = 63;

  /**
   * The guest's host name for a VM: its name in lower case with anything but letters, digits and
   * '-' turned into '-'; a name longer than 63 characters keeps a prefix and ends in a hash of the
   * whole name, so the VMs of a long-named group still get different host names.
   */
  public static String hostName(String vmName) {
    String name = vmName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    if (name.length() > MAX_HOST_NAME) {
      String hash = "-" + shortHash(vmName);
      name = name.substring(0, MAX_HOST_NAME - hash.length()) + hash;
    }
    name = name.replaceAll("^-+", "").replaceAll("-+$", "");
    return name.isEmpty() ? "vm-" + shortHash(vmName) : name;
  }

  /**
   * Length of a name as vCenter counts it: it stores {@code %}, {@code /} and {@code \} escaped as
   * {@code %25}, {@code %2f} and {@code %5c}.
   */
  public static int vcenterLength(String name) {
    int length = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      length += (c == '%' || c == '/' || c == '\\') ? 3 : 1;
    }
    return length;
  }

  private static String fit(String base, String suffix) {
    if (vcenterLength(base) + vcenterLength(suffix) <= VCENTER_MAX_NAME) {
      return base + suffix;
    }
    String hash = "-" + shortHash(base);
    int budget = VCENTER_MAX_NAME - vcenterLength(suffix) - hash.length();
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < base.length(); ) {
      int cp = base.codePointAt(i);
      String ch = new String(Character.toChars(cp));
      if (vcenterLength(prefix.toString()) + vcenterLength(ch) > budget) {
        break;
      }
      prefix.append(ch);
      i += Character.charCount(cp);
    }
    return prefix + hash + suffix;
  }

  static String shortHash(String s) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
