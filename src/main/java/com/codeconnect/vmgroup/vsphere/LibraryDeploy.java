package com.codeconnect.vmgroup.vsphere;

import java.util.Map;
import java.util.Objects;

/**
 * Deploys one VM from a content library item, powered off, under a name the caller chose (so a
 * retried deploy meets its VM by name instead of making a second). What the deploy call can't carry
 * in every case (size, NICs, disks, bootstrap, the ownership marker) is set afterwards with {@link
 * VsphereClient#reconfigureVm(MoRef, VmChange)}, before the first power-on.
 *
 * @param pool the resource pool; both APIs need one (or a host's) to place the VM
 * @param host a host of that pool's cluster, or null to let vCenter choose
 * @param datastore where the VM's files go, or null for the item's or the pool's default
 * @param ovfNetworks for an OVF item: the package's network names mapped to the networks to attach
 *     them to; ignored for a VM template (whose NICs are rebound by a reconfigure)
 * @param annotation the new VM's Notes, or null: the one thing of the operator's that both deploy
 *     calls carry into vCenter with the VM's creation (a VM template deploy's description, an OVF
 *     deploy's annotation), so a VM that loses its deployer before the markers are written can
 *     still be told to be the operator's
 */
public record LibraryDeploy(
    LibraryItem item,
    String name,
    MoRef folder,
    MoRef pool,
    MoRef host,
    MoRef datastore,
    Map<String, MoRef> ovfNetworks,
    String annotation) {

  public LibraryDeploy {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(pool, "pool");
    if (item.kind() == LibraryItem.Kind.OTHER) {
      throw new IllegalArgumentException(
          "library item '" + item.name() + "' is neither a VM template nor an OVF package");
    }
    ovfNetworks = ovfNetworks == null ? Map.of() : Map.copyOf(ovfNetworks);
  }

  /** A deploy into a folder and pool, on the pool's default datastore. */
  public static LibraryDeploy of(LibraryItem item, String name, MoRef folder, MoRef pool) {
    return new LibraryDeploy(item, name, folder, pool, null, null, Map.of(), null);
  }

  /** The same deploy onto a datastore; null keeps the item's or the pool's default. */
  public LibraryDeploy withDatastore(MoRef onto) {
    return new LibraryDeploy(item, name, folder, pool, host, onto, ovfNetworks, annotation);
  }

  public LibraryDeploy withAnnotation(String notes) {
    return new LibraryDeploy(item, name, folder, pool, host, datastore, ovfNetworks, notes);
  }
}
