package com.codeconnect.vmgroup.endpoint;

import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.Placement;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the VM or template a group clones from, by name or inventory path.
 *
 * <p>A template found is remembered for {@link #REMEMBER_FOUND}: a lookup by name reads the name of
 * every VM in the datacenter (and, on the simulator, its temporary container view costs a re-read
 * of every change-fed object), and a growing group needs its template at every reconcile; at 1,000
 * VMs that was over 1,300 lookups for one burst. A template that is moved, renamed or deleted is
 * noticed when the cache runs out or a clone fails, whichever comes first ({@link #forget}). A
 * missing template is looked up again every time, so one uploaded later is found at once.
 */
public final class TemplateResolver {
  static final Duration REMEMBER_FOUND = Duration.ofSeconds(10);

  private final VsphereClient client;
  private final Clock clock;
  private final Map<Key, Remembered> found = new ConcurrentHashMap<>();
  private final Map<MoRef, RememberedDetails> details = new ConcurrentHashMap<>();

  private record RememberedDetails(VmDetails details, Instant until) {}

  private record Key(MoRef vmFolder, String template, boolean linked) {}

  private record Remembered(Found found, Instant until) {}

  public TemplateResolver(VsphereClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Forgets every template found: the next lookup asks vCenter (e.g. after a failed clone). */
  public void forget() {
    found.clear();
    details.clear();
  }

  /**
   * The template's devices (NICs, disks, controllers): what a clone that rebinds NICs or grows
   * disks edits. Remembered as long as the template itself is.
   */
  public VmDetails details(Found template) {
    Instant now = clock.instant();
    RememberedDetails r = details.get(template.ref());
    if (r != null && now.isBefore(r.until())) {
      return r.details();
    }
    VmDetails read = client.details(template.ref());
    details.put(template.ref(), new RememberedDetails(read, now.plus(REMEMBER_FOUND)));
    return read;
  }

  /** The template, or the problem that explains why there is none. */
  public sealed interface Result {}

  /**
   * @param linkedSnapshot the snapshot to clone from for a linked clone, else null
   */
  public record Found(MoRef ref, MoRef linkedSnapshot) implements Result {}

  public record Missing(Problem problem) implements Result {}

  /** A content library item to deploy from ({@link LibraryResolver}). */
  public record Deployable(com.codeconnect.vmgroup.vsphere.LibraryItem item) implements Result {}

  /** Not looked up: the group needs no clone (see the reconciler). */
  public record Skipped() implements Result {}

  /**
   * @param linked whether the group makes linked clones, which need the template's current snapshot
   */
  public Result resolve(Placement placement, String template, boolean linked) {
    Key key = new Key(placement.datacenter().vmFolder(), template, linked);
    Instant now = clock.instant();
    Remembered r = found.get(key);
    if (r != null && now.isBefore(r.until())) {
      return r.found();
    }
    Result result = lookUp(placement, template, linked);
    if (result instanceof Found f) {
      found.put(key, new Remembered(f, now.plus(REMEMBER_FOUND)));
    } else {
      found.remove(key);
    }
    return result;
  }

  private Result lookUp(Placement placement, String template, boolean linked) {
    Result found = resolve(placement, template);
    if (!linked || !(found instanceof Found f)) {
      return found;
    }
    String name = template.substring(template.lastIndexOf('/') + 1);
    MoRef snapshot =
        client.findVmsByName(placement.datacenter().vmFolder(), name).stream()
            .filter(vm -> vm.ref().equals(f.ref()))
            .map(VmInfo::currentSnapshot)
            .filter(java.util.Objects::nonNull)
            .findFirst()
            .orElse(null);
    if (snapshot == null) {
      return new Missing(
          new Problem(
              Problem.Reason.TemplateHasNoSnapshot,
              "template '"
                  + template
                  + "' has no snapshot; cloneMode linked clones share the template's current"
                  + " snapshot: take one, or use cloneMode full"));
    }
    return new Found(f.ref(), snapshot);
  }

  private Result resolve(Placement placement, String template) {
    String dc = placement.datacenter().name();
    if (template.contains("/")) {
      Problem outside = outsideDatacenter(placement, template);
      if (outside != null) {
        return new Missing(outside);
      }
      String path =
          template.startsWith("/")
              ? template
              : placement.rootFolderPath().substring(0, placement.rootFolderPath().lastIndexOf('/'))
                  + "/"
                  + template;
      return client
          .findByInventoryPath(path)
          .filter(ref -> ref.type().equals("VirtualMachine"))
          .<Result>map(ref -> new Found(ref, null))
          .orElseGet(
              () ->
                  new Missing(
                      new Problem(
                          Problem.Reason.TemplateNotFound,
                          "template '"
                              + template
                              + "' not found in datacenter '"
                              + dc
                              + "' (no VM at inventory path "
                              + path
                              + ")")));
    }
    // A clone the operator made is never a template, even if someone names a group after it.
    List<VmInfo> matches =
        client.findVmsByName(placement.datacenter().vmFolder(), template).stream()
            .filter(vm -> !vm.extraConfig().containsKey(Ownership.OWNER_UID))
            .toList();
    if (matches.isEmpty()) {
      return new Missing(
          new Problem(
              Problem.Reason.TemplateNotFound,
              "template '" + template + "' not found in datacenter '" + dc + "'"));
    }
    if (matches.size() > 1) {
      return new Missing(
          new Problem(
              Problem.Reason.TemplateAmbiguous,
              "template name '"
                  + template
                  + "' matches "
                  + matches.size()
                  + " VMs in datacenter '"
                  + dc
                  + "'; use an inventory path such as /"
                  + dc
                  + "/vm/<folder>/"
                  + template));
    }
    return new Found(matches.get(0).ref(), null);
  }

  /**
   * An absolute path must lead into the VM folder of the operator's datacenter: a template
   * elsewhere is not something a group of this operator may clone (and a path into the host folder
   * names no VM at all). Null when the path is fine.
   */
  public static Problem outsideDatacenter(Placement placement, String template) {
    if (!template.startsWith("/")) {
      return null;
    }
    String dc = placement.datacenter().name();
    String[] segments = template.split("/", -1);
    if (segments.length < 2 || !segments[1].equals(dc)) {
      return new Problem(
          Problem.Reason.InvalidSpec,
          "spec.template '"
              + template
              + "' is outside datacenter '"
              + dc
              + "', the only one the operator clones from and places VMs in");
    }
    if (segments.length < 4 || !segments[2].equals("vm")) {
      return new Problem(
          Problem.Reason.InvalidSpec,
          "spec.template '"
              + template
              + "' is not in the VM folder of datacenter '"
              + dc
              + "' (paths start with /"
              + dc
              + "/vm/)");
    }
    return null;
  }
}
