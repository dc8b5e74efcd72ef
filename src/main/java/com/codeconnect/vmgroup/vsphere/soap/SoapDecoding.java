package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.GuestState;
import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.ToolsStatus;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * vim25 property values to domain values, for both ways the client reads them: whole objects
 * ({@code ObjectContent} of RetrievePropertiesEx, into {@link VmInfo} and {@link TaskInfo}) and
 * changes (the UpdateSets of WaitForUpdatesEx, which {@link UpdateSetReader} turns into neutral
 * keys). Each property is decoded in one place, so a list and the change feed see a VM alike.
 */
final class SoapDecoding {
  private SoapDecoding() {}

  /**
   * vim25 property path to the neutral keys it feeds, per object type, in the order requests ask
   * for them. Most paths feed one key; a property the operator reads two ways feeds two.
   */
  static final Map<String, List<String>> VM_KEYS =
      linked(
          "name", "name",
          "parent", "parent",
          "runtime.powerState", "powerState",
          "config.hardware.numCPU", "cpu",
          "config.hardware.memoryMB", "memoryMiB",
          "config.template", "template",
          "config.instanceUuid", "instanceUuid",
          "guest.ipAddress", "ipAddress",
          "config.extraConfig", "extraConfig,guestInfo",
          "customValue", "customValues",
          "config.cpuHotAddEnabled", "cpuHotAdd",
          "config.memoryHotAddEnabled", "memoryHotAdd",
          "snapshot.currentSnapshot", "currentSnapshot",
          // VMware Tools' view, for readiness: each a small value that changes when the guest's
          // health does (guest.net is the whole NIC list, as vim25 can't address into an array)
          "guest.toolsRunningStatus", "toolsStatus",
          "guestHeartbeatStatus", "heartbeat",
          "guest.net", "ipAddresses");

  static final Map<String, List<String>> FOLDER_KEYS = linked("name", "name", "parent", "parent");

  static final Map<String, List<String>> TASK_KEYS =
      linked("info.state", "state", "info.result", "result", "info.error", "error");

  /**
   * A watched cluster. {@code configurationEx} as a whole: its rules are a field of the subtype
   * ClusterConfigInfoEx, which a property path through the declared ComputeResourceConfigInfo can't
   * name.
   */
  static final Map<String, List<String>> CLUSTER_KEYS =
      linked("name", "name", "configurationEx", "drsEnabled,rules");

  static final List<String> VM_PATHS = List.copyOf(VM_KEYS.keySet());
  static final List<String> NAME_PARENT = List.copyOf(FOLDER_KEYS.keySet());
  static final List<String> TASK_PATHS = List.copyOf(TASK_KEYS.keySet());
  static final List<String> CLUSTER_PATHS = List.copyOf(CLUSTER_KEYS.keySet());

  /** One object of a RetrievePropertiesEx: its properties by path, and those it could not read. */
  record ObjectContent(
      MoRef obj, Map<String, XmlElement> props, Map<String, VsphereException> missing) {
    XmlElement prop(String path) {
      return props.get(path);
    }

    /** The decoded name, or null when it was not read. */
    String name() {
      return SoapDecoding.name(prop("name"));
    }

    MoRef ref(String path) {
      return SoapDecoding.ref(prop(path));
    }
  }

  static ObjectContent objectContent(XmlElement o) {
    MoRef obj = o.childMoRef("obj");
    if (obj == null) {
      throw new VsphereException.Protocol("ObjectContent without obj", null);
    }
    Map<String, XmlElement> props = new HashMap<>();
    for (XmlElement p : o.children("propSet")) {
      XmlElement val = p.child("val");
      if (val != null) {
        props.put(p.childText("name"), val);
      }
    }
    Map<String, VsphereException> missing = new HashMap<>();
    for (XmlElement m : o.children("missingSet")) {
      XmlElement fault = m.child("fault");
      if (fault == null) {
        continue;
      }
      VsphereException e =
          FaultMapper.fromLocalizedMethodFault(obj + " " + m.childText("path"), fault);
      // a session-less read reports NotAuthenticated per property instead of faulting the call
      if (e instanceof VsphereException.NotAuthenticated) {
        throw e;
      }
      missing.put(m.childText("path"), e);
    }
    return new ObjectContent(obj, props, missing);
  }

  /** The object {@code ref} among those retrieved; what it could not read, if it read nothing. */
  static ObjectContent single(List<ObjectContent> objs, MoRef ref) {
    for (ObjectContent o : objs) {
      if (o.obj().equals(ref)) {
        if (o.props().isEmpty() && !o.missing().isEmpty()) {
          throw o.missing().values().iterator().next();
        }
        return o;
      }
    }
    throw new VsphereException.ManagedObjectNotFound("no properties returned for " + ref, ref);
  }

  /** The object a method returned (a new folder, task, view, collector or filter). */
  static MoRef returnedRef(XmlElement response, String method) {
    XmlElement rv = response.child("returnval");
    MoRef ref = rv == null ? null : rv.asMoRef();
    if (ref == null) {
      throw new VsphereException.Protocol(method + " returned no object reference", null);
    }
    return ref;
  }

  // ---------------------------------------------------------------- whole objects

  static VmInfo vm(ObjectContent o, String extraConfigPrefix) {
    MoRef ref = o.obj();
    return new VmInfo(
        ref,
        name(o.prop("name")),
        ref(o.prop("parent")),
        powerState(text(o.prop("runtime.powerState"))),
        count(ref, "config.hardware.numCPU", o.prop("config.hardware.numCPU")),
        number(ref, "config.hardware.memoryMB", o.prop("config.hardware.memoryMB")),
        flag(o.prop("config.template")),
        text(o.prop("config.instanceUuid")),
        text(o.prop("guest.ipAddress")),
        extraConfig(o.prop("config.extraConfig"), extraConfigPrefix),
        flag(o.prop("config.cpuHotAddEnabled")),
        flag(o.prop("config.memoryHotAddEnabled")),
        ref(o.prop("snapshot.currentSnapshot")),
        new GuestState(
            toolsStatus(text(o.prop("guest.toolsRunningStatus"))),
            heartbeat(text(o.prop("guestHeartbeatStatus"))),
            ipAddresses(o.prop("guest.net")),
            extraConfig(o.prop("config.extraConfig"), GuestState.GUEST_INFO_PREFIX)),
        CustomFields.values(ref, o.prop("customValue")));
  }

  /**
   * @param o the task's properties, or null when the server did not return the task
   * @param gone why the server did not, when it said so
   */
  static TaskInfo taskInfo(TaskRef t, ObjectContent o, VsphereException gone) {
    if (o == null) {
      VsphereException e =
          gone != null
              ? gone
              : new VsphereException.ManagedObjectNotFound(
                  "task " + t.ref() + " no longer exists", t.ref());
      return new TaskInfo(t, TaskInfo.State.ERROR, null, e);
    }
    TaskInfo.State st = taskState(t.ref(), text(o.prop("info.state")));
    VsphereException error = null;
    if (st == TaskInfo.State.ERROR) {
      XmlElement err = o.prop("info.error");
      error =
          err == null
              ? new VsphereException("MethodFault", "task " + t.ref() + " failed", false)
              : taskError(t.ref(), err);
    }
    return new TaskInfo(t, st, taskResult(o.prop("info.result")), error);
  }

  // ---------------------------------------------------------------- single properties

  /**
   * One property as the domain values of the neutral keys it feeds, as documented in {@link
   * com.codeconnect.vmgroup.vsphere.ObjectChange}.
   *
   * @param val the property's value, not null
   */
  static Map<String, Object> values(MoRef ref, String path, XmlElement val, String prefix) {
    return switch (path) {
      case "config.extraConfig" -> {
        Map<String, Object> both = new LinkedHashMap<>();
        both.put("extraConfig", extraConfig(val, prefix));
        both.put("guestInfo", extraConfig(val, GuestState.GUEST_INFO_PREFIX));
        yield both;
      }
      case "configurationEx" -> {
        Map<String, Object> both = new LinkedHashMap<>();
        both.put("drsEnabled", ClusterDecoding.drsEnabled(val));
        both.put("rules", ClusterDecoding.rules(ref, val));
        yield both;
      }
      default -> {
        Map<String, Object> one = new HashMap<>();
        one.put(keyOf(path), value(ref, path, val));
        yield one;
      }
    };
  }

  private static String keyOf(String path) {
    for (Map<String, List<String>> keys : List.of(VM_KEYS, FOLDER_KEYS, TASK_KEYS, CLUSTER_KEYS)) {
      List<String> k = keys.get(path);
      if (k != null) {
        return k.get(0);
      }
    }
    throw new IllegalStateException("no mapping for " + path);
  }

  private static Object value(MoRef ref, String path, XmlElement val) {
    return switch (path) {
      case "name" -> name(val);
      case "parent", "snapshot.currentSnapshot" -> ref(val);
      case "runtime.powerState" -> powerState(text(val));
      case "config.hardware.numCPU" -> count(ref, path, val);
      case "config.hardware.memoryMB" -> number(ref, path, val);
      case "config.template", "config.cpuHotAddEnabled", "config.memoryHotAddEnabled" -> flag(val);
      case "config.instanceUuid", "guest.ipAddress" -> text(val);
      case "guest.toolsRunningStatus" -> toolsStatus(text(val));
      case "guestHeartbeatStatus" -> heartbeat(text(val));
      case "guest.net" -> ipAddresses(val);
      case "customValue" -> CustomFields.values(ref, val);
      case "info.state" -> taskState(ref, text(val));
      case "info.result" -> taskResult(val);
      case "info.error" -> taskError(ref, val);
      default -> throw new IllegalStateException("no mapping for " + path);
    };
  }

  static String text(XmlElement val) {
    return val == null ? null : val.text().trim();
  }

  static MoRef ref(XmlElement val) {
    return val == null ? null : val.asMoRef();
  }

  static String name(XmlElement val) {
    return decodeName(text(val));
  }

  static boolean flag(XmlElement val) {
    return Boolean.parseBoolean(text(val));
  }

  /** Unset or empty reads 0, as VmInfo has no way to say "unknown". */
  private static long number(MoRef ref, String path, XmlElement val) {
    String t = text(val);
    if (t == null || t.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new VsphereException.Protocol(path + " of " + ref + " is not a number", null);
    }
  }

  /** A count that must fit an int: a cast would wrap 2^32 + 1 CPUs around to 1. */
  static int count(MoRef ref, String path, XmlElement val) {
    long n = number(ref, path, val);
    if (n < 0 || n > Integer.MAX_VALUE) {
      throw new VsphereException.Protocol(path + " of " + ref + " is out of range", null);
    }
    return (int) n;
  }

  /**
   * The entries of an ArrayOfOptionValue whose keys start with {@code prefix}. vCenter sends the
   * whole array; what isn't kept (the operator's bootstrap user data among it) is dropped here.
   */
  static Map<String, String> extraConfig(XmlElement array, String prefix) {
    if (array == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (XmlElement ov : array.children()) {
      String key = ov.childText("key");
      if (key != null && key.startsWith(prefix)) {
        XmlElement v = ov.child("value");
        out.put(key, v == null ? "" : v.text());
      }
    }
    return out;
  }

  /** Unset reads as not running: what vCenter reports for a VM that never ran Tools. */
  static ToolsStatus toolsStatus(String s) {
    if (s == null || s.isEmpty()) {
      return ToolsStatus.NOT_RUNNING;
    }
    return switch (s) {
      case "guestToolsRunning" -> ToolsStatus.RUNNING;
      case "guestToolsNotRunning" -> ToolsStatus.NOT_RUNNING;
      case "guestToolsExecutingScripts" -> ToolsStatus.EXECUTING_SCRIPTS;
      default -> ToolsStatus.UNKNOWN;
    };
  }

  /**
   * Gray is vSphere's "unknown", so unset (govmomi's simulator leaves the property empty) and
   * unknown values read as gray.
   */
  static Heartbeat heartbeat(String s) {
    return switch (s == null ? "" : s) {
      case "green" -> Heartbeat.GREEN;
      case "yellow" -> Heartbeat.YELLOW;
      case "red" -> Heartbeat.RED;
      default -> Heartbeat.GRAY;
    };
  }

  /** Every address of an ArrayOfGuestNicInfo, in NIC order, each once. */
  static List<String> ipAddresses(XmlElement nics) {
    if (nics == null) {
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (XmlElement nic : nics.children()) {
      for (XmlElement ip : nic.children("ipAddress")) {
        String t = ip.text().trim();
        if (!t.isEmpty()) {
          out.add(t);
        }
      }
    }
    return List.copyOf(out);
  }

  static PowerState powerState(String s) {
    if (s == null) {
      return PowerState.UNKNOWN;
    }
    return switch (s) {
      case "poweredOn" -> PowerState.POWERED_ON;
      case "poweredOff" -> PowerState.POWERED_OFF;
      case "suspended" -> PowerState.SUSPENDED;
      default -> PowerState.UNKNOWN;
    };
  }

  static TaskInfo.State taskState(MoRef task, String state) {
    return switch (state == null ? "" : state) {
      case "queued" -> TaskInfo.State.QUEUED;
      case "running" -> TaskInfo.State.RUNNING;
      case "success" -> TaskInfo.State.SUCCESS;
      case "error" -> TaskInfo.State.ERROR;
      default ->
          throw new VsphereException.Protocol(
              "task " + task + " has unknown state " + Redaction.serverText(state), null);
    };
  }

  /** A clone's result is the new VM; other results (or none) are not references. */
  private static MoRef taskResult(XmlElement val) {
    return val != null && "ManagedObjectReference".equals(val.xsiType()) ? val.asMoRef() : null;
  }

  private static VsphereException taskError(MoRef task, XmlElement val) {
    return FaultMapper.fromLocalizedMethodFault("task " + task, val);
  }

  /**
   * vCenter stores {@code %}, {@code /} and {@code \} in names escaped; callers see names as the UI
   * shows them.
   */
  static String decodeName(String raw) {
    if (raw == null || raw.indexOf('%') < 0) {
      return raw;
    }
    StringBuilder sb = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        String code = raw.substring(i + 1, i + 3).toLowerCase(Locale.ROOT);
        String decoded =
            switch (code) {
              case "25" -> "%";
              case "2f" -> "/";
              case "5c" -> "\\";
              default -> null;
            };
        if (decoded != null) {
          sb.append(decoded);
          i += 2;
          continue;
        }
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** Pairs of path and comma-separated keys. */
  private static Map<String, List<String>> linked(String... pairs) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], List.of(pairs[i + 1].split(",")));
    }
    return Collections.unmodifiableMap(m);
  }
}
