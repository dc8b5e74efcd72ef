package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.CallListener;
import com.codeconnect.vmgroup.vsphere.LoginGate;
import com.codeconnect.vmgroup.vsphere.VcenterConnection;
import com.codeconnect.vmgroup.vsphere.VsphereClientFactory;
import com.codeconnect.vmgroup.vsphere.rest.RestClient;
import java.security.cert.X509Certificate;

/**
 * The {@link VsphereClientFactory} over vim25 SOAP: a {@link SoapVsphereClient} per connection,
 * with vCenter's REST API beside it ({@link RestClient}, for content libraries and tags). Both get
 * the same credentials supplier, TLS settings (each its own context: nothing JVM-wide), timeout,
 * call listener and login gate, so a refused password holds both back.
 *
 * <p>The one place that knows both clients: the REST package knows nothing of SOAP, and SOAP knows
 * the REST client only here.
 */
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
    TlsTrust trust = TlsTrust.of(c.tls());
    LoginGate gate = new LoginGate();
    RestClient.Builder rest =
        RestClient.builder(c.sdkUrl())
            .credentials(c.credentials())
            .timeout(c.timeout())
            .listener(listener)
            .loginGate(gate);
    if ("https".equalsIgnoreCase(c.sdkUrl().getScheme())) {
      TlsSupport.Tls tls = TlsSupport.build(trust);
      rest.tls(
          tls.context(),
          () -> {
            X509Certificate refused = tls.trustManager().lastRefused();
            return refused == null ? null : TlsSupport.thumbprint(refused);
          });
    }
    return SoapVsphereClient.builder(c.sdkUrl())
        .credentials(c.credentials())
        .tls(trust)
        .timeout(c.timeout())
        .keepAlive(c.keepAlive())
        .listener(listener)
        .loginGate(gate)
        .sibling(rest.build())
        .build();
  }
}
