package com.codeconnect.vmgroup.vsphere.rest;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two renderings of vCenter's REST API and where each keeps an operation. {@link #API} ({@code
 * /api}, vSphere 7.0 U2 and later) takes an operation's single structure as the body and answers
 * with the bare result; {@link #REST} ({@code /rest}, vSphere 6.5 to 7, deprecated but still served
 * by 8) wraps both in an object ({@code {"spec": ...}}, {@code {"value": ...}}), addresses objects
 * as {@code id:<id>} and names actions {@code ~action} in its {@code com/vmware} namespace.
 */
enum ApiFlavor {
  API,
  REST;

  String session() {
    return this == API ? "/api/session" : "/rest/com/vmware/cis/session";
  }

  // ---------------------------------------------------------------- content library

  String libraries() {
    return this == API ? "/api/content/library" : "/rest/com/vmware/content/library";
  }

  String findLibraries() {
    return libraries() + action("find");
  }

  Object findLibrariesBody(String name) {
    return spec(Map.of("name", name));
  }

  String library(String id) {
    return libraries() + "/" + id(id);
  }

  String items(String libraryId) {
    return itemBase() + "?library_id=" + query(libraryId);
  }

  String findItems() {
    return itemBase() + action("find");
  }

  Object findItemsBody(String libraryId, String name) {
    Map<String, Object> find = new LinkedHashMap<>();
    find.put("library_id", libraryId);
    find.put("name", name);
    return spec(find);
  }

  String item(String id) {
    return itemBase() + "/" + id(id);
  }

  private String itemBase() {
    return libraries() + "/item";
  }

  /** Both renderings keep this one under {@code vcenter/}, with a plain id and {@code action}. */
  String deployVmTemplate(String itemId) {
    return (this == API ? "/api" : "/rest")
        + "/vcenter/vm-template/library-items/"
        + segment(itemId)
        + "?action=deploy";
  }

  Object deployVmTemplateBody(Map<String, Object> deploySpec) {
    return spec(deploySpec);
  }

  String deployOvf(String itemId) {
    return (this == API
            ? "/api/vcenter/ovf/library-item/"
            : "/rest/com/vmware/vcenter/ovf/library-item/")
        + id(itemId)
        + action("deploy");
  }

  /**
   * A map as each rendering sends it: a JSON object under {@code /api}, a list of {@code {key,
   * value}} under {@code /rest}.
   */
  Object map(Map<String, String> m) {
    if (this == API) {
      return m;
    }
    return m.entrySet().stream()
        .map(e -> Map.of("key", e.getKey(), "value", e.getValue()))
        .toList();
  }

  // ---------------------------------------------------------------- tagging

  String categories() {
    return this == API ? "/api/cis/tagging/category" : "/rest/com/vmware/cis/tagging/category";
  }

  String category(String id) {
    return categories() + "/" + id(id);
  }

  /** {@code /rest} names the category in the path, {@code /api} in the body. */
  String tagsOfCategory(String categoryId) {
    return this == API
        ? tagBase() + action("list-tags-for-category")
        : tagBase() + "/" + id(categoryId) + action("list-tags-for-category");
  }

  Object tagsOfCategoryBody(String categoryId) {
    return this == API ? Map.of("category_id", categoryId) : null;
  }

  String tag(String id) {
    return tagBase() + "/" + id(id);
  }

  private String tagBase() {
    return this == API ? "/api/cis/tagging/tag" : "/rest/com/vmware/cis/tagging/tag";
  }

  String attachedTags() {
    return associationBase() + action("list-attached-tags");
  }

  String attachMultiple() {
    return associationBase() + action("attach-multiple-tags-to-object");
  }

  String detachMultiple() {
    return associationBase() + action("detach-multiple-tags-from-object");
  }

  private String associationBase() {
    return this == API
        ? "/api/cis/tagging/tag-association"
        : "/rest/com/vmware/cis/tagging/tag-association";
  }

  // ---------------------------------------------------------------- rendering

  /** An operation's single structure: bare under {@code /api}, wrapped under {@code /rest}. */
  private Object spec(Object structure) {
    return this == API ? structure : Map.of("spec", structure);
  }

  private String action(String name) {
    return (this == API ? "?action=" : "?~action=") + name;
  }

  private String id(String id) {
    return this == API ? segment(id) : "id:" + segment(id);
  }

  /**
   * An id as one path segment: vCenter's ids (e.g. {@code urn:vmomi:InventoryServiceTag:...}) keep
   * their colons, anything that could end or escape the segment is percent-encoded.
   */
  static String segment(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~:@".indexOf(c) >= 0) {
        b.append((char) c);
      } else {
        b.append('%').append(String.format("%02X", c & 0xff));
      }
    }
    return b.toString();
  }

  private static String query(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
