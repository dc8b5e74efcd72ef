package com.codeconnect.vmgroup.config;

/** A missing or bad setting; the message names it and never contains a secret. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String setting, String problem) {
    super(setting + " " + problem);
  }
}
