package com.codeconnect.vmgroup.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a real API server checks about {@code events.k8s.io/v1} Events and Fabric8's mock doesn't:
 * on create, an Event lives in the namespace of the object it is about, or in {@code default} when
 * that object is cluster-scoped; on update, only {@code series} (and metadata) may change.
 */
final class EventRules {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern EVENTS =
      Pattern.compile("^/apis/events\\.k8s\\.io/v1/namespaces/([^/]+)/events(/[^/?]+)?(\\?.*)?$");

  /** The fields of an events.k8s.io/v1 Event that can't change once it exists. */
  static final List<String> IMMUTABLE =
      List.of(
          "note",
          "reason",
          "action",
          "type",
          "eventTime",
          "regarding",
          "related",
          "reportingController",
          "reportingInstance",
          "deprecatedSource",
          "deprecatedFirstTimestamp",
          "deprecatedLastTimestamp",
          "deprecatedCount");

  private EventRules() {}

  /** Why the server refuses to create this Event, or null (also for anything not an Event). */
  static String refusesCreate(String path, String body) {
    var m = EVENTS.matcher(path);
    if (!m.matches() || m.group(2) != null) {
      return null;
    }
    String namespace = m.group(1);
    JsonNode event = read(body);
    String regarding = event.path("regarding").path("namespace").asText("");
    if (regarding.isEmpty()) {
      return namespace.equals("default")
          ? null
          : "Event is invalid: regarding.namespace: Invalid value: \"\": does not match"
              + " event.namespace";
    }
    return regarding.equals(namespace)
        ? null
        : "Event is invalid: regarding.namespace: Invalid value: \""
            + regarding
            + "\": does not match event.namespace";
  }

  /** True for the path of one Event, which a patch or update may change. */
  static boolean isEvent(String path) {
    var m = EVENTS.matcher(path);
    return m.matches() && m.group(2) != null;
  }

  /**
   * Why the server refuses this JSON merge patch or whole-object update of an Event, or null: it
   * would change an immutable field of the Event stored as {@code stored}.
   */
  static String refusesChange(String body, String stored) {
    JsonNode change = read(body);
    JsonNode before = read(stored);
    if (!(change instanceof ObjectNode o)) {
      return null;
    }
    for (String field : IMMUTABLE) {
      if (o.has(field) && !o.get(field).equals(before.path(field))) {
        return "Event is invalid: " + field + ": Invalid value: field is immutable";
      }
    }
    return null;
  }

  static MockResponse invalid(String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", "Invalid");
    status.put("code", 422);
    return new MockResponse().setResponseCode(422).setBody(status.toString());
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (java.io.IOException e) {
      return JSON.createObjectNode();
    }
  }
}
