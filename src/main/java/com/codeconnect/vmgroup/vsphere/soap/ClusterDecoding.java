package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.ComputeResourceInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VmRule;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.soap.SoapDecoding.ObjectContent;
import java.util.ArrayList;
import java.util.List;

/**
 * Clusters and standalone hosts: what a compute resource's {@code configurationEx} says about DRS
 * and its rules, read whole ({@link SoapInventory}) and as a change ({@link UpdateSetReader}).
 */
final class ClusterDecoding {
  private ClusterDecoding() {}

  /** What {@link SoapInventory#computeResource} reads of a cluster or standalone host. */
  static final List<String> PATHS = List.of("name", "host", "resourcePool", "configurationEx");

  static ComputeResourceInfo computeResource(ObjectContent o) {
    MoRef ref = o.obj();
    ComputeResourceInfo.Kind kind =
        switch (ref.type()) {
          case "ClusterComputeResource" -> ComputeResourceInfo.Kind.CLUSTER;
          case "ComputeResource" -> ComputeResourceInfo.Kind.STANDALONE_HOST;
          default ->
              throw new VsphereException.Protocol(
                  ref + " is not a cluster or a standalone host", null);
        };
    XmlElement hosts = o.prop("host");
    XmlElement config = o.prop("configurationEx");
    return new ComputeResourceInfo(
        ref,
        o.name(),
        kind,
        kind == ComputeResourceInfo.Kind.CLUSTER && drsEnabled(config),
        hosts == null ? 0 : hosts.children().size(),
        o.ref("resourcePool"),
        kind == ComputeResourceInfo.Kind.CLUSTER ? rules(ref, config) : List.of());
  }

  /**
   * A cluster's ClusterConfigInfoEx says whether DRS is on; a standalone host's
   * ComputeResourceConfigInfo has no DRS.
   */
  static boolean drsEnabled(XmlElement configurationEx) {
    XmlElement drs = configurationEx == null ? null : configurationEx.child("drsConfig");
    return drs != null && SoapDecoding.flag(drs.child("enabled"));
  }

  /** Every rule of a ClusterConfigInfoEx, in vCenter's order. */
  static List<VmRule> rules(MoRef cluster, XmlElement configurationEx) {
    if (configurationEx == null) {
      return List.of();
    }
    List<VmRule> out = new ArrayList<>();
    for (XmlElement r : configurationEx.children("rule")) {
      VmRule.Kind kind = kind(r.xsiType());
      List<MoRef> vms = new ArrayList<>();
      if (kind != VmRule.Kind.OTHER) {
        for (XmlElement vm : r.children("vm")) {
          MoRef ref = vm.asMoRef();
          if (ref != null) {
            vms.add(ref);
          }
        }
      }
      out.add(
          new VmRule(
              SoapDecoding.count(cluster, "rule key", r.child("key")),
              SoapDecoding.text(r.child("name")),
              SoapDecoding.flag(r.child("enabled")),
              SoapDecoding.flag(r.child("mandatory")),
              kind,
              vms));
    }
    return out;
  }

  private static VmRule.Kind kind(String xsiType) {
    return switch (xsiType == null ? "" : xsiType) {
      case "ClusterAntiAffinityRuleSpec" -> VmRule.Kind.ANTI_AFFINITY;
      case "ClusterAffinityRuleSpec" -> VmRule.Kind.AFFINITY;
      default -> VmRule.Kind.OTHER;
    };
  }
}
