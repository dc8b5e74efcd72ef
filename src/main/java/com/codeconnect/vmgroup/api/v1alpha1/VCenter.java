package com.codeconnect.vmgroup.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One vCenter endpoint the operator connects to: where it is, which Secret holds its credentials
 * and how to trust its certificate. Cluster-scoped, because an endpoint serves many namespaces.
 */
@Group(VmGroup.GROUP)
@Version(VmGroup.VERSION)
@Plural("vcenters")
@ShortNames("vc")
@AdditionalPrinterColumn(name = "URL", jsonPath = ".spec.url")
@AdditionalPrinterColumn(
    name = "Connected",
    jsonPath = ".status.conditions[?(@.type==\"Connected\")].reason")
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.version")
@AdditionalPrinterColumn(name = "Session", jsonPath = ".status.session")
public class VCenter extends CustomResource<VCenterSpec, VCenterStatus> {
  /** Removed once the operator has logged out of this vCenter. */
  public static final String FINALIZER = VmGroup.GROUP + "/vcenter-session";

  public VCenter() {}

  public VCenter(String name, VCenterSpec spec) {
    getMetadata().setName(name);
    setSpec(spec);
  }
}
