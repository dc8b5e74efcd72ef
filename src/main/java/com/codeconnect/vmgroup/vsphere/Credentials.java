package com.codeconnect.vmgroup.vsphere;

import java.util.Objects;

/** A vCenter user and password. {@link #toString()} masks the password so logs can't leak it. */
public record Credentials(String user, String password) {
  public Credentials {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "Credentials[user=" + user + ", password=***]";
  }
}
