package com.codeconnect.vmgroup.vsphere.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The JSON answers the client reads, field for field as vCenter names them; fields the client
 * doesn't use are ignored, as vCenter adds fields from release to release. Nothing outside this
 * package sees these: the client turns them into the seam's records.
 */
final class Wire {
  private Wire() {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Library(String id, String name, String type) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Item(
      String id,
      String name,
      String type,
      @JsonProperty("library_id") String libraryId,
      @JsonProperty("content_version") String contentVersion) {}

  /** An OVF deploy's answer: whether it worked, the new entity, and what went wrong. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record OvfDeployment(
      boolean succeeded, @JsonProperty("resource_id") ResourceId resourceId, OvfErrors error) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ResourceId(String type, String id) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record OvfErrors(List<OvfError> errors) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record OvfError(String category, VapiError error, Message message) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record VapiError(@JsonProperty("@class") String type, List<Message> messages) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Message(String id, @JsonProperty("default_message") String defaultMessage) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Category(
      String id,
      String name,
      String cardinality,
      @JsonProperty("associable_types") List<String> associableTypes) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Tag(String id, String name, @JsonProperty("category_id") String categoryId) {}

  /** A batch association's answer: vCenter answers 200 and lists what failed. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Batch(boolean success, @JsonProperty("error_messages") List<BatchError> errors) {}

  /**
   * One failure of a batch: {@code /rest} and the simulator send a type and message, {@code /api}
   * the vAPI's message structure; either is read.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record BatchError(
      String type,
      String message,
      String id,
      @JsonProperty("default_message") String defaultMessage) {
    String describe() {
      String text = defaultMessage != null ? defaultMessage : message;
      String kind = type != null ? type : id;
      return (kind == null ? "" : kind + ": ") + (text == null ? "" : text);
    }
  }
}
