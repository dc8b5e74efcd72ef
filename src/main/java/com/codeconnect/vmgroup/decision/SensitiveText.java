package com.codeconnect.vmgroup.decision;

import java.nio.charset.StandardCharsets;

/**
 * Text that may hold secrets (rendered user-data, an unattend file with a password): logs, events
 * and exception messages that print it show its size only.
 */
public record SensitiveText(String value) {
  public SensitiveText {
    java.util.Objects.requireNonNull(value, "value");
  }

  /** Its length in UTF-8 bytes, as vSphere counts it. */
  public int bytes() {
    return value.getBytes(StandardCharsets.UTF_8).length;
  }

  @Override
  public String toString() {
    return "(" + bytes() + " bytes, not shown)";
  }
}
