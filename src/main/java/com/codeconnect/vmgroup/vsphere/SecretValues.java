package com.codeconnect.vmgroup.vsphere;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Which values the operator hands to vCenter may be secret, and how records show them.
 *
 * <p>{@code guestinfo.*} extraConfig entries are the guest's channel to its bootstrap: cloud-init
 * reads its user data from them, and user data may set passwords. A Sysprep answer file may hold an
 * administrator password. Records that carry either show them only by their length, and the SOAP
 * client masks them in every message it lets out.
 */
public final class SecretValues {
  private static final String GUESTINFO = "guestinfo.";

  private SecretValues() {}

  /** Whether the value of this extraConfig key may be secret. */
  public static boolean isSecretKey(String extraConfigKey) {
    return extraConfigKey.regionMatches(true, 0, GUESTINFO, 0, GUESTINFO.length());
  }

  /** The entries with secret values shown by their length only. */
  public static String describe(Map<String, String> extraConfig) {
    StringJoiner j = new StringJoiner(", ", "{", "}");
    extraConfig.forEach((k, v) -> j.add(k + "=" + (isSecretKey(k) ? redacted(v) : v)));
    return j.toString();
  }

  /** A secret as a record shows it. */
  static String redacted(String secret) {
    return secret == null ? "null" : "<redacted, " + secret.length() + " chars>";
  }

  /** An unmodifiable copy that keeps the given order. */
  static Map<String, String> orderedCopy(Map<String, String> m) {
    return m == null || m.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }
}
