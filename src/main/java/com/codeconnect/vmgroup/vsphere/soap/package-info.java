/**
 * The vim25 SOAP implementation of {@link com.codeconnect.vmgroup.vsphere.VsphereClient}: the only
 * package that knows about SOAP, XML and vim25 names.
 *
 * <p>Construct one client per vCenter and share it between threads. The operator's code outside
 * this package asks {@link com.codeconnect.vmgroup.vsphere.soap.SoapClients}, its {@link
 * com.codeconnect.vmgroup.vsphere.VsphereClientFactory}, with a {@link
 * com.codeconnect.vmgroup.vsphere.VcenterConnection}; the builder also offers the knobs tests and
 * tools need (response size limit, extraConfig prefix, a listener per client):
 *
 * <pre>{@code
 * VsphereClient vc = SoapVsphereClient.builder(URI.create("https://vc.example.com/sdk"))
 *     .credentials(() -> new Credentials(user, password))   // asked again at every login
 *     .tls(TlsTrust.thumbprint("AB:CD:..."))                 // or system(), caBundle(path), insecure()
 *     .timeout(Duration.ofSeconds(60))
 *     .keepAlive(Duration.ofMinutes(5))                      // ZERO: no keep-alive pings
 *     .build();
 * }</pre>
 *
 * <p>Change feed: one thread loops on {@code next}; the first batch (and the first after any
 * rebuild: new session, InvalidCollectorVersion, lost collector) is a resync holding every VM and
 * folder below the root plus the watched tasks as ENTER changes. A resync batch that is also {@code
 * truncated} continues in the following batches (not marked resync), so apply batches in order
 * until one is not truncated.
 *
 * <pre>{@code
 * try (ChangeFeed feed = vc.changeFeed(vmFolder)) {
 *   while (running) {
 *     ChangeBatch b = feed.next(Duration.ofSeconds(30));
 *     if (b.resync()) cache.clear();
 *     b.changes().forEach(cache::apply);
 *   }
 * }
 * // any thread: feed.watchTasks(List.of(task)); ... feed.unwatchTasks(List.of(task));
 * }</pre>
 */
package com.codeconnect.vmgroup.vsphere.soap;
