package com.codeconnect.vmgroup.demo;

import com.codeconnect.vmgroup.api.v1alpha1.MemoryQuantity;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.NetworkInfo;
import com.codeconnect.vmgroup.vsphere.NicBacking;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Plain-text views for the demo: `kubectl get vg` and the operator's corner of vCenter. */
public final class Tables {
  private Tables() {}

  /** The same columns as `kubectl get vg -A` prints from the CRD's printer columns. */
  public static String vmGroups(List<VmGroup> groups) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "NAMESPACE",
          "NAME",
          "PHASE",
          "CURRENT",
          "READY",
          "DESIRED",
          "CPU",
          "MEMORY",
          "TEMPLATE",
          "LAST_MESSAGE"
        });
    groups.stream()
        .sorted(
            Comparator.comparing((VmGroup g) -> g.getMetadata().getNamespace())
                .thenComparing(g -> g.getMetadata().getName()))
        .forEach(
            g -> {
              VmGroupStatus s = Optional.ofNullable(g.getStatus()).orElseGet(VmGroupStatus::new);
              rows.add(
                  new String[] {
                    g.getMetadata().getNamespace(),
                    g.getMetadata().getName(),
                    text(s.getPhase()),
                    text(s.getCurrentReplicas()),
                    text(s.getReadyReplicas()),
                    text(g.getSpec().getReplicas()),
                    text(g.getSpec().getCpu()),
                    text(MemoryQuantity.text(g.getSpec().getMemory())),
                    text(
                        g.getSpec().contentLibrary() == null
                            ? g.getSpec().getTemplate()
                            : g.getSpec().contentLibrary().getLibrary()
                                + "/"
                                + g.getSpec().contentLibrary().getItem()),
                    text(s.getLastMessage())
                  });
            });
    return format(rows);
  }

  /** Every group folder under the root folder, with its VMs. */
  public static String vcenter(VsphereClient client, String rootFolderPath) {
    StringBuilder out = new StringBuilder(rootFolderPath).append('\n');
    Optional<MoRef> root = client.findByInventoryPath(rootFolderPath);
    if (root.isEmpty()) {
      return out.append("  (folder does not exist)\n").toString();
    }
    List<NamedRef> folders = new ArrayList<>(client.childFolders(root.get()));
    folders.sort(Comparator.comparing(NamedRef::name));
    if (folders.isEmpty()) {
      out.append("  (empty)\n");
    }
    for (NamedRef folder : folders) {
      out.append("  ").append(folder.name()).append("/\n");
      List<VmInfo> vms = new ArrayList<>(client.vmsInFolder(folder.ref()));
      vms.sort(Comparator.comparing(VmInfo::name));
      for (VmInfo vm : vms) {
        out.append(
            String.format(
                "    %-28s %-12s %d CPU  %5d MiB%n",
                vm.name(), vm.powerState().name().toLowerCase(), vm.cpu(), vm.memoryMiB()));
      }
    }
    return out.toString();
  }

  /**
   * One group's VMs as vCenter has them: each NIC's network, MAC and the address the operator
   * assigned (what the guest reports once VMware Tools runs), and each disk's size.
   */
  public static String vmDevices(VsphereClient client, String groupFolderPath) {
    StringBuilder out = new StringBuilder(groupFolderPath).append('\n');
    Optional<MoRef> folder = client.findByInventoryPath(groupFolderPath);
    if (folder.isEmpty()) {
      return out.append("  (folder does not exist)\n").toString();
    }
    List<VmInfo> vms = new ArrayList<>(client.vmsInFolder(folder.get()));
    vms.sort(Comparator.comparing(VmInfo::name));
    List<NetworkInfo> networks =
        client
            .findByInventoryPath(groupFolderPath.substring(0, groupFolderPath.indexOf("/vm/")))
            .map(client::networks)
            .orElse(List.of());
    for (VmInfo vm : vms) {
      VmDetails d = client.details(vm.ref());
      List<String> assigned = Ownership.addresses(vm);
      out.append(
          String.format(
              "  %-12s %-11s %d CPU (%d per socket)  %d MiB%n",
              vm.name(),
              vm.powerState().name().toLowerCase(),
              vm.cpu(),
              d.numCoresPerSocket(),
              vm.memoryMiB()));
      for (int i = 0; i < d.nics().size(); i++) {
        VmDetails.Nic nic = d.nics().get(i);
        out.append(
            String.format(
                "    nic %d  %-12s %s  %s%n",
                i,
                network(nic.backing(), networks),
                nic.macAddress(),
                i < assigned.size() ? "static " + assigned.get(i) : "dhcp"));
      }
      for (VmDetails.Disk disk : d.disks()) {
        out.append(
            String.format(
                "    disk %d:%d  %d GiB %s%n",
                disk.controllerKey(),
                disk.unitNumber(),
                (disk.capacityKiB() + 1024 * 1024 - 1) / (1024 * 1024),
                disk.thin() ? "thin" : "thick"));
      }
    }
    return out.toString();
  }

  /** The network's name as vCenter shows it; a NIC on a port group knows only its key. */
  private static String network(NicBacking backing, List<NetworkInfo> networks) {
    return networks.stream()
        .filter(n -> n.carries(backing))
        .map(NetworkInfo::name)
        .findFirst()
        .orElse(backing.toString());
  }

  private static String text(Object o) {
    return o == null ? "" : Objects.toString(o);
  }

  private static String format(List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(width[i] - row[i].length() + 3));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
