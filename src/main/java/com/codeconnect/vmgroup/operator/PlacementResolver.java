package com.codeconnect.vmgroup.operator;

import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.List;
import java.util.Optional;

/**
 * Resolves the configured (or the only) datacenter and resource pool, and makes sure the root
 * folder exists. The result is cached: it changes only when an administrator rearranges vCenter,
 * and {@link #invalidate()} drops it when a call finds one of its objects gone.
 */
public final class PlacementResolver {
  private final VsphereClient client;
  private final OperatorSettings settings;
  private volatile Placement cached;

  public PlacementResolver(VsphereClient client, OperatorSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  /** Thrown when the configuration doesn't match vCenter; the message says what to set. */
  public static final class PlacementException extends RuntimeException {
    public PlacementException(String message) {
      super(message);
    }
  }

  public Placement resolve() {
    Placement p = cached;
    if (p != null) {
      return p;
    }
    synchronized (this) {
      if (cached == null) {
        cached = lookUp();
      }
      return cached;
    }
  }

  public void invalidate() {
    cached = null;
  }

  private Placement lookUp() {
    NamedRef dcRef = pickDatacenter(client.datacenters());
    DatacenterInfo dc = client.datacenter(dcRef.ref());
    MoRef pool = pickPool(dc, client.resourcePools(dc.ref()));
    String rootPath = dcRef.path() + "/vm/" + settings.rootFolder();
    MoRef root = client.findByInventoryPath(rootPath).orElseGet(() -> createRoot(dc, rootPath));
    return new Placement(dc, pool, root, rootPath);
  }

  private MoRef createRoot(DatacenterInfo dc, String rootPath) {
    try {
      return client.createFolder(dc.vmFolder(), settings.rootFolder());
    } catch (VsphereException.DuplicateName raced) {
      return client
          .findByInventoryPath(rootPath)
          .orElseThrow(
              () ->
                  new PlacementException(
                      "root folder '" + rootPath + "' exists but can't be looked up"));
    }
  }

  private NamedRef pickDatacenter(List<NamedRef> all) {
    String wanted = settings.datacenter();
    if (wanted != null) {
      return all.stream()
          .filter(d -> d.name().equals(wanted) || d.path().equals(wanted))
          .findFirst()
          .orElseThrow(
              () ->
                  new PlacementException(
                      "datacenter '" + wanted + "' not found; vCenter has " + names(all)));
    }
    if (all.size() == 1) {
      return all.get(0);
    }
    throw new PlacementException(
        all.isEmpty()
            ? "vCenter has no datacenter"
            : "vCenter has "
                + all.size()
                + " datacenters "
                + names(all)
                + "; choose one with --datacenter (VC_DATACENTER)");
  }

  private MoRef pickPool(DatacenterInfo dc, List<NamedRef> pools) {
    String wanted = settings.resourcePool();
    if (wanted != null) {
      Optional<NamedRef> byPath =
          pools.stream()
              .filter(p -> p.path().equals(wanted) || p.path().endsWith("/" + wanted))
              .findFirst();
      if (byPath.isPresent()) {
        return byPath.get().ref();
      }
      List<NamedRef> byName = pools.stream().filter(p -> p.name().equals(wanted)).toList();
      if (byName.size() == 1) {
        return byName.get(0).ref();
      }
      throw new PlacementException(
          byName.isEmpty()
              ? "resource pool '"
                  + wanted
                  + "' not found in datacenter '"
                  + dc.name()
                  + "'; it has "
                  + paths(pools)
              : "resource pool name '"
                  + wanted
                  + "' is ambiguous in datacenter '"
                  + dc.name()
                  + "': "
                  + paths(byName)
                  + "; use an inventory path");
    }
    if (pools.size() == 1) {
      return pools.get(0).ref();
    }
    throw new PlacementException(
        pools.isEmpty()
            ? "datacenter '" + dc.name() + "' has no resource pool"
            : "datacenter '"
                + dc.name()
                + "' has "
                + pools.size()
                + " resource pools "
                + paths(pools)
                + "; choose one with --resource-pool (VC_RESOURCE_POOL)");
  }

  private static List<String> names(List<NamedRef> refs) {
    return refs.stream().map(NamedRef::name).toList();
  }

  private static List<String> paths(List<NamedRef> refs) {
    return refs.stream().map(NamedRef::path).toList();
  }
}
