package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.Placement;
import com.codeconnect.vmgroup.decision.ReplicaPlan;
import com.codeconnect.vmgroup.endpoint.TemplateResolver;
import com.codeconnect.vmgroup.vsphere.LibraryDeploy;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import java.util.HashMap;
import java.util.Map;

/** What vCenter call each action is: the step between the runner's budget and vCenter. */
final class ActionCalls {
  private ActionCalls() {}

  /**
   * The one vCenter call an action is: it starts a task and returns at once. A clone carries
   * everything the VM is made with; a content library deploy carries only the Notes, and the
   * reconfigure that finishes it the rest. A metadata write, a disk growth, a deploy's finishing or
   * a customization first reads the VM's devices (one call), which only those need.
   */
  static TaskRef call(
      VsphereClient client,
      VmGroup group,
      Action action,
      Observation seen,
      MoRef folder,
      ReplicaPlan.Desired desired) {
    if (action instanceof Action.Clone c
        && seen.template() instanceof TemplateResolver.Deployable d
        && desired != null) {
      Placement p = seen.domains().placementOf(c.index(), seen.placement());
      return client.deployLibraryItem(
          LibraryDeploy.of(d.item(), c.target(), folder, p.resourcePool())
              .withDatastore(p.datastore())
              .withAnnotation(CloneSpecs.deployedAnnotation(group)));
    } else if (action instanceof Action.FinishDeploy f && desired != null) {
      int index = ReplicaPlan.indexOf(group.getMetadata().getName(), f.vm()).orElseThrow();
      return client.reconfigureVm(
          f.vm().ref(),
          CloneSpecs.finish(
              group,
              desired,
              f,
              inputsOf(seen, index),
              client.details(f.vm().ref()),
              seen.domains().markers(index)));
    } else if (action instanceof Action.Customize cu && desired != null) {
      MoRef vm = cu.vm().ref();
      return client.customizeVm(
          vm,
          CloneSpecs.customization(
              group,
              desired,
              ReplicaPlan.indexOf(group.getMetadata().getName(), cu.vm()).orElseThrow(),
              cu.vm().name(),
              client.details(vm).nics().size(),
              seen.inputs()));
    } else if (action instanceof Action.MarkCustomized m) {
      return client.setExtraConfig(m.vm().ref(), Map.of(Ownership.CUSTOMIZATION, ""));
    } else if (action instanceof Action.Clone c
        && seen.template() instanceof TemplateResolver.Found t
        && desired != null) {
      GroupDomains domains = seen.domains();
      CloneSpecs.Inputs inputs = inputsOf(seen, c.index());
      return client.cloneVm(
          CloneSpecs.clone(
              group,
              desired,
              c,
              domains.placementOf(c.index(), seen.placement()),
              folder,
              t,
              inputs,
              domains.markers(c.index())));
    } else if (action instanceof Action.Reconfigure r) {
      return client.reconfigureVm(
          r.vm().ref(),
          r.cpu(),
          r.memoryMiB(),
          r.specHash() == null ? Map.of() : Map.of(Ownership.SPEC_HASH, r.specHash()));
    } else if (action instanceof Action.WriteMetadata m && desired != null) {
      return client.reconfigureVm(
          m.vm().ref(), CloneSpecs.metadata(group, desired, m.vm(), client.details(m.vm().ref())));
    } else if (action instanceof Action.GrowDisk g) {
      return client.reconfigureVm(
          g.vm().ref(), CloneSpecs.growDisk(g, client.details(g.vm().ref())));
    } else if (action instanceof Action.PowerOn on) {
      return client.powerOnVm(on.vm().ref());
    } else if (action instanceof Action.Replace r) {
      return call(client, group, r.step(), seen, folder, desired);
    } else if (action instanceof Action.PowerOff off) {
      return client.powerOffVm(off.vm().ref());
    } else if (action instanceof Action.Destroy d) {
      return client.destroy(d.vm().ref());
    } else if (action instanceof Action.DestroyFolder f) {
      return client.destroy(f.folder());
    } else if (action instanceof Action.Release r) {
      Map<String, String> cleared = new HashMap<>();
      r.vm().extraConfig().keySet().forEach(k -> cleared.put(k, ""));
      return client.setExtraConfig(r.vm().ref(), cleared);
    }
    throw new IllegalArgumentException("unknown action " + action);
  }

  /** What VM {@code index} is made with: in its failure domain, that domain's networks. */
  private static CloneSpecs.Inputs inputsOf(Observation seen, int index) {
    CloneSpecs.Inputs inputs = seen.inputs();
    GroupDomains domains = seen.domains();
    if (!domains.active() || inputs == null) {
      return inputs;
    }
    return new CloneSpecs.Inputs(
        inputs.template(), domains.networksOf(index, inputs.networks()), inputs.bootstrap());
  }
}
