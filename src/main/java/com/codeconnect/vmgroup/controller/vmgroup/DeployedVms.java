package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Naming;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of the VMs in a content library group's folder that carry no markers the operator deployed
 * for the group: see {@link Ownership#deployToken} for why their Notes decide it.
 */
final class DeployedVms {
  private DeployedVms() {}

  /**
   * Takes the VMs the operator deployed for a content library group and hasn't finished from the
   * foreign ones: a VM with a replica's name whose Notes carry the group's deploy token ({@link
   * Ownership#deployToken}). Reading the Notes costs one call per such VM, once: the verdict is
   * remembered, so a stranger's VM with one of our names isn't read again.
   */
  static Observation takeFrom(Endpoint ep, VmGroup group, Observation seen, GroupMemory memory) {
    if (group.getSpec().contentLibrary() == null) {
      return seen;
    }
    String uid = group.getMetadata().getUid();
    List<VmInfo> ours = new ArrayList<>();
    for (VmInfo vm : seen.foreign()) {
      if (vm.template() || Naming.indexOf(group.getMetadata().getName(), vm.name()).isEmpty()) {
        continue;
      }
      Boolean verdict = memory.deployedVerdict(vm.ref());
      if (verdict == null) {
        try {
          verdict = Ownership.deployedFor(ep.client().details(vm.ref()).annotation(), uid);
        } catch (VsphereException.ManagedObjectNotFound gone) {
          continue;
        }
        memory.deployedVerdict(vm.ref(), verdict);
      }
      if (verdict) {
        ours.add(vm);
      }
    }
    memory.keepDeployedVerdicts(seen.foreign().stream().map(VmInfo::ref).toList());
    return seen.withDeployed(ours);
  }
}
