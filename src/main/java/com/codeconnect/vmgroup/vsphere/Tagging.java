package com.codeconnect.vmgroup.vsphere;

import java.util.Collection;
import java.util.List;

/**
 * vSphere tags: the operator finds existing categories and tags by name and attaches or detaches
 * them; it never creates or deletes a tag. On vCenter these are calls of the REST API.
 */
public interface Tagging {

  List<TagCategory> tagCategories();

  /**
   * The tags of one category. Throws {@link VsphereException.ManagedObjectNotFound} for a category
   * that doesn't exist.
   */
  List<Tag> tags(TagCategory category);

  /** The ids of the tags attached to an object (e.g. a VM). */
  List<String> attachedTags(MoRef object);

  /**
   * Attaches tags (by id) to an object in one call; one attached already stays as it is. Throws
   * when any of them could not be attached (the others may have been).
   */
  void attachTags(Collection<String> tagIds, MoRef object);

  /** Detaches tags (by id) from an object in one call; one that isn't attached changes nothing. */
  void detachTags(Collection<String> tagIds, MoRef object);
}
