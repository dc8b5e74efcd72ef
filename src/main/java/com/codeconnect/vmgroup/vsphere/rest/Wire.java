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
