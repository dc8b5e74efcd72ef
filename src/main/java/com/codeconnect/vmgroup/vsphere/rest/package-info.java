/**
 * vCenter's REST API (vSphere Automation) beside the SOAP client: tags (categories, tags and their
 * associations). The only package that knows the REST wire: its paths, its two renderings ({@code
 * /api} and {@code /rest}) and its JSON.
 *
 * <p>{@link com.codeconnect.vmgroup.vsphere.rest.RestClient} is the SOAP client's {@link
 * com.codeconnect.vmgroup.vsphere.SiblingClient}; the factory that makes a SOAP client makes it
 * too, with the same credentials, TLS settings and login gate. Nothing here depends on the SOAP
 * client.
 */
package com.codeconnect.vmgroup.vsphere.rest;
