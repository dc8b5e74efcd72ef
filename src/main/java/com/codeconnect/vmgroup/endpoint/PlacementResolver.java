package com.codeconnect.vmgroup.endpoint;

import com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.decision.Placement;
import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a group's placement (its spec.placement, each field falling back to the operator's
 * setting, then to the only candidate) and makes sure the root folder exists. Results are cached
 * per distinct request: they change only when an administrator rearranges vCenter, and {@link
 * #invalidate()} drops them when a call finds one of their objects gone.
 */
public final class PlacementResolver {
  private final VsphereClient client;
  private final OperatorSettings settings;
  private final Map<Request, Placement> cached = new ConcurrentHashMap<>();
  private final Map<DomainRequest, Compute> domains = new ConcurrentHashMap<>();

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

  /**
   * What is asked for, after the operator's defaults are applied; null means "the only one".
   *
   * @param pooled whether the placement has a resource pool: a group with failure domains has one
   *     per domain instead
   */
  private record Request(
      String datacenter, String resourcePool, String datastore, String folder, boolean pooled) {}

  /** A failure domain's compute and datastore in one datacenter. */
  private record DomainRequest(
      MoRef datacenter, String cluster, String resourcePool, String datastore) {}

  private record Compute(NamedRef pool, Optional<NamedRef> datastore) {}

  /** The operator's default placement. */
  public Placement resolve() {
    return resolve(null);
  }

  public Placement resolve(PlacementSpec spec) {
    boolean pooled =
        spec == null || spec.getFailureDomains() == null || spec.getFailureDomains().isEmpty();
    Request request =
        new Request(
            spec != null && spec.getDatacenter() != null
                ? spec.getDatacenter()
                : settings.datacenter(),
            !pooled
                ? null
                : spec != null && spec.getResourcePool() != null
                    ? spec.getResourcePool()
                    : settings.resourcePool(),
            spec != null && spec.getDatastore() != null
                ? spec.getDatastore()
                : settings.datastore(),
            spec != null && spec.getFolder() != null ? spec.getFolder() : settings.rootFolder(),
            pooled);
    Placement p = cached.get(request);
    if (p != null) {
      return p;
    }
    // Lookups of one request run once at a time; a failed one is not cached.
    synchronized (this) {
      return cached.computeIfAbsent(request, this::lookUp);
    }
  }

  /**
   * The placement of one failure domain: the group's datacenter and folders, the root resource pool
   * of {@code cluster} (or {@code resourcePool}) and {@code datastore}, else the group's datastore.
   * Cached as {@link #resolve} is; a failed lookup is not, so a domain fixed in vCenter is found at
   * the next look.
   *
   * @throws PlacementException when the cluster, pool or datastore isn't there
   */
  public Placement inDomain(
      Placement group, String cluster, String resourcePool, String datastore) {
    DomainRequest request =
        new DomainRequest(group.datacenter().ref(), cluster, resourcePool, datastore);
    Compute c = domains.get(request);
    if (c == null) {
      synchronized (this) {
        c = domains.computeIfAbsent(request, r -> lookUp(group, r));
      }
    }
    return new Placement(
        group.datacenter(),
        c.pool().ref(),
        c.pool().path(),
        c.datastore().map(NamedRef::ref).orElse(group.datastore()),
        c.datastore().map(NamedRef::path).orElse(group.datastorePath()),
        group.rootFolder(),
        group.rootFolderPath());
  }

  public void invalidate() {
    cached.clear();
    domains.clear();
  }

  private Compute lookUp(Placement group, DomainRequest r) {
    DatacenterInfo dc = group.datacenter();
    List<NamedRef> pools = client.resourcePools(dc.ref());
    NamedRef pool =
        r.cluster() != null
            ? pickCluster(r.cluster(), dc, pools)
            : pickPool(r.resourcePool(), dc, pools);
    String dcPath = group.datacenterPath();
    Optional<NamedRef> datastore =
        pickDatastore(r.datastore(), new NamedRef(dc.ref(), dc.name(), dcPath));
    return new Compute(pool, datastore);
  }

  /** A cluster or standalone host, by name or inventory path, stands for its root pool. */
  private static NamedRef pickCluster(String wanted, DatacenterInfo dc, List<NamedRef> pools) {
    String root = wanted.endsWith("/") ? wanted + "Resources" : wanted + "/Resources";
    List<NamedRef> found =
        pools.stream()
            .filter(
                p ->
                    wanted.startsWith("/")
                        ? p.path().equals(root)
                        : p.path().endsWith("/" + root)
                            && p.path().indexOf("/Resources") == p.path().length() - 10)
            .toList();
    if (found.size() == 1) {
      return found.get(0);
    }
    throw new PlacementException(
        found.isEmpty()
            ? "cluster '" + wanted + "' not found in datacenter '" + dc.name() + "'"
            : "cluster name '"
                + wanted
                + "' is ambiguous in datacenter '"
                + dc.name()
                + "': "
                + paths(found)
                + "; use an inventory path");
  }

  private Placement lookUp(Request r) {
    NamedRef dcRef = pickDatacenter(r.datacenter(), client.datacenters());
    DatacenterInfo dc = client.datacenter(dcRef.ref());
    NamedRef pool =
        r.pooled() ? pickPool(r.resourcePool(), dc, client.resourcePools(dc.ref())) : null;
    Optional<NamedRef> datastore = pickDatastore(r.datastore(), dcRef);
    String rootPath = dcRef.path() + "/vm/" + r.folder();
    // Created only when a VM is about to go there: resolving changes nothing in vCenter.
    MoRef root = client.findByInventoryPath(rootPath).orElse(null);
    return new Placement(
        dc,
        pool == null ? null : pool.ref(),
        pool == null ? null : pool.path(),
        datastore.map(NamedRef::ref).orElse(null),
        datastore.map(NamedRef::path).orElse(null),
        root,
        rootPath);
  }

  /** The placement with its root folder, which is created when missing. */
  public Placement withRoot(Placement p) {
    if (p.rootFolder() != null) {
      return p;
    }
    String folder = p.rootFolderPath().substring(p.rootFolderPath().lastIndexOf('/') + 1);
    MoRef root = createRoot(p.datacenter(), folder, p.rootFolderPath());
    Placement rooted =
        new Placement(
            p.datacenter(),
            p.resourcePool(),
            p.resourcePoolPath(),
            p.datastore(),
            p.datastorePath(),
            root,
            p.rootFolderPath());
    cached.replaceAll((request, known) -> known.equals(p) ? rooted : known);
    return rooted;
  }

  private MoRef createRoot(DatacenterInfo dc, String folder, String rootPath) {
    try {
      return client.createFolder(dc.vmFolder(), folder);
    } catch (VsphereException.DuplicateName raced) {
      return client
          .findByInventoryPath(rootPath)
          .orElseThrow(
              () ->
                  new PlacementException(
                      "root folder '" + rootPath + "' exists but can't be looked up"));
    }
  }

  private static NamedRef pickDatacenter(String wanted, List<NamedRef> all) {
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
                + "; choose one with spec.placement.datacenter or --datacenter (VC_DATACENTER)");
  }

  private static NamedRef pickPool(String wanted, DatacenterInfo dc, List<NamedRef> pools) {
    if (wanted != null) {
      Optional<NamedRef> byPath =
          pools.stream()
              .filter(p -> p.path().equals(wanted) || p.path().endsWith("/" + wanted))
              .findFirst();
      if (byPath.isPresent()) {
        return byPath.get();
      }
      // A cluster or host stands for its root resource pool, as in the vSphere client.
      List<NamedRef> byName =
          pools.stream()
              .filter(
                  p -> p.name().equals(wanted) || p.path().endsWith("/" + wanted + "/Resources"))
              .toList();
      if (byName.size() == 1) {
        return byName.get(0);
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
      return pools.get(0);
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
                + "; choose one with spec.placement.resourcePool or --resource-pool"
                + " (VC_RESOURCE_POOL)");
  }

  /** A datastore name (in the datacenter's datastore folder) or an inventory path. */
  private Optional<NamedRef> pickDatastore(String wanted, NamedRef dc) {
    if (wanted == null) {
      return Optional.empty();
    }
    String path = wanted.startsWith("/") ? wanted : dc.path() + "/datastore/" + wanted;
    return Optional.of(
        client
            .findByInventoryPath(path)
            .filter(ref -> ref.type().equals("Datastore"))
            .map(ref -> new NamedRef(ref, wanted.substring(wanted.lastIndexOf('/') + 1), path))
            .orElseThrow(
                () ->
                    new PlacementException(
                        "datastore '"
                            + wanted
                            + "' not found in datacenter '"
                            + dc.name()
                            + "' (no datastore at "
                            + path
                            + ")")));
  }

  private static List<String> names(List<NamedRef> refs) {
    return refs.stream().map(NamedRef::name).toList();
  }

  private static List<String> paths(List<NamedRef> refs) {
    return refs.stream().map(NamedRef::path).toList();
  }
}
