package com.codeconnect.vmgroup.controller.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.ContentLibrarySpec;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import com.codeconnect.vmgroup.decision.BootDisk;
import com.codeconnect.vmgroup.decision.Naming;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.Placement;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.decision.ReplicaPlan;
import com.codeconnect.vmgroup.decision.StaticAddresses;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.endpoint.Endpoint;
import com.codeconnect.vmgroup.endpoint.NetworkResolver;
import com.codeconnect.vmgroup.endpoint.TaskTracker;
import com.codeconnect.vmgroup.endpoint.TemplateResolver;
import com.codeconnect.vmgroup.endpoint.VcenterState;
import com.codeconnect.vmgroup.observability.EventSink;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NetworkInfo;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Step 3 of a reconcile: one observation of the group in vCenter that the plan can trust.
 *
 * <p>The group is read from the change-fed inventory where that is current, else from vCenter.
 * Where the inventory may mislead the plan, the group is read from vCenter itself before planning
 * (each rule below says what it once got wrong), and a difference between the two makes the group
 * read from vCenter until the feed is rebuilt ({@link VcenterState#distrust}):
 *
 * <ul>
 *   <li>the inventory shows VMs with a replica's name as not ours, or VMs without a name;
 *   <li>it lost VMs the group's last look showed, with no deletion of ours to explain it;
 *   <li>the effect of a task vCenter reported done has not arrived after {@link
 *       TaskTracker#EFFECT_GRACE};
 *   <li>the plan would take a running VM down ({@link #confirm}, asked by the planner).
 * </ul>
 */
final class GroupObserver {
  private final EventSink events;
  private final Function<Endpoint, Optional<VCenterSpec>> vcenterSpec;

  /**
   * @param vcenterSpec the endpoint's VCenter resource's spec (the networks it allows groups to
   *     use, its failure domains), empty for the operator's own vCenter
   */
  GroupObserver(EventSink events, Function<Endpoint, Optional<VCenterSpec>> vcenterSpec) {
    this.events = events;
    this.vcenterSpec = vcenterSpec;
  }

  private List<String> allowedNetworks(Endpoint ep) {
    return vcenterSpec.apply(ep).map(s -> s.allowedNetworks).orElse(null);
  }

  /**
   * The observation for the plan.
   *
   * @param bootstrap what the group's bootstrap reads besides its spec
   * @param others the groups the operator knows (for address pools that overlap theirs)
   * @throws GroupStopped when the group's placement resolves elsewhere than where its VMs are
   */
  Observation observe(
      Endpoint ep,
      VmGroup group,
      GroupMemory memory,
      BootstrapSource.Bootstrap bootstrap,
      Supplier<Stream<VmGroup>> others) {
    Observation seen = look(ep, group);
    Problem moved = placementChanged(group.getStatus(), seen.placement());
    if (moved != null) {
      throw new GroupStopped(moved, "Validate", null);
    }
    ContentLibrarySpec library = group.getSpec().contentLibrary();
    if (needsTemplate(group, seen, bootstrap) || libraryDue(ep, group.getSpec())) {
      seen = source(ep, group, seen, bootstrap, others);
    } else if (library != null) {
      // The remembered item, without a call: its version tells which VMs a rollout still has to
      // replace (a deploy needs nothing else; finishing one needs the inputs, and a round with a
      // VM to finish has fewer VMs than replicas, so it looks them up).
      seen = seen.withTemplate(ep.libraries().resolve(library.getLibrary(), library.getItem()));
    }
    String uid = group.getMetadata().getUid();
    if (!seen.live() && seen.foreignReplicaNamed(group.getMetadata().getName())) {
      // Which names are free for new VMs is decided on vCenter's word, not the cache's: a VM
      // of ours that the cache shows without its markers must not be taken for a stranger's.
      seen = lookAgain(ep, group, seen, "VMs it shows as not ours: " + seen.foreignNames());
    } else if (!seen.live() && seen.undescribed() > 0) {
      // Nor for one it shows without a name: the simulator announces a clone to the feed before
      // it names it and never tells the feed the name. Real vCenter never shows a VM without a
      // name, so this costs it nothing.
      seen = lookAgain(ep, group, seen, seen.undescribed() + " VMs it shows without a name");
    } else if (!seen.live() && !vanished(ep.tracker(), uid, seen, memory).isEmpty()) {
      // Nor from a cache that lost VMs the group's last look showed, with no deletion of ours
      // to explain it. In 1,000-VM bursts on the simulator, groups cloned names already taken
      // (refused as DuplicateName, 2-46 times a burst): one had read vCenter directly while the
      // feed trailed, seen its clone and forgotten the clone's task, then counted from a cache
      // the feed had not yet brought the VM to; another's cached view lost three VMs it had
      // shown half a second before. A VM deleted by someone else costs one direct look.
      seen = readLive(ep.state(), group, seen);
    }
    seen = effectsShown(ep, group, seen);
    seen = DeployedVms.takeFrom(ep, group, seen, memory);
    reportForeign(group, seen, memory);
    return seen;
  }

  /** A content library group's item is looked up again when its remembered lookup runs out. */
  private static boolean libraryDue(Endpoint ep, VmGroupSpec spec) {
    ContentLibrarySpec library = spec.contentLibrary();
    return library != null && ep.libraries().due(library.getLibrary(), library.getItem());
  }

  /**
   * What new VMs are made from: the template, and what the spec adds to it (networks, disks, the
   * bootstrap). Anything missing or refused turns into the template's problem, so, as for a missing
   * template, nothing is cloned or replaced while the group's other VMs are still looked after.
   */
  private Observation source(
      Endpoint ep,
      VmGroup group,
      Observation seen,
      BootstrapSource.Bootstrap bootstrap,
      Supplier<Stream<VmGroup>> others) {
    VmGroupSpec spec = group.getSpec();
    boolean linked = spec.effectiveCloneMode() == VmGroupSpec.CloneMode.linked;
    ContentLibrarySpec library = spec.contentLibrary();
    TemplateResolver.Result template =
        library != null
            ? ep.libraries().resolve(library.getLibrary(), library.getItem())
            : ep.templates().resolve(seen.placement(), spec.getTemplate(), linked);
    if (template instanceof TemplateResolver.Missing
        || template instanceof TemplateResolver.Skipped) {
      return seen.withTemplate(template);
    }
    // A deployed VM's own devices are what its finishing reconfigure edits (read then).
    VmDetails details =
        template instanceof TemplateResolver.Found found && needsDevices(spec)
            ? ep.templates().details(found)
            : null;
    List<NetworkInfo> networks = List.of();
    if (seen.domains().active() && spec.getNetworks() != null && !spec.getNetworks().isEmpty()) {
      // each domain may name networks of its own: one it can't use holds back only its VMs
      seen =
          seen.withDomains(
              seen.domains().withNetworks(ep, spec.getNetworks(), allowedNetworks(ep)));
    } else if (spec.getNetworks() != null && !spec.getNetworks().isEmpty()) {
      NetworkResolver.Result resolved =
          ep.networks()
              .resolve(seen.placement(), spec.getNetworks(), allowedNetworks(ep), ep.name());
      if (resolved instanceof NetworkResolver.Missing missing) {
        return seen.withTemplate(new TemplateResolver.Missing(missing.problem()));
      }
      networks = ((NetworkResolver.Found) resolved).networks();
    }
    Integer templateGiB = CloneSpecs.templateDiskGiB(details);
    Problem refused =
        templateGiB == null
            ? null
            : BootDisk.belowTemplate(spec.bootDiskGiB(), templateGiB, spec.getTemplate());
    if (refused == null) {
      refused = overlaps(ep, group, others);
    }
    if (refused != null) {
      return seen.withTemplate(new TemplateResolver.Missing(refused));
    }
    return seen.withTemplate(template)
        .withInputs(new CloneSpecs.Inputs(details, networks, bootstrap));
  }

  /** The clone edits the template's devices only for networks, disks or guest customization. */
  private static boolean needsDevices(VmGroupSpec spec) {
    return (spec.getNetworks() != null && !spec.getNetworks().isEmpty())
        || spec.bootDiskGiB() != null
        || (spec.getExtraDisks() != null && !spec.getExtraDisks().isEmpty())
        || (spec.getBootstrap() != null
            && (spec.getBootstrap().getLinuxPrep() != null
                || spec.getBootstrap().getSysprep() != null));
  }

  /**
   * AddressPoolOverlap when another group on this vCenter hands out addresses of this group's pools
   * on the same network, for the group that came later (by creation, then name): it makes no new VM
   * until the pools are apart, so no address is ever given twice. Networks are compared by the name
   * the specs give (a name and a path to one network are not matched).
   */
  private static Problem overlaps(Endpoint ep, VmGroup group, Supplier<Stream<VmGroup>> others) {
    if (StaticAddresses.of(group.getSpec().getNetworks()).pools().isEmpty()) {
      return null;
    }
    List<StaticAddresses.PoolUse> uses = new ArrayList<>();
    List<VmGroup> earlierFirst =
        others
            .get()
            .filter(g -> g.getSpec() != null && g.getSpec().getNetworks() != null)
            .filter(
                g ->
                    ep.name()
                        .equals(
                            g.getStatus() == null || g.getStatus().getVcenter() == null
                                ? ep.name()
                                : g.getStatus().getVcenter()))
            .filter(g -> earlier(g, group))
            .toList();
    for (VmGroup g : earlierFirst) {
      pools(g).forEach(uses::add);
    }
    pools(group).forEach(uses::add);
    return StaticAddresses.overlapProblem(key(group), uses);
  }

  private static boolean earlier(VmGroup other, VmGroup group) {
    if (other.getMetadata().getUid().equals(group.getMetadata().getUid())) {
      return false;
    }
    String a = other.getMetadata().getCreationTimestamp();
    String b = group.getMetadata().getCreationTimestamp();
    int byTime = a == null || b == null ? 0 : Instant.parse(a).compareTo(Instant.parse(b));
    return byTime != 0 ? byTime < 0 : key(other).compareTo(key(group)) < 0;
  }

  private static Stream<StaticAddresses.PoolUse> pools(VmGroup g) {
    return g.getSpec().getNetworks().stream()
        .filter(n -> n != null && n.getAddresses() != null)
        .map(n -> new StaticAddresses.PoolUse(key(g), lastSegment(n.getName()), n.getAddresses()));
  }

  private static String key(VmGroup g) {
    return g.getMetadata().getNamespace() + "/" + g.getMetadata().getName();
  }

  private static String lastSegment(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The first look: from the inventory where it covers the group and is trusted, else vCenter. */
  Observation look(Endpoint ep, VmGroup group) {
    Placement p =
        ep.placement().resolve(group.getSpec() == null ? null : group.getSpec().getPlacement());
    String folderName = folderName(group);
    VcenterState vcenter = ep.state();
    Optional<MoRef> folder = vcenter.groupFolder(p, folderName);
    ep.scope().remember(group, folderName, folder.orElse(null));
    boolean live = !vcenter.covers(p) || vcenter.distrusts(group.getMetadata().getUid());
    GroupDomains domains =
        GroupDomains.resolve(
            ep, group, p, vcenterSpec.apply(ep).map(s -> s.failureDomains).orElse(null));
    return classify(
            group,
            p,
            folder,
            folder.map(f -> live ? vcenter.vmsInLive(f) : vcenter.vmsIn(f)).orElse(List.of()),
            live)
        .withDomains(domains);
  }

  /**
   * The plan would take a running VM down: that happens only on vCenter's word that enough others
   * run. Counted from a feed that lost a change, a VM that was off counted as available and a
   * rollout with maxUnavailable 1 had two down.
   */
  Observation confirm(Endpoint ep, VmGroup group, Observation seen) {
    return lookAgain(ep, group, seen, "the power states of the VMs it would take down")
        .withDeployed(seen.deployed());
  }

  /**
   * The observation, read from vCenter if the inventory still doesn't show the effect of a task
   * vCenter reported done over {@link TaskTracker#EFFECT_GRACE} ago: the feed lost a change (the
   * simulator loses those made while a feed is opened), and waiting for it would stall the group
   * until the safety net, then act on the stale state.
   */
  Observation effectsShown(Endpoint ep, VmGroup group, Observation seen) {
    String uid = group.getMetadata().getUid();
    // A deploy's effect is a VM of its name, markers or not: that is what the feed must show.
    Set<String> late = ep.tracker().overdue(uid, seen.ownedByNameWith(seen.foreign()));
    if (seen.live() || late.isEmpty() || seen.folder().isEmpty()) {
      return seen;
    }
    ep.state().distrust(uid, "tasks on " + late + " ended, their effect is not in the inventory");
    return lookAgain(ep, group, seen, null);
  }

  /**
   * The group's VMs as vCenter has them now. Where they differ from what the inventory showed, on
   * VMs without a task of ours in flight or just ended (whose changes may well be on their way),
   * the feed lost a change: the group is read from vCenter until the feed is rebuilt.
   *
   * @param what what a difference is about, for the log; null when the caller distrusted already
   */
  private Observation lookAgain(Endpoint ep, VmGroup group, Observation cached, String what) {
    VcenterState vcenter = ep.state();
    Observation live = readLive(vcenter, group, cached);
    if (what != null) {
      String uid = group.getMetadata().getUid();
      Set<String> expected = new HashSet<>(ep.tracker().inFlight(uid).keySet());
      expected.addAll(ep.tracker().settlingNames(uid));
      Set<String> differ = differing(cached, live);
      differ.removeAll(expected);
      if (!differ.isEmpty()) {
        vcenter.distrust(uid, "vCenter contradicts the inventory about " + what + ": " + differ);
      }
    }
    return live;
  }

  /**
   * The same look, made at vCenter itself rather than the inventory. A folder the inventory lacks
   * is looked up there as well: a group whose last look showed VMs may find neither them nor their
   * folder after vCenter came back from a backup, and the inventory may just be behind.
   */
  static Observation readLive(VcenterState vcenter, VmGroup group, Observation seen) {
    Optional<MoRef> folder = seen.folder();
    if (folder.isEmpty()) {
      String name = folderName(group);
      folder = vcenter.groupFolderLive(seen.placement(), name);
      folder.ifPresent(
          f -> {
            vcenter.folderMade(seen.placement(), name, f);
            vcenter.contradicted("the inventory has no folder for group " + name);
          });
    }
    return classify(
            group, seen.placement(), folder, folder.map(vcenter::vmsInLive).orElse(List.of()), true)
        .withTemplate(seen.template())
        .withInputs(seen.inputs())
        .withDomains(seen.domains());
  }

  /**
   * @param live whether {@code all} was read from vCenter rather than the inventory
   */
  private static Observation classify(
      VmGroup group, Placement p, Optional<MoRef> folder, List<VmInfo> all, boolean live) {
    String uid = group.getMetadata().getUid();
    List<VmInfo> owned = all.stream().filter(vm -> Ownership.ownedBy(vm, uid)).toList();
    // A VM the change feed has announced but not yet described (no name, no extraConfig) is
    // usually our own clone of a moment ago: neither ours nor a stranger's until it is known.
    List<VmInfo> foreign =
        all.stream()
            .filter(vm -> !Ownership.ownedBy(vm, uid))
            .filter(vm -> vm.name() != null && !vm.name().isEmpty())
            .toList();
    int undescribed = all.size() - owned.size() - foreign.size();
    return new Observation(
        p,
        folder,
        owned,
        foreign,
        undescribed,
        live,
        new TemplateResolver.Skipped(),
        null,
        GroupDomains.NONE,
        List.of());
  }

  /**
   * The VMs are found through their folder, so a group whose placement resolves somewhere else than
   * where its VMs were made (an edited spec.placement on an API server without the CRD's rule, or
   * changed operator defaults) would lose them; it changes nothing until that is undone.
   */
  static Problem placementChanged(VmGroupStatus previous, Placement now) {
    if (!TargetResolver.hadVms(previous)
        || previous.getPlacement() == null
        || previous.getPlacement().equals(now.describe())) {
      return null;
    }
    return new Problem(
        Problem.Reason.InvalidSpec,
        "placement changed from "
            + previous.getPlacement()
            + " to "
            + now.describe()
            + "; VMs are not moved: restore spec.placement (or the operator's settings), or"
            + " scale the group to 0 first");
  }

  /**
   * Looking the template up costs vCenter calls, so a group whose VMs all exist and come from the
   * spec's template and clone mode skips it, unless the spec changed since the last status or the
   * group is degraded (e.g. the template was the last problem).
   */
  private static boolean needsTemplate(
      VmGroup group, Observation seen, BootstrapSource.Bootstrap bootstrap) {
    VmGroupStatus status = group.getStatus();
    long generation = Optional.ofNullable(group.getMetadata().getGeneration()).orElse(0L);
    if (status == null || !Long.valueOf(generation).equals(status.getObservedGeneration())) {
      return true;
    }
    var degraded = StatusBuilder.find(status.getConditions(), StatusBuilder.DEGRADED);
    if (degraded != null && "True".equals(degraded.getStatus())) {
      return true;
    }
    ReplicaPlan.Desired desired =
        ReplicaPlan.Desired.of(
            group.getMetadata().getName(),
            group.getSpec(),
            true,
            new ReplicaPlan.Facts(bootstrap.digest(), null));
    return seen.owned().size() < desired.replicas()
        || seen.owned().stream()
            .anyMatch(vm -> !desired.hash().sameSource(vm) || Ownership.customizationPending(vm));
  }

  /** VMs of the group's last look that this one lacks and that no task of ours deletes. */
  private static Set<String> vanished(
      TaskTracker tracker, String uid, Observation seen, GroupMemory memory) {
    Set<String> missing = new HashSet<>(memory.lastShown());
    if (missing.isEmpty()) {
      return missing;
    }
    missing.removeAll(seen.ownedNames());
    missing.removeAll(tracker.inFlight(uid).keySet());
    missing.removeAll(tracker.settlingNames(uid));
    return missing;
  }

  /**
   * VMs in the group's folder that the operator didn't create are never touched, and their names
   * are never given to new VMs; the user hears about them once each time the set changes.
   */
  private void reportForeign(VmGroup group, Observation seen, GroupMemory memory) {
    Set<String> foreign = seen.foreignNames();
    if (memory.foreignChanged(foreign)) {
      events.warning(
          group,
          "ForeignVms",
          "Observe",
          "folder '"
              + seen.placement().groupFolderPath(folderName(group))
              + "' holds VMs the operator didn't create; they are left alone and their names"
              + " are skipped: "
              + foreign);
    }
  }

  /** Names of the VMs whose identity, ownership, power state or size differ between two looks. */
  private static Set<String> differing(Observation a, Observation b) {
    Map<MoRef, String> first = fingerprints(a);
    Map<MoRef, String> second = fingerprints(b);
    Set<String> differ = new TreeSet<>();
    for (Map<MoRef, String> m : List.of(first, second)) {
      Map<MoRef, String> other = m == first ? second : first;
      m.forEach(
          (ref, f) -> {
            if (!f.equals(other.get(ref))) {
              differ.add(f.substring(0, f.indexOf('|')));
            }
          });
    }
    return differ;
  }

  private static Map<MoRef, String> fingerprints(Observation seen) {
    Map<MoRef, String> f = new HashMap<>();
    seen.owned().forEach(vm -> f.put(vm.ref(), fingerprint(vm, true)));
    seen.foreign().forEach(vm -> f.put(vm.ref(), fingerprint(vm, false)));
    return f;
  }

  private static String fingerprint(VmInfo vm, boolean owned) {
    return vm.name()
        + "|"
        + owned
        + "|"
        + vm.powerState()
        + "|"
        + vm.cpu()
        + "|"
        + vm.memoryMiB()
        + "|"
        + vm.extraConfig().get(Ownership.SOURCE_HASH);
  }

  static String folderName(VmGroup group) {
    return Naming.folderName(group.getMetadata().getNamespace(), group.getMetadata().getName());
  }
}
