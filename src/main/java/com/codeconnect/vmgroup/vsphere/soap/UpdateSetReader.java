package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Kind;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Op;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.ArrayList;
import java.util.HashMap;
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
    Map<String, List<String>> keys = keys(kind);
    if (op == Op.ENTER) {
      // an entering object carries every watched property; unset ones are simply not sent
      for (List<String> ks : keys.values()) {
        ks.forEach(key -> values.put(key, null));
      }
    }
    for (XmlElement change : update.children("changeSet")) {
      String path = change.childText("name");
      List<String> ks = keys.get(path);
      if (ks == null) {
        LOG.debug("ignoring change of {} on {}", path, ref);
        continue;
      }
      String changeOp = change.childText("op");
      XmlElement val = change.child("val");
      boolean removed = "remove".equals(changeOp) || "indirectRemove".equals(changeOp);
      if (removed || val == null) {
        ks.forEach(key -> values.put(key, null));
      } else {
        values.putAll(SoapDecoding.values(ref, path, val, extraConfigPrefix));
      }
    }
    return new ObjectChange(ref, kind, op, values);
  }

  /** A watched cluster the server can no longer resolve: it left, as a destroyed one does. */
  static ObjectChange vanishedCluster(MoRef cluster) {
    return new ObjectChange(cluster, Kind.CLUSTER, Op.LEAVE, Map.of());
  }

  /**
   * The change that reports a task the server can no longer resolve: failed with {@code cause}, as
   * {@link SoapDecoding#taskInfo} reports such a task when it is read directly.
   */
  static ObjectChange vanishedTask(MoRef task, VsphereException cause) {
    Map<String, Object> values = new HashMap<>();
    values.put("state", TaskInfo.State.ERROR);
    values.put("result", null);
    values.put("error", cause);
    return new ObjectChange(task, Kind.TASK, Op.ENTER, values);
  }

  private static Kind kind(String type) {
    return switch (type) {
      case "VirtualMachine" -> Kind.VM;
      case "Folder" -> Kind.FOLDER;
      case "Task" -> Kind.TASK;
      case "ClusterComputeResource" -> Kind.CLUSTER;
      default -> null;
    };
  }

  private static Map<String, List<String>> keys(Kind kind) {
    return switch (kind) {
      case VM -> SoapDecoding.VM_KEYS;
      case FOLDER -> SoapDecoding.FOLDER_KEYS;
      case TASK -> SoapDecoding.TASK_KEYS;
      case CLUSTER -> SoapDecoding.CLUSTER_KEYS;
    };
  }
}
