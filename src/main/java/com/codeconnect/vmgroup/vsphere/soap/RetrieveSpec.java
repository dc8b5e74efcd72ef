package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.MoRef;
import java.util.List;

/** The parts of a vim25 {@code PropertyFilterSpec} this client uses. */
final class RetrieveSpec {
  private RetrieveSpec() {}

  /** Which properties to read from objects of one type. */
  record PropSpec(String type, List<String> paths) {}

  /** A starting object, optionally skipped, and the traversals to follow from it. */
  record ObjSpec(MoRef obj, boolean skip, List<Traversal> selectSet) {}

  /**
   * A {@code TraversalSpec}; {@code selectNames} refer back to traversals by name, which is how
   * vim25 expresses recursion.
   */
  record Traversal(String name, String type, String path, boolean skip, List<String> selectNames) {}

  record Filter(List<PropSpec> propSet, List<ObjSpec> objectSet, boolean reportMissingObjects) {}

  /** Everything a {@code ContainerView} holds, read through the view's {@code view} property. */
  static ObjSpec containerView(MoRef view) {
    return new ObjSpec(
        view,
        true,
        List.of(new Traversal("traverseView", "ContainerView", "view", false, List.of())));
  }

  /** The objects a {@code ListView} holds, read through the view's {@code view} property. */
  static ObjSpec listView(MoRef view) {
    return new ObjSpec(
        view, true, List.of(new Traversal("traverseList", "ListView", "view", false, List.of())));
  }

  /** The direct children of a folder. */
  static ObjSpec folderChildren(MoRef folder) {
    return new ObjSpec(
        folder,
        true,
        List.of(new Traversal("folderChildren", "Folder", "childEntity", false, List.of())));
  }

  /**
   * Folders below {@code root} and whatever else they hold, without entering datacenters: the
   * traversal only applies to Folder objects, so a datacenter is reported but not descended into.
   */
  static ObjSpec folderTree(MoRef root) {
    return new ObjSpec(
        root,
        false,
        List.of(
            new Traversal("folderTree", "Folder", "childEntity", false, List.of("folderTree"))));
  }
}
