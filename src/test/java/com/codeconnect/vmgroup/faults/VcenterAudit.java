package com.codeconnect.vmgroup.faults;

import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads the whole VM inventory through a session of its own and checks it against what the groups
 * declare: replicas lost, duplicated or left over, and VMs the operator doesn't own that changed.
 */
final class VcenterAudit {
  private VcenterAudit() {}

  /** What a group declares, as the audit needs it. */
  record Group(String uid, String folderName, int replicas, int cpu, long memoryMiB) {}

  /** Every VM under the datacenters' VM folders, and the path of every folder there. */
  record Snapshot(List<VmInfo> vms, Map<MoRef, String> folderPaths) {
    List<VmInfo> in(String folderPath) {
      return vms.stream().filter(vm -> folderPath.equals(folderPaths.get(vm.parent()))).toList();
    }

    List<VmInfo> ownedVms() {
      return vms.stream().filter(Folders::owned).toList();
    }
  }

  /**
   * @param lost replicas a group declares that have no VM
   * @param notReady replica VMs that exist but are not powered on with the declared size
   * @param duplicates VMs beyond the first for one replica of one group (same owner and index)
   * @param surplus a group's VMs beyond its replicas
   * @param strays VMs or group folders nobody accounts for: owned by no live group, outside their
   *     group's folder, or new and unowned
   * @param foreignTouched VMs the operator doesn't own that changed or vanished
   * @param problems one line per finding, for assertion messages
   */
  record Result(
      int lost,
      int notReady,
      int duplicates,
      int surplus,
      int strays,
      int foreignTouched,
      List<String> problems) {}

  /** What a test compares to prove a VM was left untouched. */
  static String identity(VmInfo vm) {
    return vm.ref().value()
        + " "
        + vm.name()
        + " "
        + vm.parent()
        + " "
        + vm.powerState()
        + " "
        + vm.cpu()
        + "/"
        + vm.memoryMiB()
        + (vm.template() ? " template" : "")
        + " "
        + vm.extraConfig();
  }

  static Snapshot snapshot(VsphereClient c) {
    List<VmInfo> vms = new ArrayList<>();
    Map<MoRef, String> paths = new LinkedHashMap<>();
    for (NamedRef dc : c.datacenters()) {
      walk(c, c.datacenter(dc.ref()).vmFolder(), dc.path() + "/vm", vms, paths);
    }
    return new Snapshot(List.copyOf(vms), Map.copyOf(paths));
  }

  private static void walk(
      VsphereClient c, MoRef folder, String path, List<VmInfo> into, Map<MoRef, String> paths) {
    paths.put(folder, path);
    into.addAll(c.vmsInFolder(folder));
    for (NamedRef child : c.childFolders(folder)) {
      walk(c, child.ref(), path + "/" + child.name(), into, paths);
    }
  }

  /**
   * @param foreign the VMs the operator must never change (as they were before the faults), by
   *     reference
   * @param rootPath the operator's root folder, e.g. {@code /DC0/vm/vm-operator}
   * @param groups the live groups
   * @param expectedForeign VMs a test put there on purpose and that aren't in {@code foreign} (e.g.
   *     because they were created later); not counted as strays
   */
  static Result audit(
      Snapshot now,
      Collection<VmInfo> foreign,
      String rootPath,
      Collection<Group> groups,
      Set<MoRef> expectedForeign) {
    List<String> problems = new ArrayList<>();
    Map<MoRef, VmInfo> nowByRef = new HashMap<>();
    now.vms().forEach(vm -> nowByRef.put(vm.ref(), vm));

    int foreignTouched = 0;
    Set<MoRef> foreignRefs = new HashSet<>(expectedForeign);
    for (VmInfo before : foreign) {
      foreignRefs.add(before.ref());
      VmInfo after = nowByRef.get(before.ref());
      if (after == null || !identity(after).equals(identity(before))) {
        foreignTouched++;
        problems.add(
            "foreign VM changed: "
                + identity(before)
                + " -> "
                + (after == null ? "gone" : identity(after)));
      }
    }

    Map<String, Group> byUid = new HashMap<>();
    groups.forEach(g -> byUid.put(g.uid(), g));
    int lost = 0;
    int notReady = 0;
    int duplicates = 0;
    int surplus = 0;
    int strays = 0;
    Set<String> groupFolders = new HashSet<>();
    for (Group g : groups) {
      String folder = rootPath + "/" + g.folderName();
      groupFolders.add(folder);
      Map<Integer, List<VmInfo>> byIndex = new HashMap<>();
      for (VmInfo vm : now.in(folder)) {
        if (!g.uid().equals(vm.extraConfig().get(Ownership.OWNER_UID))) {
          continue;
        }
        OptionalInt index = Ownership.index(vm);
        byIndex.computeIfAbsent(index.orElse(-1), i -> new ArrayList<>()).add(vm);
      }
      // Indexes are normally 0..replicas-1, but a VM half-way through its removal when the spec
      // grows again is kept (and repaired) while a lower index may already be gone: one replica
      // each, under any index, is what the operator keeps. Beyond the count it is surplus; a
      // replica without a VM is lost.
      int inRange = (int) byIndex.keySet().stream().filter(i -> i >= 0 && i < g.replicas()).count();
      List<Integer> beyond =
          byIndex.keySet().stream().filter(i -> i >= g.replicas()).sorted().toList();
      int allowedBeyond = Math.min(beyond.size(), Math.max(0, g.replicas() - inRange));
      for (Map.Entry<Integer, List<VmInfo>> e : byIndex.entrySet()) {
        int i = e.getKey();
        List<VmInfo> vms = e.getValue();
        if (i < 0 || (i >= g.replicas() && beyond.indexOf(i) >= allowedBeyond)) {
          surplus += vms.size();
          problems.add(g.folderName() + ": surplus " + names(vms));
          continue;
        }
        if (vms.size() > 1) {
          duplicates += vms.size() - 1;
          problems.add(g.folderName() + ": duplicates of replica " + i + ": " + names(vms));
        }
        VmInfo vm = vms.get(0);
        if (vm.powerState() != PowerState.POWERED_ON
            || vm.cpu() != g.cpu()
            || vm.memoryMiB() != g.memoryMiB()) {
          notReady++;
          problems.add(g.folderName() + ": not ready " + identity(vm));
        }
      }
      int held = inRange + allowedBeyond;
      if (held < g.replicas()) {
        lost += g.replicas() - held;
        problems.add(
            g.folderName()
                + ": "
                + (g.replicas() - held)
                + " replicas missing (VMs at indexes "
                + byIndex.keySet()
                + ")");
      }
    }

    for (VmInfo vm : now.vms()) {
      if (foreignRefs.contains(vm.ref())) {
        continue;
      }
      String uid = vm.extraConfig().get(Ownership.OWNER_UID);
      Group g = uid == null ? null : byUid.get(uid);
      String where = now.folderPaths().get(vm.parent());
      if (g == null || !(rootPath + "/" + g.folderName()).equals(where)) {
        strays++;
        problems.add("stray VM " + identity(vm) + " in " + where);
      }
    }
    for (String path : now.folderPaths().values()) {
      if (path.startsWith(rootPath + "/") && !groupFolders.contains(path)) {
        strays++;
        problems.add("stray folder " + path);
      }
    }
    return new Result(lost, notReady, duplicates, surplus, strays, foreignTouched, problems);
  }

  private static List<String> names(List<VmInfo> vms) {
    return vms.stream().map(vm -> vm.name() + "(" + vm.ref().value() + ")").toList();
  }
}
