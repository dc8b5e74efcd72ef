package com.codeconnect.vmgroup.vsphere.rest;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;

/**
 * Turns a REST error answer into the {@link VsphereException} a SOAP fault of the same meaning
 * would be, so callers classify both alike: by the vAPI error type the body names ({@code
 * com.vmware.vapi.std.errors.not_found} under {@code /rest}, {@code NOT_FOUND} under {@code /api}),
 * else by the HTTP status. Messages are built from the operation, the type and the server's own
 * messages, bounded and with the client's secrets masked.
 */
final class RestErrors {
  static final int MAX_SERVER_TEXT = 2000;
  private static final String VAPI_PREFIX = "com.vmware.vapi.std.errors.";

  /**
   * The vAPI's standard error types. Only these are taken as a type: anything else in that place is
   * server text (and masked as such), never a fault type that could carry a secret unmasked.
   */
  private static final java.util.Set<String> KINDS =
      java.util.Set.of(
          "ALREADY_EXISTS",
          "ALREADY_IN_DESIRED_STATE",
          "CANCELED",
          "CONCURRENT_CHANGE",
          "ERROR",
          "FEATURE_IN_USE",
          "INTERNAL_SERVER_ERROR",
          "INVALID_ARGUMENT",
          "INVALID_ELEMENT_CONFIGURATION",
          "INVALID_ELEMENT_TYPE",
          "INVALID_REQUEST",
          "NOT_ALLOWED_IN_CURRENT_STATE",
          "NOT_FOUND",
          "OPERATION_NOT_FOUND",
          "RESOURCE_BUSY",
          "RESOURCE_IN_USE",
          "RESOURCE_INACCESSIBLE",
          "SERVICE_UNAVAILABLE",
          "TIMED_OUT",
          "UNABLE_TO_ALLOCATE_RESOURCE",
          "UNAUTHENTICATED",
          "UNAUTHORIZED",
          "UNEXPECTED_INPUT",
          "UNSUPPORTED",
          "UNVERIFIED_PEER");

  private RestErrors() {}

  /** The error type and the server's messages, as far as the body says. */
  record Parsed(String kind, String text) {}

  /**
   * @param about the object the call was about, for ManagedObjectNotFound; may be null
   * @param mask masks the client's secrets in server text
   */
  static VsphereException of(
      ObjectMapper json,
      String op,
      String hostPort,
      int status,
      byte[] body,
      MoRef about,
      UnaryOperator<String> mask) {
    Parsed p = parse(json, body, mask);
    String kind = p.kind() != null ? p.kind() : byStatus(status);
    String message =
        mask.apply(
            op
                + " on "
                + hostPort
                + ": "
                + kind
                + " (HTTP "
                + status
                + ")"
                + (p.text().isEmpty() ? "" : ": " + p.text()));
    return switch (kind) {
      case "UNAUTHENTICATED" -> new VsphereException.NotAuthenticated(message);
      case "UNAUTHORIZED" -> new VsphereException("NoPermission", message, false);
      case "NOT_FOUND" -> new VsphereException.ManagedObjectNotFound(message, about);
      case "ALREADY_EXISTS" -> new VsphereException.DuplicateName(message, null);
      case "RESOURCE_BUSY", "RESOURCE_IN_USE", "CONCURRENT_CHANGE" ->
          new VsphereException.TaskInProgress(message);
      case "SERVICE_UNAVAILABLE",
          "TIMED_OUT",
          "RESOURCE_INACCESSIBLE",
          "SERVER_ERROR",
          "INTERNAL_SERVER_ERROR",
          "ERROR" ->
          new VsphereException.Transport(message, null);
      case "INVALID_ARGUMENT",
          "INVALID_ELEMENT_TYPE",
          "INVALID_ELEMENT_CONFIGURATION",
          "INVALID_REQUEST",
          "UNEXPECTED_INPUT",
          "OPERATION_NOT_FOUND" ->
          new VsphereException("InvalidArgument", message, false);
      case "NOT_ALLOWED_IN_CURRENT_STATE" -> new VsphereException("InvalidState", message, false);
      case "UNSUPPORTED", "FEATURE_IN_USE" -> new VsphereException("NotSupported", message, false);
      case "UNVERIFIED_PEER" -> new VsphereException.CertificateRejected(message, null);
      case "UNABLE_TO_ALLOCATE_RESOURCE" ->
          new VsphereException("InsufficientResources", message, false);
      case "CANCELED" -> new VsphereException("RequestCanceled", message, true);
      default ->
          status >= 500
              ? new VsphereException.Transport(message, null)
              : new VsphereException(kind, message, false);
    };
  }

  /** What an HTTP status alone says, in the vAPI's words. */
  static String byStatus(int status) {
    return switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "UNAUTHORIZED";
      case 404 -> "NOT_FOUND";
      case 409 -> "CONCURRENT_CHANGE";
      case 429, 503 -> "SERVICE_UNAVAILABLE";
      default -> status >= 500 ? "SERVER_ERROR" : "HTTP" + status;
    };
  }

  /**
   * Reads what it can: a body that is no JSON, or JSON of another shape (a proxy's error page,
   * govmomi's simulator's plain-text 404), leaves the status to speak. Secrets are masked before
   * the text is cut, so a cut can't leave part of one behind.
   */
  static Parsed parse(ObjectMapper json, byte[] body, UnaryOperator<String> mask) {
    if (body == null || body.length == 0) {
      return new Parsed(null, "");
    }
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      return new Parsed(null, "");
    }
    if (root == null || !root.isObject()) {
      return new Parsed(null, "");
    }
    String kind = null;
    String stray = null;
    JsonNode type = root.has("error_type") ? root.get("error_type") : root.get("type");
    if (type != null && type.isTextual()) {
      kind = kind(type.asText());
      if (kind == null) {
        // govmomi's simulator puts a fault's text where the type belongs
        stray = type.asText();
      }
    }
    JsonNode messages =
        root.has("messages") ? root.get("messages") : root.path("value").get("messages");
    StringJoiner text = new StringJoiner("; ");
    if (messages != null && messages.isArray()) {
      for (JsonNode m : messages) {
        String t = m.isTextual() ? m.asText() : m.path("default_message").asText("");
        if (!t.isBlank()) {
          text.add(t);
        }
      }
    }
    if (stray != null && !stray.isBlank()) {
      text.add(stray);
    }
    return new Parsed(kind, bounded(mask.apply(text.toString())));
  }

  /**
   * A vAPI error type in the {@code /api} form ({@code NOT_FOUND}), or null when the text is none
   * of the standard types.
   */
  static String kind(String type) {
    String t = type.trim();
    if (t.startsWith(VAPI_PREFIX)) {
      t = t.substring(VAPI_PREFIX.length());
    }
    String k = t.toUpperCase(Locale.ROOT);
    return KINDS.contains(k) ? k : null;
  }

  /** Server text for a message: control characters escaped, length bounded. */
  static String bounded(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_SERVER_TEXT) + 4);
    for (int i = 0; i < s.length(); i++) {
      if (b.length() >= MAX_SERVER_TEXT) {
        return b.append("...").toString();
      }
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        b.append(c == '\n' || c == '\t' ? " " : String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
