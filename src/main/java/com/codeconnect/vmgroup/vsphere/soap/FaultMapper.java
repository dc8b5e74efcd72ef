package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;

/**
 * Turns vim25 faults (SOAP faults of a call, or the {@code LocalizedMethodFault} of a task or a
 * missing property) into {@link VsphereException}s. Messages are built from the fault type, the
 * server's message and object references only, never from request content.
 */
final class FaultMapper {
  private FaultMapper() {}

  /**
   * Maps the {@code Fault} element of a SOAP body. The typed fault is the element inside {@code
   * detail}; a fault without one (e.g. a parse error reported by the server) keeps its faultcode.
   */
  static VsphereException fromSoapFault(String method, XmlElement fault) {
    String faultString = Redaction.serverText(fault.childText("faultstring"));
    XmlElement detail = fault.child("detail");
    XmlElement typed =
        detail == null || detail.children().isEmpty() ? null : detail.children().get(0);
    if (typed == null) {
      String code = fault.childText("faultcode");
      return new VsphereException(
          code == null ? "SoapFault" : Redaction.faultType(code.substring(code.indexOf(':') + 1)),
          message(method, "SoapFault", faultString),
          false);
    }
    return fromMethodFault(method, typed, faultString);
  }

  /** Maps a {@code LocalizedMethodFault} (fault + localizedMessage), e.g. a task's error. */
  static VsphereException fromLocalizedMethodFault(String context, XmlElement lmf) {
    XmlElement fault = lmf.child("fault");
    String msg = Redaction.serverText(lmf.childText("localizedMessage"));
    if (fault == null) {
      return new VsphereException("MethodFault", message(context, "MethodFault", msg), false);
    }
    return fromMethodFault(context, fault, msg);
  }

  static String faultType(XmlElement fault) {
    if (fault.xsiType() != null) {
      return Redaction.faultType(fault.xsiType());
    }
    String n = fault.name();
    return Redaction.faultType(
        n.endsWith("Fault") && n.length() > "Fault".length()
            ? n.substring(0, n.length() - "Fault".length())
            : n);
  }

  private static VsphereException fromMethodFault(
      String context, XmlElement fault, String serverMessage) {
    String type = faultType(fault);
    return switch (type) {
      case "NotAuthenticated" ->
          new VsphereException.NotAuthenticated(message(context, type, serverMessage));
      case "InvalidLogin" ->
          new VsphereException.InvalidLogin(message(context, type, serverMessage));
      case "DuplicateName" -> {
        MoRef existing = fault.childMoRef("object");
        String name = Redaction.serverText(fault.childText("name"));
        String detail =
            (name == null ? "" : "name '" + name + "'")
                + (existing == null ? "" : (name == null ? "" : " ") + "held by " + existing);
        yield new VsphereException.DuplicateName(
            message(context, type, join(serverMessage, detail)), existing);
      }
      case "ManagedObjectNotFound" -> {
        MoRef obj = fault.childMoRef("obj");
        yield new VsphereException.ManagedObjectNotFound(
            message(context, type, join(serverMessage, obj == null ? "" : "object " + obj)), obj);
      }
      case "InvalidPowerState" ->
          new VsphereException.InvalidPowerState(message(context, type, serverMessage));
      case "TaskInProgress" ->
          new VsphereException.TaskInProgress(message(context, type, serverMessage));
      default -> new VsphereException(type, message(context, type, serverMessage), false);
    };
  }

  private static String join(String a, String b) {
    if (a == null || a.isBlank()) {
      return b;
    }
    return b == null || b.isBlank() ? a : a + " (" + b + ")";
  }

  private static String message(String context, String type, String detail) {
    StringBuilder sb = new StringBuilder();
    if (context != null) {
      sb.append(context).append(": ");
    }
    sb.append(type);
    if (detail != null && !detail.isBlank()) {
      sb.append(": ").append(detail.trim());
    }
    return sb.toString();
  }
}
