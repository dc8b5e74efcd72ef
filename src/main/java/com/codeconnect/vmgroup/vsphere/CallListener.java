package com.codeconnect.vmgroup.vsphere;

import java.time.Duration;

/**
 * Hears about every call a vCenter client makes, e.g. to export metrics. Must not block. It lives
 * on the seam so that metrics needn't know which protocol the client speaks.
 */
@FunctionalInterface
public interface CallListener {
  /** The SOAP API (vim25). */
  String SOAP = "soap";

  /** The REST API (vSphere Automation, {@code /api} or {@code /rest}). */
  String REST = "rest";

  /**
   * @param protocol {@link #SOAP} or {@link #REST}
   * @param method the vim25 method (e.g. {@code RetrievePropertiesEx}), or the REST operation (e.g.
   *     {@code tag.attach}): a bounded set of names, never a path with ids in it
   * @param outcome {@code "ok"} or the fault type ({@code NotAuthenticated}, {@code Transport},
   *     ...)
   */
  void onCall(String protocol, String method, String outcome, Duration latency);

  /** A SOAP call. */
  default void onCall(String method, String outcome, Duration latency) {
    onCall(SOAP, method, outcome, latency);
  }
}
