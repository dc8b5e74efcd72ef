package com.codeconnect.vmgroup.vsphere.soap;

import java.time.Duration;

/** Hears about every SOAP call the client makes, e.g. to export metrics. Must not block. */
@FunctionalInterface
public interface SoapCallListener {
  /**
   * @param method the vim25 method, e.g. {@code RetrievePropertiesEx}
   * @param outcome {@code "ok"} or the fault type ({@code NotAuthenticated}, {@code Transport},
   *     ...)
   */
  void onCall(String method, String outcome, Duration latency);
}
