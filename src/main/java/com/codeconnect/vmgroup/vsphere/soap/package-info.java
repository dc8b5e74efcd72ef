/**
 * The vim25 SOAP implementation of {@link com.codeconnect.vmgroup.vsphere.VsphereClient}: the only
 * package that knows about SOAP, XML and vim25 names.
 *
 * <p>Construct one client per vCenter and share it between threads:
 *
 * <pre>{@code
 * VsphereClient vc = SoapVsphereClient.builder(URI.create("https://vc.example.com/sdk"))
 *     .credentials(() -> new Credentials(user, password))   // asked again at every login
 *     .tls(TlsTrust.thumbprint("AB:CD:..."))                 // or system(), caBundle(path), insecure()
 *     .timeout(Duration.ofSeconds(60))
 *     .build();
 * }</pre>
 */
package com.codeconnect.vmgroup.vsphere.soap;
