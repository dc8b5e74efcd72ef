package com.codeconnect.vmgroup.vsphere;

import java.util.Objects;

/**
 * An item of a content library, as the operator deploys from it.
 *
 * @param id the item's identifier in vCenter's content library service
 * @param contentVersion changes whenever the item's content does (a new OVF uploaded, a VM template
 *     checked in), so a VM deployed from an older version can be told apart; null when the server
 *     does not report one (govmomi's simulator doesn't; the test launcher adds it)
 */
public record LibraryItem(
    String id,
    String name,
    Kind kind,
    String libraryId,
    String libraryName,
    String contentVersion) {

  /** What a deploy of the item does: clone a VM template, or import an OVF package. */
  public enum Kind {
    /** A VMTX item: deployed through the vm-template API. */
    VM_TEMPLATE,
    /** An OVF package: deployed through the OVF API. */
    OVF,
    /** Anything else (ISO images, plain files): nothing a VM can be deployed from. */
    OTHER;

    /** The kind of a library item's {@code type} as the server names it. */
    public static Kind ofServerType(String type) {
      if (type == null) {
        return OTHER;
      }
      return switch (type.toLowerCase(java.util.Locale.ROOT)) {
        case "vm-template" -> VM_TEMPLATE;
        case "ovf" -> OVF;
        default -> OTHER;
      };
    }
  }

  public LibraryItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
  }
}
