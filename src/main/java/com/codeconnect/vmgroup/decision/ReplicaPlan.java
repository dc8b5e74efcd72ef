package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.RollingUpdate;
import com.codeconnect.vmgroup.api.v1alpha1.UpdateStrategy;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Pure planning: what has to change in vCenter to turn the observed VMs into the desired ones.
 *
 * <p>A replica is the VM named {@link Naming#vmName(String, int)} for its index. New VMs take the
 * lowest free index, so a crash between planning and cloning plans the same name again (and vCenter
 * refuses a duplicate). A VM whose template, clone mode or other clone-only field differs from the
 * spec's ({@link SpecHash}) is replaced, within the update strategy's limits; a VM of the wrong
 * size is resized in place, with hot-add when the VM allows it, else with a power cycle that counts
 * against maxUnavailable; a boot disk smaller than the spec asks is grown while the VM runs, and
 * never shrunk. A new VM gets its index's static addresses, and waits while another VM of the group
 * still holds one of them. VMs with a task in flight are left alone until it finishes, so a plan
 * never races its own previous actions.
 */
public final class ReplicaPlan {
  private ReplicaPlan() {}

  /**
   * The update strategy with its limits resolved against the replica count, as a Deployment does:
   * maxUnavailable rounds down, maxSurge rounds up, and when both come to 0 one VM may be down.
   */
  public record Strategy(UpdateStrategy.Type type, int maxUnavailable, int maxSurge) {
    /** Defaults for VMs: one at a time and no extra VMs, so names and capacity stay stable. */
    static final IntOrString DEFAULT_MAX_UNAVAILABLE = new IntOrString(1);

    static final IntOrString DEFAULT_MAX_SURGE = new IntOrString(0);

    public static Strategy resolve(UpdateStrategy spec, int replicas) {
      UpdateStrategy.Type type =
          spec == null ? UpdateStrategy.Type.RollingUpdate : spec.effectiveType();
      RollingUpdate limits = spec == null ? null : spec.getRollingUpdate();
      IntOrString unavailable =
          limits == null || limits.getMaxUnavailable() == null
              ? DEFAULT_MAX_UNAVAILABLE
              : limits.getMaxUnavailable();
      IntOrString surge =
          limits == null || limits.getMaxSurge() == null ? DEFAULT_MAX_SURGE : limits.getMaxSurge();
      int u = scaled(unavailable, replicas, false);
      int s = scaled(surge, replicas, true);
      if (u == 0 && s == 0) {
        u = 1;
      }
      return new Strategy(type, u, s);
    }

    /**
     * A number, or a percentage of replicas; values that don't parse count as 0 here, since the
     * validator reports them before any plan is made.
     */
    static int scaled(IntOrString value, int replicas, boolean roundUp) {
      if (value.getIntVal() != null) {
        return Math.max(0, value.getIntVal());
      }
      String s = value.getStrVal() == null ? "" : value.getStrVal().trim();
      if (!s.matches("\\d{1,3}%")) {
        return 0;
      }
      long percent = Long.parseLong(s.substring(0, s.length() - 1));
      long scaled = percent * replicas;
      return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
    }
  }

  /**
   * The desired state of one group.
   *
   * @param canClone false while the template is missing or ambiguous: nothing new is created and
   *     nothing is replaced, but existing VMs are still powered on, resized and scaled in
   * @param hash the spec's hashes, or null to judge VMs by their size alone
   * @param bootDiskGiB the boot disk size the spec asks for, or null to leave disks as cloned
   * @param templateDiskGiB the template's boot disk in GiB (rounded up), or null when unknown: the
   *     size of a VM cloned without a {@link Ownership#BOOT_DISK_GIB} marker
   * @param addresses the static addresses per index ({@link StaticAddresses#of}; none when the spec
   *     has none)
   * @param metadataAfterClone a new VM's cloud-init metadata is written after its clone, before its
   *     first power-on ({@link Action.WriteMetadata})
   */
  public record Desired(
      String groupName,
      int replicas,
      int cpu,
      long memoryMiB,
      boolean canClone,
      SpecHash hash,
      Strategy strategy,
      Integer bootDiskGiB,
      Integer templateDiskGiB,
      StaticAddresses addresses,
      boolean metadataAfterClone) {

    public Desired {
      addresses = addresses == null ? StaticAddresses.of(null) : addresses;
    }

    /** A desired state with the default strategy and no hashes. */
    public Desired(String groupName, int replicas, int cpu, long memoryMiB, boolean canClone) {
      this(groupName, replicas, cpu, memoryMiB, canClone, null, Strategy.resolve(null, replicas));
    }

    /** A desired state without disk or address wishes. */
    public Desired(
        String groupName,
        int replicas,
        int cpu,
        long memoryMiB,
        boolean canClone,
        SpecHash hash,
        Strategy strategy) {
      this(groupName, replicas, cpu, memoryMiB, canClone, hash, strategy, null, null, null, false);
    }

    /**
     * What a group's (valid) spec asks for, when it reads no Secret.
     *
     * @throws IllegalArgumentException when spec.bootstrap reads a Secret: use {@link #of(String,
     *     VmGroupSpec, boolean, Facts)} with its digest
     */
    public static Desired of(String groupName, VmGroupSpec spec, boolean canClone) {
      return of(groupName, spec, canClone, Facts.NONE);
    }

    /** What a group's (valid) spec asks for, given what the controller knows besides the spec. */
    public static Desired of(String groupName, VmGroupSpec spec, boolean canClone, Facts facts) {
      long memoryMiB = spec.memoryMiB();
      return new Desired(
          groupName,
          spec.getReplicas(),
          spec.getCpu(),
          memoryMiB,
          canClone,
          SpecHash.of(spec, facts.bootstrapDigest()).withContentVersion(facts.contentVersion()),
          Strategy.resolve(spec.getUpdateStrategy(), spec.getReplicas()),
          spec.bootDiskGiB(),
          facts.templateDiskGiB(),
          StaticAddresses.of(spec.getNetworks()),
          metadataAfterClone(spec));
    }

    /**
     * cloud-init's network config matches NICs by MAC, which vCenter assigns in the clone: with
     * static addresses, the metadata is written after the clone and before the first power-on.
     */
    static boolean metadataAfterClone(VmGroupSpec spec) {
      return spec.getBootstrap() != null
          && spec.getBootstrap().getCloudInit() != null
          && StaticAddresses.of(spec.getNetworks()).any();
    }
  }

  /**
   * What the plan needs to know besides the spec.
   *
   * @param bootstrapDigest {@link SpecHash#contentDigest} of the Secret value spec.bootstrap reads,
   *     or null when it reads none
   * @param templateDiskGiB the template's boot disk in GiB (rounded up), or null when unknown
   * @param contentVersion the version of the content library item the group deploys from, or null
   *     when it clones a template or the item wasn't looked up this round
   */
  public record Facts(String bootstrapDigest, Integer templateDiskGiB, String contentVersion) {
    public static final Facts NONE = new Facts(null, null, null);

    public Facts(String bootstrapDigest, Integer templateDiskGiB) {
      this(bootstrapDigest, templateDiskGiB, null);
    }
  }

  /**
   * A plan and what holds it back.
   *
   * @param actions in the order to start them: scale-in and replaced VMs first (they free
   *     capacity), then clones by index, then repairs
   * @param resizesWaiting running VMs that need a power cycle to take the new size but would take
   *     the group below its availability limit now
   * @param outdated VMs that still have to be replaced (another template or clone mode)
   * @param spendsAvailability whether a running VM is taken down because maxUnavailable allows it
   *     (a replacement or a resize): a decision only as good as the power states it counted
   * @param addressesWaiting new VMs not made because a static address of theirs is still held by
   *     another VM of the group (after a pool change) or their pool has none left
   * @param domainsWaiting new VMs not made because their failure domain can't take VMs now
   */
  public record Result(
      List<Action> actions,
      int resizesWaiting,
      int outdated,
      boolean spendsAvailability,
      int addressesWaiting,
      int domainsWaiting) {}

  public static List<Action> plan(Desired desired, List<VmInfo> owned, Set<String> busy) {
    return compute(desired, owned, busy, Set.of()).actions();
  }

  /**
   * @param owned the VMs that carry this group's ownership marker, and nothing else
   * @param busy names of VMs with a task in flight, backing off after a failure, or whose last
   *     change hasn't shown yet; a busy name without a VM is a clone under way
   * @param foreignNames names held in the group's folder by VMs the operator doesn't own: no new VM
   *     gets one of them
   */
  public static Result compute(
      Desired desired, List<VmInfo> owned, Set<String> busy, Set<String> foreignNames) {
    return compute(desired, owned, busy, foreignNames, PlanContext.NONE);
  }

  /**
   * The plan with readiness, a stopped rollout and failure domains taken into account: a running VM
   * counts as available (for maxUnavailable, and scale-in's not-ready-first) only when {@code
   * context} says so.
   */
  public static Result compute(
      Desired desired,
      List<VmInfo> owned,
      Set<String> busy,
      Set<String> foreignNames,
      PlanContext context) {
    Predicate<VmInfo> up = vm -> available(vm, busy) && context.available().test(vm);
    String group = desired.groupName();
    UpdateStrategy.Type type = desired.strategy().type();
    Map<Integer, VmInfo> byIndex = new TreeMap<>();
    List<VmInfo> extras = new ArrayList<>();
    Set<String> ownedNames = new HashSet<>();
    for (VmInfo vm : sortedByName(owned)) {
      ownedNames.add(vm.name());
      OptionalInt index = indexOf(group, vm);
      if (index.isEmpty() || byIndex.containsKey(index.getAsInt())) {
        extras.add(vm);
      } else {
        byIndex.put(index.getAsInt(), vm);
      }
    }
    Set<Integer> taken = new TreeSet<>(byIndex.keySet());
    int pendingClones = 0;
    for (String name : busy) {
      OptionalInt index = Naming.indexOf(group, name);
      if (index.isPresent() && !ownedNames.contains(name) && taken.add(index.getAsInt())) {
        pendingClones++;
      }
    }
    for (String name : foreignNames) {
      Naming.indexOf(group, name).ifPresent(taken::add);
    }

    // Replacing needs a template to clone from; OnDelete never replaces.
    boolean replacing = desired.canClone() && type != UpdateStrategy.Type.OnDelete;
    List<VmInfo> old = new ArrayList<>();
    List<VmInfo> current = new ArrayList<>();
    for (VmInfo vm : byIndex.values()) {
      (replacing && !sameSource(vm, desired) ? old : current).add(vm);
    }

    int replicas = desired.replicas();
    int total = owned.size() + pendingClones;
    int maxTotal =
        replicas
            + (!old.isEmpty()
                    && type == UpdateStrategy.Type.RollingUpdate
                    && !context.rolloutStopped()
                ? desired.strategy().maxSurge()
                : 0);
    int available = (int) owned.stream().filter(up).count();
    // How many more VMs may go down now: Recreate takes them all at once.
    int budget =
        type == UpdateStrategy.Type.Recreate
            ? Integer.MAX_VALUE
            : available - Math.max(0, replicas - desired.strategy().maxUnavailable());

    Map<VmInfo, Action> removals = new LinkedHashMap<>();
    for (VmInfo vm : extras) {
      if (!busy.contains(vm.name())) {
        removals.put(vm, removal(vm));
      }
    }
    // Scale-in: not-ready VMs first, then out-of-date ones, then the newest. A clone under way is
    // not counted: once it lands it is the newest, and the not-ready, VM.
    List<VmInfo> scaleIn =
        context
            .domains()
            .scaleIn(
                current,
                current.stream().filter(vm -> !busy.contains(vm.name())).toList(),
                current.size() - replicas,
                Comparator.comparing((VmInfo vm) -> ready(vm, desired) && up.test(vm))
                    .thenComparing(vm -> upToDate(vm, desired)),
                Comparator.comparingInt((VmInfo vm) -> indexOf(group, vm).orElse(-1)).reversed());
    for (VmInfo vm : scaleIn) {
      removals.put(vm, removal(vm));
      if (up.test(vm)) {
        budget--;
      }
    }
    // Replacement: VMs that are down anyway go at once, running ones within the budget; none once
    // the rollout has stopped, so the old VMs keep running.
    List<VmInfo> replaceable = context.rolloutStopped() ? List.of() : old;
    for (VmInfo vm : replaceable) {
      if (!busy.contains(vm.name()) && !up.test(vm)) {
        removals.put(vm, removal(vm));
      }
    }
    boolean spends = false;
    Map<String, VmInfo> holders = holders(owned);
    // After a pool change a successor may want an address an old VM still holds: replace first the
    // old VMs whose successors can come up at once, so a shifted pool can't stall the rollout.
    List<VmInfo> replaceOrder = new ArrayList<>(reversed(replaceable));
    replaceOrder.sort(
        Comparator.comparing(
            (VmInfo vm) -> addressHeld(desired, indexOf(group, vm).orElse(-1), holders, vm)));
    for (VmInfo vm : replaceOrder) {
      if (budget > 0 && !busy.contains(vm.name()) && up.test(vm)) {
        removals.put(vm, removal(vm));
        budget--;
        spends = true;
      }
    }

    List<Action> clones = new ArrayList<>();
    int addressesWaiting = 0;
    int domainsWaiting = 0;
    boolean waitForOld = type == UpdateStrategy.Type.Recreate && !old.isEmpty();
    int wanted = Math.min(replicas - current.size() - pendingClones, maxTotal - total);
    if (desired.canClone() && !waitForOld) {
      // an index whose address isn't free yet waits: the VM must get its index's address, so no
      // other index stands in for it
      for (int i = 0, slots = wanted; slots > 0; i++) {
        if (taken.contains(i)) {
          continue;
        }
        slots--;
        if (!desired.addresses().complete(i) || addressHeld(desired, i, holders, null)) {
          addressesWaiting++;
        } else if (!context.domains().canTake(i)) {
          domainsWaiting++;
        } else {
          clones.add(new Action.Clone(i, Naming.vmName(group, i)));
        }
      }
    }

    List<Action> repairs = new ArrayList<>();
    int resizesWaiting = 0;
    for (VmInfo vm : current) {
      if (busy.contains(vm.name()) || removals.containsKey(vm)) {
        continue;
      }
      if (!frozen(vm, desired) && !sized(vm, desired)) {
        if (vm.powerState() == PowerState.POWERED_OFF || hotResizable(vm, desired)) {
          repairs.add(reconfigure(vm, desired));
        } else if (budget > 0) {
          repairs.add(new Action.PowerOff(vm, Action.PowerOff.Purpose.RESIZE));
          budget--;
          spends = true;
        } else {
          resizesWaiting++;
        }
      } else if (vm.powerState() != PowerState.POWERED_ON) {
        repairs.add(
            desired.metadataAfterClone() && !Ownership.metadataWritten(vm)
                ? new Action.WriteMetadata(vm)
                : new Action.PowerOn(vm));
      } else if (!frozen(vm, desired) && BootDisk.needsGrowth(vm, desired)) {
        // online: the VM stays up, so this spends no availability
        repairs.add(new Action.GrowDisk(vm, desired.bootDiskGiB()));
      }
    }

    List<Action> actions = new ArrayList<>(removals.values());
    actions.addAll(clones);
    actions.addAll(repairs);
    return new Result(
        actions,
        resizesWaiting,
        old.size(),
        spends && type != UpdateStrategy.Type.Recreate,
        addressesWaiting,
        domainsWaiting);
  }

  /** Everything needed to remove all of a group's VMs (on deletion). */
  public static List<Action> teardown(List<VmInfo> owned, Set<String> busy) {
    List<Action> actions = new ArrayList<>();
    for (VmInfo vm : sortedByName(owned)) {
      if (!busy.contains(vm.name())) {
        actions.add(removal(vm));
      }
    }
    return actions;
  }

  /**
   * A VM counts as ready when it is powered on with the spec's CPU and memory, or, under OnDelete,
   * with the size of the earlier spec it is kept at.
   */
  public static boolean ready(VmInfo vm, Desired desired) {
    return vm.powerState() == PowerState.POWERED_ON && (sized(vm, desired) || frozen(vm, desired));
  }

  /** Under OnDelete, a VM made for an earlier spec stays at that spec; drift is still repaired. */
  public static boolean frozen(VmInfo vm, Desired desired) {
    return desired.strategy().type() == UpdateStrategy.Type.OnDelete
        && desired.hash() != null
        && !desired.hash().sameSpec(vm);
  }

  /**
   * A VM is up to date when it has the spec's template, clone mode (and other clone-only fields),
   * CPU, memory and boot disk size.
   */
  public static boolean upToDate(VmInfo vm, Desired desired) {
    return sameSource(vm, desired) && sized(vm, desired) && !BootDisk.needsGrowth(vm, desired);
  }

  /** The replica index of an owned VM: the clone-time marker, else its name. */
  public static OptionalInt indexOf(String groupName, VmInfo vm) {
    OptionalInt marked = Ownership.index(vm);
    return marked.isPresent() ? marked : Naming.indexOf(groupName, vm.name());
  }

  /** Who holds each static address now, by the VMs' markers. */
  private static Map<String, VmInfo> holders(List<VmInfo> owned) {
    Map<String, VmInfo> holders = new java.util.HashMap<>();
    for (VmInfo vm : owned) {
      Ownership.addresses(vm).forEach(a -> holders.putIfAbsent(a, vm));
    }
    return holders;
  }

  /** Whether a VM other than {@code self} holds an address the VM at {@code index} would get. */
  private static boolean addressHeld(
      Desired desired, int index, Map<String, VmInfo> holders, VmInfo self) {
    if (index < 0 || holders.isEmpty()) {
      return false;
    }
    for (String a : desired.addresses().addressesOf(index)) {
      VmInfo holder = holders.get(a);
      if (holder != null && holder != self) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameSource(VmInfo vm, Desired desired) {
    return desired.hash() == null || desired.hash().sameSource(vm);
  }

  /** Running and not in the middle of a change: what maxUnavailable protects. */
  private static boolean available(VmInfo vm, Set<String> busy) {
    return vm.powerState() == PowerState.POWERED_ON && !busy.contains(vm.name());
  }

  private static boolean sized(VmInfo vm, Desired desired) {
    return vm.cpu() == desired.cpu() && vm.memoryMiB() == desired.memoryMiB();
  }

  /**
   * Whether a running VM can take the new size without a power cycle: vSphere hot-adds CPUs and
   * memory when the VM enables it, but never removes them while it runs.
   */
  static boolean hotResizable(VmInfo vm, Desired desired) {
    if (vm.powerState() != PowerState.POWERED_ON) {
      return false;
    }
    boolean cpuOk = desired.cpu() == vm.cpu() || (desired.cpu() > vm.cpu() && vm.cpuHotAdd());
    boolean memoryOk =
        desired.memoryMiB() == vm.memoryMiB()
            || (desired.memoryMiB() > vm.memoryMiB() && vm.memoryHotAdd());
    return cpuOk && memoryOk;
  }

  private static Action reconfigure(VmInfo vm, Desired desired) {
    return new Action.Reconfigure(
        vm,
        desired.cpu(),
        desired.memoryMiB(),
        desired.hash() == null ? null : desired.hash().spec());
  }

  private static Action removal(VmInfo vm) {
    return vm.powerState() == PowerState.POWERED_OFF
        ? new Action.Destroy(vm)
        : new Action.PowerOff(vm, Action.PowerOff.Purpose.DELETE);
  }

  private static List<VmInfo> reversed(List<VmInfo> vms) {
    List<VmInfo> copy = new ArrayList<>(vms);
    java.util.Collections.reverse(copy);
    return copy;
  }

  private static List<VmInfo> sortedByName(List<VmInfo> vms) {
    List<VmInfo> sorted = new ArrayList<>(vms);
    sorted.sort(Comparator.comparing(VmInfo::name));
    return sorted;
  }
}
