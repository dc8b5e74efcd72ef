package com.codeconnect.vmgroup.vsphere;

/**
 * Makes vCenter clients, so that code reading settings needs to know no implementation: the
 * composition root picks the one factory.
 */
@FunctionalInterface
public interface VsphereClientFactory {
  /**
   * A client for that vCenter. It logs in at its first call that needs a session, so a vCenter that
   * is down or refuses the credentials does not fail this call. The caller closes the client.
   */
  VsphereClient connect(VcenterConnection connection);
}
