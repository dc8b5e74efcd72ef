package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Kind;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Op;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates the {@code UpdateSet} of a WaitForUpdatesEx response into {@link ObjectChange}s with
 * the neutral keys and domain values documented there.
 */
final class UpdateSetReader {
  private static final Logger LOG = LoggerFactory.getLogger(UpdateSetReader.class);

  /** vim25 property path to neutral key, per object type, in the order the filter asks for. */
  static final Map<String, String> VM_KEYS =
      linked(
          "name", "name",
          "parent", "parent",
          "runtime.powerState", "powerState",
          "config.hardware.numCPU", "cpu",
          "config.hardware.memoryMB", "memoryMiB",
          "config.template", "template",
          "config.instanceUuid", "instanceUuid",
          "guest.ipAddress", "ipAddress",
          "config.extraConfig", "extraConfig",
          "config.cpuHotAddEnabled", "cpuHotAdd",
          "config.memoryHotAddEnabled", "memoryHotAdd",
          "snapshot.currentSnapshot", "currentSnapshot");

  static final Map<String, String> FOLDER_KEYS = linked("name", "name", "parent", "parent");

  static final Map<String, String> TASK_KEYS =
      linked("info.state", "state", "info.result", "result", "info.error", "error");

  /** One UpdateSet: the version to wait from next, and the changes. */
  record Updates(String version, boolean truncated, List<ObjectChange> changes) {}

  private final String extraConfigPrefix;

  UpdateSetReader(String extraConfigPrefix) {
    this.extraConfigPrefix = extraConfigPrefix;
  }

  /**
   * @param response the {@code WaitForUpdatesExResponse} element
   * @return null when the server returned no UpdateSet (the wait timed out without changes)
   */
  Updates read(XmlElement response) {
    XmlElement set = response.child("returnval");
    if (set == null) {
      return null;
    }
    List<ObjectChange> changes = new ArrayList<>();
    for (XmlElement filterUpdate : set.children("filterSet")) {
      for (XmlElement update : filterUpdate.children("objectSet")) {
        ObjectChange c = objectChange(update);
        if (c != null) {
          changes.add(c);
        }
      }
    }
    return new Updates(
        set.childText("version"), "true".equals(set.childText("truncated")), changes);
  }

  private ObjectChange objectChange(XmlElement update) {
    MoRef ref = update.childMoRef("obj");
    if (ref == null) {
      throw new VsphereException.Protocol("ObjectUpdate without obj", null);
    }
    Kind kind = kind(ref.type());
    if (kind == null) {
      return null; // the views themselves, or anything else a traversal touched
    }
    String k = update.childText("kind");
    Op op =
        switch (k == null ? "" : k) {
          case "enter" -> Op.ENTER;
          case "modify" -> Op.MODIFY;
          case "leave" -> Op.LEAVE;
          default ->
              throw new VsphereException.Protocol(
                  "ObjectUpdate of " + ref + " has unknown kind " + Redaction.serverText(k), null);
        };
    Map<String, Object> values = new LinkedHashMap<>();
    if (op == Op.LEAVE) {
      return new ObjectChange(ref, kind, op, values);
    }
    Map<String, String> keys = keys(kind);
    if (op == Op.ENTER) {
      // an entering object carries every watched property; unset ones are simply not sent
      for (String key : keys.values()) {
        values.put(key, null);
      }
    }
    for (XmlElement change : update.children("changeSet")) {
      String path = change.childText("name");
      String key = keys.get(path);
      if (key == null) {
        LOG.debug("ignoring change of {} on {}", path, ref);
        continue;
      }
      String changeOp = change.childText("op");
      XmlElement val = change.child("val");
      boolean removed = "remove".equals(changeOp) || "indirectRemove".equals(changeOp);
      values.put(key, removed || val == null ? null : value(ref, path, val));
    }
    return new ObjectChange(ref, kind, op, values);
  }

  private static Kind kind(String type) {
    return switch (type) {
      case "VirtualMachine" -> Kind.VM;
      case "Folder" -> Kind.FOLDER;
      case "Task" -> Kind.TASK;
      default -> null;
    };
  }

  private static Map<String, String> keys(Kind kind) {
    return switch (kind) {
      case VM -> VM_KEYS;
      case FOLDER -> FOLDER_KEYS;
      case TASK -> TASK_KEYS;
    };
  }

  private Object value(MoRef ref, String path, XmlElement val) {
    return switch (path) {
      case "name" -> SoapVsphereClient.decodeName(val.text().trim());
      case "parent" -> val.asMoRef();
      case "runtime.powerState" -> SoapVsphereClient.powerState(val.text().trim());
      case "config.hardware.numCPU" -> count(ref, path, val);
      case "config.hardware.memoryMB" -> number(ref, path, val);
      case "config.template", "config.cpuHotAddEnabled", "config.memoryHotAddEnabled" ->
          Boolean.parseBoolean(val.text().trim());
      case "snapshot.currentSnapshot" -> val.asMoRef();
      case "config.instanceUuid", "guest.ipAddress" -> val.text().trim();
      case "config.extraConfig" -> SoapVsphereClient.extraConfig(val, extraConfigPrefix);
      case "info.state" -> SoapVsphereClient.taskState(ref, val.text().trim());
      // a clone's result is the new VM; other results (or none) are not references
      case "info.result" -> "ManagedObjectReference".equals(val.xsiType()) ? val.asMoRef() : null;
      case "info.error" -> FaultMapper.fromLocalizedMethodFault("task " + ref, val);
      default -> throw new IllegalStateException("no mapping for " + path);
    };
  }

  /** A count that must fit an int: a cast would wrap 2^32 + 1 CPUs around to 1. */
  private static int count(MoRef ref, String path, XmlElement val) {
    long n = number(ref, path, val);
    if (n < 0 || n > Integer.MAX_VALUE) {
      throw new VsphereException.Protocol(path + " of " + ref + " is out of range", null);
    }
    return (int) n;
  }

  private static long number(MoRef ref, String path, XmlElement val) {
    try {
      return Long.parseLong(val.text().trim());
    } catch (NumberFormatException e) {
      throw new VsphereException.Protocol(path + " of " + ref + " is not a number", null);
    }
  }

  private static Map<String, String> linked(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }
}
