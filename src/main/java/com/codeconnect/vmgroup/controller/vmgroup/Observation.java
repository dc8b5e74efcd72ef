package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.decision.Naming;
import com.codeconnect.vmgroup.decision.Placement;
import com.codeconnect.vmgroup.endpoint.TemplateResolver;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What one look at vCenter found for a group, after the {@link GroupObserver}'s rules decided it
 * can be trusted for the plan.
 *
 * @param owned the VMs carrying the group's ownership marker
 * @param foreign named VMs in the group's folder without it: never touched, their names skipped
 * @param undescribed VMs the change feed announced without a name yet (neither ours nor foreign)
 * @param live read from vCenter directly, not from the change-fed inventory
 * @param template the template found for new VMs, why there is none, or skipped when no VM needs
 *     cloning
 * @param inputs what a clone is made from besides the template's reference (its devices, the
 *     networks, the bootstrap Secret); null unless the template was found
 * @param domains the group's failure domains and where each puts its VMs ({@link GroupDomains#NONE}
 *     without)
 * @param deployed VMs the operator deployed from a content library for the group and has not yet
 *     marked (their Notes carry the group's {@link Ownership#deployToken}): neither foreign nor
 *     owned until the reconfigure that finishes them
 */
record Observation(
    Placement placement,
    Optional<MoRef> folder,
    List<VmInfo> owned,
    List<VmInfo> foreign,
    int undescribed,
    boolean live,
    TemplateResolver.Result template,
    CloneSpecs.Inputs inputs,
    GroupDomains domains,
    List<VmInfo> deployed) {

  Observation withTemplate(TemplateResolver.Result found) {
    return new Observation(
        placement, folder, owned, foreign, undescribed, live, found, inputs, domains, deployed);
  }

  Observation withInputs(CloneSpecs.Inputs cloneInputs) {
    return new Observation(
        placement,
        folder,
        owned,
        foreign,
        undescribed,
        live,
        template,
        cloneInputs,
        domains,
        deployed);
  }

  Observation withDomains(GroupDomains found) {
    return new Observation(
        placement, folder, owned, foreign, undescribed, live, template, inputs, found, deployed);
  }

  /** The same look, with {@code finish} taken from the foreign VMs as deployed and unfinished. */
  Observation withDeployed(List<VmInfo> finish) {
    if (finish.isEmpty() && deployed.isEmpty()) {
      return this;
    }
    Set<String> names = names(finish);
    List<VmInfo> strangers = foreign.stream().filter(vm -> !names.contains(vm.name())).toList();
    return new Observation(
        placement, folder, owned, strangers, undescribed, live, template, inputs, domains, finish);
  }

  Set<String> ownedNames() {
    return names(owned);
  }

  Set<String> foreignNames() {
    return names(foreign);
  }

  Map<String, VmInfo> ownedByName() {
    return owned.stream().collect(Collectors.toMap(VmInfo::name, vm -> vm, (a, b) -> a));
  }

  /**
   * The group's own VMs by name, and {@code others} under the names none of them has: what a task
   * of ours may have made or changed, to tell whether its effect shows.
   */
  Map<String, VmInfo> ownedByNameWith(List<VmInfo> others) {
    Map<String, VmInfo> shown = new HashMap<>(ownedByName());
    others.forEach(vm -> shown.putIfAbsent(vm.name(), vm));
    return shown;
  }

  /** A foreign VM with a replica's name: one of ours the cache may show without its marker. */
  boolean foreignReplicaNamed(String groupName) {
    return foreign.stream().anyMatch(vm -> Naming.indexOf(groupName, vm.name()).isPresent());
  }

  static Set<String> names(List<VmInfo> vms) {
    return vms.stream().map(VmInfo::name).collect(Collectors.toCollection(TreeSet::new));
  }
}
