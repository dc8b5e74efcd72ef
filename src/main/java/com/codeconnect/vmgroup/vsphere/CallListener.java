package com.codeconnect.vmgroup.vsphere;

import java.time.Duration;

/**
 * Hears about every call a vCenter client makes, e.g. to export metrics. Must not block. It lives
 * on the seam so that metrics needn't know which protocol the client speaks.
 */
@FunctionalInterface
public interface CallListener {
  /**
   * @param method the vim25 method, e.g. {@code RetrievePropertiesEx}
   * @param outcome {@code "ok"} or the fault type ({@code NotAuthenticated}, {@code Transport},
   *     ...)
   */
  void onCall(String method, String outcome, Duration latency);
}
