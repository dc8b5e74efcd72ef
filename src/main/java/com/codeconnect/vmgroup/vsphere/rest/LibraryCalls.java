package com.codeconnect.vmgroup.vsphere.rest;

import com.codeconnect.vmgroup.vsphere.LibraryDeploy;
import com.codeconnect.vmgroup.vsphere.LibraryItem;
import com.codeconnect.vmgroup.vsphere.LibraryLookup;
import com.codeconnect.vmgroup.vsphere.LibraryLookup.Candidate;
import com.codeconnect.vmgroup.vsphere.LibraryLookup.Outcome;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.rest.RestCalls.Request;
import com.codeconnect.vmgroup.vsphere.rest.RestSession.Token;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** Content library lookups and deploys over the REST API. */
final class LibraryCalls {
  private final RestCalls calls;
  private final Duration deployTimeout;
  private final UnaryOperator<String> mask;

  /**
   * @param deployTimeout limit of one deploy call, which lasts as long as vCenter copies the item
   * @param mask masks the client's secrets in server text that an answer of success carries (an OVF
   *     deploy reports its failure that way)
   */
  LibraryCalls(RestCalls calls, Duration deployTimeout, UnaryOperator<String> mask) {
    this.calls = calls;
    this.deployTimeout = deployTimeout;
    this.mask = mask;
  }

  // ---------------------------------------------------------------- lookup

  /**
   * vCenter's find matches names without regard to case. A name matched exactly wins over names
   * that differ only in case; several exact (or several inexact) matches are ambiguous.
   */
  LibraryLookup find(Token t, String library, String item) {
    ApiFlavor f = t.flavor();
    List<Wire.Library> libraries =
        fetch(
            t,
            ids(
                t,
                Request.post(
                    "library.find", f.findLibraries(), f.findLibrariesBody(library), null)),
            id -> Request.get("library.get", f.library(id), null),
            Wire.Library.class,
            l -> l.id() != null && l.name() != null);
    List<Wire.Library> named = LibraryLookup.named(libraries, Wire.Library::name, library);
    if (named.size() != 1) {
      List<Wire.Library> shown =
          named.isEmpty()
              ? fetch(
                  t,
                  first(ids(t, Request.get("library.list", f.libraries(), null))),
                  id -> Request.get("library.get", f.library(id), null),
                  Wire.Library.class,
                  l -> l.id() != null && l.name() != null)
              : named;
      return LibraryLookup.missing(
          named.isEmpty() ? Outcome.LIBRARY_NOT_FOUND : Outcome.LIBRARY_AMBIGUOUS,
          shown.stream().map(l -> new Candidate(l.id(), l.name(), l.type())).toList());
    }
    Wire.Library lib = named.get(0);
    List<Wire.Item> items =
        fetch(
                t,
                ids(
                    t,
                    Request.post(
                        "item.find", f.findItems(), f.findItemsBody(lib.id(), item), null)),
                id -> Request.get("item.get", f.item(id), null),
                Wire.Item.class,
                LibraryCalls::complete)
            .stream()
            .filter(i -> i.libraryId() == null || i.libraryId().equals(lib.id()))
            .toList();
    List<Wire.Item> matching = LibraryLookup.named(items, Wire.Item::name, item);
    if (matching.size() != 1) {
      List<Wire.Item> shown =
          matching.isEmpty()
              ? fetch(
                  t,
                  first(ids(t, Request.get("item.list", f.items(lib.id()), null))),
                  id -> Request.get("item.get", f.item(id), null),
                  Wire.Item.class,
                  LibraryCalls::complete)
              : matching;
      return LibraryLookup.missing(
          matching.isEmpty() ? Outcome.ITEM_NOT_FOUND : Outcome.ITEM_AMBIGUOUS,
          shown.stream().map(i -> new Candidate(i.id(), i.name(), i.type())).toList());
    }
    Wire.Item i = matching.get(0);
    return LibraryLookup.found(
        new LibraryItem(
            i.id(),
            i.name(),
            LibraryItem.Kind.ofServerType(i.type()),
            lib.id(),
            lib.name(),
            i.contentVersion() == null || i.contentVersion().isBlank()
                ? null
                : i.contentVersion()));
  }

  private static boolean complete(Wire.Item i) {
    return i.id() != null && i.name() != null;
  }

  private static List<String> first(List<String> ids) {
    return ids.subList(0, Math.min(ids.size(), LibraryLookup.MAX_CANDIDATES));
  }

  private List<String> ids(Token t, Request r) {
    String[] ids = calls.call(t.flavor(), t.id(), r, String[].class, null);
    return ids == null ? List.of() : Arrays.asList(ids);
  }

  /**
   * Each object by id; one that vanished since it was listed is left out, and one the server
   * describes without an id or name is a broken answer.
   */
  private <T> List<T> fetch(
      Token t, List<String> ids, Function<String, Request> get, Class<T> type, Predicate<T> ok) {
    List<T> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      Request r = get.apply(id);
      T o;
      try {
        o = calls.call(t.flavor(), t.id(), r, type, null);
      } catch (VsphereException.ManagedObjectNotFound gone) {
        continue;
      }
      if (o == null || !ok.test(o)) {
        throw new VsphereException.Protocol(
            r.op() + " on " + calls.hostPort() + ": answer without id or name", null);
      }
      out.add(o);
    }
    return out;
  }

  // ---------------------------------------------------------------- deploy

  MoRef deploy(Token t, LibraryDeploy d) {
    try {
      return d.item().kind() == LibraryItem.Kind.VM_TEMPLATE ? vmTemplate(t, d) : ovf(t, d);
    } catch (VsphereException e) {
      throw duplicateName(e);
    }
  }

  private MoRef vmTemplate(Token t, LibraryDeploy d) {
    ApiFlavor f = t.flavor();
    Map<String, Object> placement = new LinkedHashMap<>();
    placement.put("folder", d.folder().value());
    placement.put("resource_pool", d.pool().value());
    if (d.host() != null) {
      placement.put("host", d.host().value());
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", d.name());
    spec.put("placement", placement);
    spec.put("powered_on", false);
    if (d.annotation() != null) {
      // a VM template deploy's description becomes the new VM's Notes
      spec.put("description", d.annotation());
    }
    if (d.datastore() != null) {
      spec.put("vm_home_storage", Map.of("datastore", d.datastore().value()));
      spec.put("disk_storage", Map.of("datastore", d.datastore().value()));
    }
    String vm =
        calls.call(
            f,
            t.id(),
            Request.post(
                "vmtx.deploy",
                f.deployVmTemplate(d.item().id()),
                f.deployVmTemplateBody(spec),
                null),
            String.class,
            deployTimeout);
    if (vm == null || vm.isBlank()) {
      throw new VsphereException.Protocol(
          "vmtx.deploy on " + calls.hostPort() + " answered without the new VM", null);
    }
    return new MoRef("VirtualMachine", vm);
  }

  private MoRef ovf(Token t, LibraryDeploy d) {
    ApiFlavor f = t.flavor();
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("resource_pool_id", d.pool().value());
    target.put("folder_id", d.folder().value());
    if (d.host() != null) {
      target.put("host_id", d.host().value());
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", d.name());
    // golden images are the platform team's, who accepted their licence terms when uploading them
    spec.put("accept_all_EULA", true);
    if (d.annotation() != null) {
      spec.put("annotation", d.annotation());
    }
    if (d.datastore() != null) {
      spec.put("default_datastore_id", d.datastore().value());
    }
    if (!d.ovfNetworks().isEmpty()) {
      Map<String, String> networks = new LinkedHashMap<>();
      d.ovfNetworks().forEach((name, net) -> networks.put(name, net.value()));
      spec.put("network_mappings", f.map(networks));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("target", target);
    body.put("deployment_spec", spec);
    Wire.OvfDeployment result =
        calls.call(
            f,
            t.id(),
            Request.post("ovf.deploy", f.deployOvf(d.item().id()), body, null),
            Wire.OvfDeployment.class,
            deployTimeout);
    if (result == null) {
      throw new VsphereException.Protocol(
          "ovf.deploy on " + calls.hostPort() + " answered without a result", null);
    }
    if (!result.succeeded()) {
      throw new VsphereException(
          "OvfDeployFailed",
          "ovf.deploy of '" + d.item().name() + "' as '" + d.name() + "' failed: " + errors(result),
          false);
    }
    Wire.ResourceId id = result.resourceId();
    if (id == null || id.id() == null || id.id().isBlank()) {
      throw new VsphereException.Protocol(
          "ovf.deploy on " + calls.hostPort() + " succeeded without naming the new VM", null);
    }
    return new MoRef(id.type() == null ? "VirtualMachine" : id.type(), id.id());
  }

  private String errors(Wire.OvfDeployment r) {
    List<String> texts = new ArrayList<>();
    if (r.error() != null && r.error().errors() != null) {
      for (Wire.OvfError e : r.error().errors()) {
        if (e.error() != null && e.error().messages() != null) {
          e.error().messages().forEach(m -> texts.add(m.defaultMessage()));
        }
        if (e.message() != null) {
          texts.add(e.message().defaultMessage());
        }
      }
    }
    texts.removeIf(s -> s == null || s.isBlank());
    return texts.isEmpty()
        ? "no reason given"
        : RestErrors.bounded(mask.apply(String.join("; ", texts)));
  }

  /**
   * vCenter refuses a name the folder holds with {@code already_exists}; govmomi's simulator (and
   * an OVF deploy's error list) only say so in words. Either way it is DuplicateName, which callers
   * of a deterministic name know how to handle.
   */
  private static VsphereException duplicateName(VsphereException e) {
    if (e instanceof VsphereException.DuplicateName) {
      return e;
    }
    String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    if (m.contains("already exists")
        || m.contains("already_exists")
        || m.contains("duplicatename")) {
      return new VsphereException.DuplicateName(e.getMessage(), null);
    }
    return e;
  }
}
