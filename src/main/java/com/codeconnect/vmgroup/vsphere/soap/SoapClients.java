package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.CallListener;
import com.codeconnect.vmgroup.vsphere.VcenterConnection;
import com.codeconnect.vmgroup.vsphere.VsphereClientFactory;

/** The {@link VsphereClientFactory} over vim25 SOAP: a {@link SoapVsphereClient} per connection. */
public final class SoapClients implements VsphereClientFactory {
  private final CallListener listener;

  /** Clients whose calls nobody hears about. */
  public SoapClients() {
    this(null);
  }

  /**
   * @param listener told about every call of every client made here (e.g. metrics), or null
   */
  public SoapClients(CallListener listener) {
    this.listener = listener;
  }

  @Override
  public SoapVsphereClient connect(VcenterConnection c) {
    return SoapVsphereClient.builder(c.sdkUrl())
        .credentials(c.credentials())
        .tls(TlsTrust.of(c.tls()))
        .timeout(c.timeout())
        .keepAlive(c.keepAlive())
        .listener(listener)
        .build();
  }
}
