package com.codeconnect.vmgroup.vsphere.contract;

/**
 * Secrets planted in requests by the tests that prove they never come out again: cloud-init user
 * data that sets a password, and a Sysprep answer file with an administrator password.
 */
public final class PlantedSecrets {
  public static final String MARKER = "s3cr3t-Mark3r-7f1e";
  public static final String USERDATA =
      "#cloud-config\nchpasswd:\n  list: |\n    root:" + MARKER + "\n  expire: false\n";
  public static final String UNATTEND =
      "<unattend><AdministratorPassword><Value>"
          + MARKER
          + "</Value><PlainText>true</PlainText></AdministratorPassword></unattend>";

  private PlantedSecrets() {}

  /** Whether a text holds the marker, or 8 characters of it in a row. */
  public static boolean shows(String text) {
    for (int i = 0; i + 8 <= MARKER.length(); i++) {
      if (text.contains(MARKER.substring(i, i + 8))) {
        return true;
      }
    }
    return false;
  }
}
