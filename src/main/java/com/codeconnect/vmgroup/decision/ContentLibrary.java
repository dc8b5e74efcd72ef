package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.ContentLibrarySpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import java.util.Collection;
import java.util.Set;

/**
 * What a group's content library source means, decided without vCenter: the text of the source
 * hash, the status's source column, and the messages when the controller's lookup of the library
 * and item fails (it passes what it found).
 */
public final class ContentLibrary {
  /** The item types that deploy as a VM: a VM template (VMTX) and an OVF package. */
  public static final Set<String> DEPLOYABLE_TYPES = Set.of("vm-template", "ovf");

  private ContentLibrary() {}

  /**
   * The library item as the controller found it, for the source hash ({@link SpecHash#of(
   * VmGroupSpec, String, Item)}).
   *
   * @param id the item's identifier: an item deleted and made anew under the same name is another
   *     item, whose content version may start over
   * @param contentVersion the item's content version, which vCenter changes whenever its content
   *     (the template or the OVF files) changes, and not for a rename or a new description
   */
  public record Item(String id, String contentVersion) {
    /**
     * Stands in for an item the controller didn't find: no VM carries its hash, so every VM counts
     * as out of date, but none is replaced (nothing can be deployed) and, under OnDelete, none is
     * resized to a spec it wasn't made for.
     */
    public static final Item UNKNOWN = new Item("(not found)", "(not found)");

    public Item {
      if (id == null || id.isEmpty() || contentVersion == null || contentVersion.isEmpty()) {
        throw new IllegalArgumentException(
            "a library item needs its id and content version, got " + id + ", " + contentVersion);
      }
    }
  }

  /**
   * The item to hash for a spec: none for a template, {@link Item#UNKNOWN} for a library item the
   * controller didn't find.
   */
  static Item itemFor(VmGroupSpec spec, Item found) {
    return spec.contentLibrary() != null && found == null ? Item.UNKNOWN : found;
  }

  /**
   * What new VMs come from, as {@code status.source} shows it (kubectl get's Template column): the
   * template, or {@code library/item}; null when the spec names neither.
   */
  public static String sourceText(VmGroupSpec spec) {
    if (spec == null) {
      return null;
    }
    ContentLibrarySpec library = spec.contentLibrary();
    if (library != null && library.getLibrary() != null && library.getItem() != null) {
      return library.getLibrary() + "/" + library.getItem();
    }
    return spec.getTemplate();
  }

  /**
   * The origin line of the source hash for a library item. Names and identity are both in it: a
   * spec naming another item is a change even if it has the same content, and an item of the same
   * name made anew is another item.
   */
  static String hashOrigin(ContentLibrarySpec library, Item item) {
    return "library="
        + library.getLibrary()
        + "\nitem="
        + library.getItem()
        + "\nitemId="
        + item.id()
        + "\ncontentVersion="
        + item.contentVersion();
  }

  /** No library of that name; {@code libraries} are the names of those the operator can see. */
  public static Problem libraryNotFound(String library, Collection<String> libraries) {
    return new Problem(
        Problem.Reason.LibraryNotFound,
        "content library '"
            + library
            + "' not found (libraries the operator's user can see: "
            + Candidates.closest(library, libraries)
            + ")");
  }

  /**
   * Several libraries have the name; {@code candidates} tell them apart, e.g. "id (SUBSCRIBED)".
   */
  public static Problem libraryAmbiguous(String library, Collection<String> candidates) {
    return new Problem(
        Problem.Reason.LibraryAmbiguous,
        "content library name '"
            + library
            + "' matches "
            + candidates.size()
            + " libraries ("
            + Candidates.listed(candidates.stream().sorted().toList())
            + "): rename one so that the name is unique");
  }

  /** No item of that name in the library; {@code items} are the names of those it has. */
  public static Problem itemNotFound(String library, String item, Collection<String> items) {
    return new Problem(
        Problem.Reason.ItemNotFound,
        "item '"
            + item
            + "' not found in content library '"
            + library
            + "' (items: "
            + Candidates.closest(item, items)
            + ")");
  }

  /** Several items of the library have the name; {@code candidates} tell them apart. */
  public static Problem itemAmbiguous(String library, String item, Collection<String> candidates) {
    return new Problem(
        Problem.Reason.ItemAmbiguous,
        "item name '"
            + item
            + "' matches "
            + candidates.size()
            + " items of content library '"
            + library
            + "' ("
            + Candidates.listed(candidates.stream().sorted().toList())
            + "): rename one so that the name is unique");
  }

  /**
   * The problem with an item that isn't a VM template or an OVF package (an ISO image, a file), or
   * null when it is one.
   */
  public static Problem notDeployable(String library, String item, String type) {
    if (type != null && DEPLOYABLE_TYPES.contains(type)) {
      return null;
    }
    return new Problem(
        Problem.Reason.ItemNotDeployable,
        "item '"
            + item
            + "' of content library '"
            + library
            + "' is of type '"
            + type
            + "': only a VM template (vm-template) or an OVF package (ovf) makes VMs");
  }
}
