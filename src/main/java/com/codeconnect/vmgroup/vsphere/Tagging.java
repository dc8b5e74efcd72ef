package com.codeconnect.vmgroup.vsphere;

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

  /** Attaches a tag to an object; attaching one that is attached already changes nothing. */
  void attachTag(Tag tag, MoRef object);

  /** Detaches a tag; detaching one that isn't attached changes nothing. */
  void detachTag(Tag tag, MoRef object);
}
