package com.codeconnect.vmgroup.controller.vcenter;

import com.codeconnect.vmgroup.vsphere.VsphereException;

/**
 * A problem someone has to fix in the spec or a Secret; thrown also from inside a login (the
 * credentials supplier), so it is a VsphereException the client passes through unchanged.
 */
final class Misconfigured extends VsphereException {
  final String reason;

  Misconfigured(String reason, String message) {
    super(reason, message, false);
    this.reason = reason;
  }
}
