package com.codeconnect.vmgroup.vsphere.rest;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.Tag;
import com.codeconnect.vmgroup.vsphere.TagCategory;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.rest.RestCalls.Request;
import com.codeconnect.vmgroup.vsphere.rest.RestSession.Token;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tag categories, tags and their associations over the REST API. */
final class TagCalls {
  private final RestCalls calls;

  TagCalls(RestCalls calls) {
    this.calls = calls;
  }

  List<TagCategory> categories(Token t) {
    ApiFlavor f = t.flavor();
    List<TagCategory> out = new ArrayList<>();
    for (String id : ids(t, Request.get("category.list", f.categories(), null))) {
      Wire.Category c;
      try {
        c =
            calls.call(
                f,
                t.id(),
                Request.get("category.get", f.category(id), null),
                Wire.Category.class,
                null);
      } catch (VsphereException.ManagedObjectNotFound gone) {
        continue; // deleted since it was listed
      }
      if (c == null || c.id() == null || c.name() == null) {
        throw incomplete("category.get");
      }
      out.add(
          new TagCategory(c.id(), c.name(), "SINGLE".equals(c.cardinality()), c.associableTypes()));
    }
    return out;
  }

  List<Tag> tags(Token t, TagCategory category) {
    ApiFlavor f = t.flavor();
    MoRef about = new MoRef("TagCategory", category.id());
    List<Tag> out = new ArrayList<>();
    for (String id :
        ids(
            t,
            Request.post(
                "tag.list",
                f.tagsOfCategory(category.id()),
                f.tagsOfCategoryBody(category.id()),
                about))) {
      Wire.Tag w;
      try {
        w = calls.call(f, t.id(), Request.get("tag.get", f.tag(id), null), Wire.Tag.class, null);
      } catch (VsphereException.ManagedObjectNotFound gone) {
        continue;
      }
      if (w == null || w.id() == null || w.name() == null) {
        throw incomplete("tag.get");
      }
      out.add(new Tag(w.id(), w.name(), w.categoryId() == null ? category.id() : w.categoryId()));
    }
    return out;
  }

  List<String> attached(Token t, MoRef object) {
    ApiFlavor f = t.flavor();
    return ids(
        t,
        Request.post(
            "tag.attached", f.attachedTags(), Map.of("object_id", objectId(object)), object));
  }

  /** One batch call; vCenter answers 200 with the tags it could not attach listed. */
  Void attach(Token t, List<String> tags, MoRef object) {
    return batch(t, "tag.attach", t.flavor().attachMultiple(), tags, object);
  }

  Void detach(Token t, List<String> tags, MoRef object) {
    return batch(t, "tag.detach", t.flavor().detachMultiple(), tags, object);
  }

  private Void batch(Token t, String op, String path, List<String> tags, MoRef object) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("object_id", objectId(object));
    body.put("tag_ids", tags);
    Wire.Batch result =
        calls.call(
            t.flavor(), t.id(), Request.post(op, path, body, object), Wire.Batch.class, null);
    if (result == null) {
      throw new VsphereException.Protocol(op + " on " + calls.hostPort() + ": empty answer", null);
    }
    if (!result.success()) {
      throw new VsphereException(
          "InvalidArgument",
          op
              + " on "
              + calls.hostPort()
              + " for "
              + object
              + " failed: "
              + RestErrors.bounded(
                  result.errors() == null
                      ? ""
                      : String.join(
                          "; ", result.errors().stream().map(Wire.BatchError::describe).toList())),
          false);
    }
    return null;
  }

  /** A vCenter object as the tagging API names it: its type and its id. */
  private static Map<String, String> objectId(MoRef o) {
    return Map.of("type", o.type(), "id", o.value());
  }

  private List<String> ids(Token t, Request r) {
    String[] ids = calls.call(t.flavor(), t.id(), r, String[].class, null);
    return ids == null ? List.of() : Arrays.asList(ids);
  }

  private VsphereException incomplete(String op) {
    return new VsphereException.Protocol(
        op + " on " + calls.hostPort() + ": answer without id or name", null);
  }
}
