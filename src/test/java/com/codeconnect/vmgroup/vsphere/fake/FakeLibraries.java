package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.LibraryDeploy;
import com.codeconnect.vmgroup.vsphere.LibraryItem;
import com.codeconnect.vmgroup.vsphere.LibraryLookup;
import com.codeconnect.vmgroup.vsphere.LibraryLookup.Candidate;
import com.codeconnect.vmgroup.vsphere.LibraryLookup.Outcome;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Content libraries of the in-memory vCenter. An item stands for a package whose hardware is that
 * of an inventory VM (its source): a deploy makes a powered-off copy of it, as the simulator's
 * deploys do, with the deploy's Notes. Names match as vCenter's find does, regardless of case, an
 * exact match winning. Only touched under the vCenter's lock.
 */
final class FakeLibraries {
  private record Library(String id, String name) {}

  private static final class Item {
    final String id;
    final String name;
    final Library library;
    final LibraryItem.Kind kind;
    final MoRef source;
    int version = 1;

    Item(String id, String name, Library library, LibraryItem.Kind kind, MoRef source) {
      this.id = id;
      this.name = name;
      this.library = library;
      this.kind = kind;
      this.source = source;
    }

    LibraryItem seen() {
      return new LibraryItem(
          id, name, kind, library.id(), library.name(), Integer.toString(version));
    }
  }

  private final VcenterCore core;
  private final List<Library> libraries = new ArrayList<>();
  private final List<Item> items = new ArrayList<>();
  private int nextId = 1;

  FakeLibraries(VcenterCore core) {
    this.core = core;
  }

  String addLibrary(String name) {
    Library l = new Library("library-" + nextId++, name);
    libraries.add(l);
    return l.id();
  }

  String addItem(String libraryId, String name, LibraryItem.Kind kind, MoRef source) {
    core.requireVm(source, "addLibraryItem");
    Library l =
        libraries.stream()
            .filter(x -> x.id().equals(libraryId))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no library " + libraryId));
    Item i = new Item("item-" + nextId++, name, l, kind, source);
    items.add(i);
    return i.id;
  }

  /** Raises the content version of the items of that name; returns the last one's new version. */
  String publish(String item) {
    String version = null;
    for (Item i : items) {
      if (i.name.equals(item)) {
        i.version++;
        version = Integer.toString(i.version);
      }
    }
    if (version == null) {
      throw new IllegalArgumentException("no library item " + item);
    }
    return version;
  }

  LibraryLookup find(String library, String item) {
    List<Library> named = LibraryLookup.named(libraries, Library::name, library);
    if (named.size() != 1) {
      List<Library> shown = named.isEmpty() ? libraries : named;
      return LibraryLookup.missing(
          named.isEmpty() ? Outcome.LIBRARY_NOT_FOUND : Outcome.LIBRARY_AMBIGUOUS,
          shown.stream().map(l -> new Candidate(l.id(), l.name(), "LOCAL")).toList());
    }
    Library l = named.get(0);
    List<Item> ofLibrary = items.stream().filter(i -> i.library.equals(l)).toList();
    List<Item> matching = LibraryLookup.named(ofLibrary, i -> i.name, item);
    if (matching.size() != 1) {
      List<Item> shown = matching.isEmpty() ? ofLibrary : matching;
      return LibraryLookup.missing(
          matching.isEmpty() ? Outcome.ITEM_NOT_FOUND : Outcome.ITEM_AMBIGUOUS,
          shown.stream().map(i -> new Candidate(i.id, i.name, i.kind.name())).toList());
    }
    return LibraryLookup.found(matching.get(0).seen());
  }

  /** A task that ends after the DEPLOY duration and holds the name as a clone does. */
  TaskRef deploy(LibraryDeploy d) {
    return core.cloning.creating(
        TaskKind.DEPLOY, d.folder(), d.name(), Duration.ZERO, at -> finish(d, at));
  }

  private MoRef finish(LibraryDeploy d, Instant at) {
    Item item =
        items.stream()
            .filter(i -> i.id.equals(d.item().id()))
            .findFirst()
            .orElseThrow(
                () ->
                    new VsphereException.ManagedObjectNotFound(
                        "library item " + d.item().id() + " does not exist", null));
    core.cloning.requirePlacement(d.folder(), d.name(), d.pool(), d.datastore());
    VmState source = core.inventory.require(item.source).vm;
    VmState copy =
        FakeInventory.vmState(
            PowerState.POWERED_OFF,
            source.cpu(),
            source.memoryMiB(),
            false,
            d.pool(),
            d.datastore() != null ? d.datastore() : source.datastore());
    VmHardware hw = core.inventory.modelHardware(d.name(), copy);
    hw = hw.with(hw.coresPerSocket(), d.annotation(), hw.nics(), hw.disks());
    return core.inventory.addVm(d.folder(), d.name(), copy, hw, at).ref;
  }
}
