package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.CustomFieldDef;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.Tag;
import com.codeconnect.vmgroup.vsphere.TagCategory;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tags (the REST API's) and custom attribute definitions (the CustomFieldsManager's) of the
 * in-memory vCenter; a VM's custom values live in its {@link VmState}, so feeds see them change.
 * Only touched under the vCenter's lock.
 *
 * <p>Tag ids look like vCenter's ({@code urn:vmomi:InventoryServiceTag:<n>:GLOBAL}), and tags are
 * not reported through change feeds, as on vCenter.
 */
final class FakeMetadata {
  private final Map<String, TagCategory> categories = new LinkedHashMap<>();
  private final Map<String, Tag> tags = new LinkedHashMap<>();
  private final Map<MoRef, Set<String>> attached = new LinkedHashMap<>();
  private final List<CustomFieldDef> fields = new ArrayList<>();
  private int nextId = 1;

  TagCategory addCategory(String name) {
    if (categories.values().stream().anyMatch(c -> c.name().equals(name))) {
      throw new VsphereException.DuplicateName("category " + name + " exists", null);
    }
    TagCategory c =
        new TagCategory(
            "urn:vmomi:InventoryServiceCategory:" + nextId++ + ":GLOBAL", name, false, List.of());
    categories.put(c.id(), c);
    return c;
  }

  Tag addTag(TagCategory category, String name) {
    requireCategory(category.id());
    if (tags.values().stream()
        .anyMatch(t -> t.categoryId().equals(category.id()) && t.name().equals(name))) {
      throw new VsphereException.DuplicateName("tag " + name + " exists", null);
    }
    Tag t = new Tag("urn:vmomi:InventoryServiceTag:" + nextId++ + ":GLOBAL", name, category.id());
    tags.put(t.id(), t);
    return t;
  }

  List<TagCategory> categories() {
    return List.copyOf(categories.values());
  }

  List<Tag> tags(TagCategory category) {
    requireCategory(category.id());
    return tags.values().stream().filter(t -> t.categoryId().equals(category.id())).toList();
  }

  List<String> attached(MoRef object) {
    return List.copyOf(attached.getOrDefault(object, Set.of()));
  }

  void attach(String tagId, MoRef object) {
    requireTag(tagId);
    attached.computeIfAbsent(object, o -> new LinkedHashSet<>()).add(tagId);
  }

  void detach(String tagId, MoRef object) {
    requireTag(tagId);
    Set<String> ids = attached.get(object);
    if (ids != null) {
      ids.remove(tagId);
    }
  }

  /** Removes a field definition, as an administrator deleting a custom attribute would. */
  void removeField(int key) {
    fields.removeIf(f -> f.key() == key);
  }

  List<CustomFieldDef> fields() {
    return List.copyOf(fields);
  }

  /**
   * @param type the managed object type, or null for a global field
   */
  CustomFieldDef addField(String name, String type) {
    for (CustomFieldDef f : fields) {
      if (f.name().equals(name)
          && (f.managedObjectType() == null
              || type == null
              || f.managedObjectType().equals(type))) {
        throw new VsphereException.DuplicateName("custom field " + name + " exists", null);
      }
    }
    CustomFieldDef f = new CustomFieldDef(nextId++, name, type);
    fields.add(f);
    return f;
  }

  CustomFieldDef requireField(int key) {
    return fields.stream()
        .filter(f -> f.key() == key)
        .findFirst()
        .orElseThrow(
            () ->
                new VsphereException(
                    "InvalidArgument", "InvalidArgument: no custom field " + key, false));
  }

  private void requireCategory(String id) {
    if (!categories.containsKey(id)) {
      throw new VsphereException.ManagedObjectNotFound(
          "category " + id + " not found", new MoRef("TagCategory", id));
    }
  }

  private void requireTag(String id) {
    if (!tags.containsKey(id)) {
      throw new VsphereException.ManagedObjectNotFound(
          "tag " + id + " not found", new MoRef("Tag", id));
    }
  }
}
