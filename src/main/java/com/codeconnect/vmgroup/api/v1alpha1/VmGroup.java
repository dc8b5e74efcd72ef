package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A group of identical vSphere VMs cloned from one template and kept in the declared state. */
@Group(VmGroup.GROUP)
@Version(VmGroup.VERSION)
@Plural("vmgroups")
@ShortNames("vg")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Current",
    jsonPath = ".status.currentReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".spec.replicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "CPU",
    jsonPath = ".spec.cpu",
    type = AdditionalPrinterColumn.Type.INTEGER)
// a string column: memory is whole GiB or a quantity such as 1536Mi, and an integer column
// would show nothing for the latter
@AdditionalPrinterColumn(name = "Memory", jsonPath = ".spec.memory")
// status.source: spec.template, or library/item for a content library source, which a column
// can't compute from the spec (printer columns take one plain JSON path)
@AdditionalPrinterColumn(name = "Template", jsonPath = ".status.source")
@AdditionalPrinterColumn(name = "Last_Message", jsonPath = ".status.lastMessage")
public class VmGroup extends CustomResource<VmGroupSpec, VmGroupStatus> implements Namespaced {
  public static final String GROUP = "vm.codeconnect.vmworld.com";
  public static final String VERSION = "v1alpha1";

  /** With the value "true", the operator changes nothing in vCenter for this group. */
  public static final String PAUSED_ANNOTATION = GROUP + "/paused";

  public VmGroup() {}

  /** True when the pause annotation is set to "true". */
  public boolean paused() {
    var annotations = getMetadata().getAnnotations();
    return annotations != null && "true".equalsIgnoreCase(annotations.get(PAUSED_ANNOTATION));
  }

  /** Malformed specs are read, not refused: see {@link SpecBinding}. */
  @Override
  @JsonDeserialize(using = SpecBinding.class)
  public void setSpec(VmGroupSpec spec) {
    super.setSpec(spec);
  }

  public VmGroup(String namespace, String name, VmGroupSpec spec) {
    getMetadata().setNamespace(namespace);
    getMetadata().setName(name);
    setSpec(spec);
  }
}
