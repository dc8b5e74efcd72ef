package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.GuestCustomization;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.RuleChange;
import com.codeconnect.vmgroup.vsphere.VmChange;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.Filter;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.ObjSpec;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.PropSpec;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.Traversal;
import java.util.List;
import java.util.Map;

/**
 * Request bodies of the vim25 methods the client calls. Each writes its fields in the order of the
 * WSDL sequence (govmomi's {@code vim25/types/types.go} lists struct fields in that order); the
 * golden tests pin it.
 */
final class SoapRequests {
  static final MoRef SERVICE_INSTANCE = new MoRef("ServiceInstance", "ServiceInstance");

  private SoapRequests() {}

  static byte[] retrieveServiceContent() {
    return RequestWriter.call("RetrieveServiceContent", SERVICE_INSTANCE).finish();
  }

  /** Contains the password: never log it or put it into an exception. */
  static byte[] login(MoRef sessionManager, String user, String password) {
    return RequestWriter.call("Login", sessionManager)
        .text("userName", user)
        .text("password", password)
        .finish();
  }

  static byte[] logout(MoRef sessionManager) {
    return RequestWriter.call("Logout", sessionManager).finish();
  }

  static byte[] findByInventoryPath(MoRef searchIndex, String inventoryPath) {
    return RequestWriter.call("FindByInventoryPath", searchIndex)
        .text("inventoryPath", inventoryPath)
        .finish();
  }

  static byte[] createFolder(MoRef parent, String name) {
    return RequestWriter.call("CreateFolder", parent).text("name", name).finish();
  }

  /**
   * CloneVM_Task: _this, folder, name, spec. Contains the request's secrets (guestinfo values, a
   * Sysprep answer file): never log it or put it into an exception.
   */
  static byte[] cloneVm(CloneRequest r) {
    RequestWriter w =
        RequestWriter.call("CloneVM_Task", r.source())
            .moRef("folder", r.folder())
            .text("name", r.name())
            .start("spec")
            // VirtualMachineRelocateSpec: service, folder, datastore, diskMoveType, pool, ...
            .start("location");
    if (r.datastore() != null) {
      w.moRef("datastore", r.datastore());
    }
    // a linked clone puts a child disk on the snapshot's disk instead of copying it; a full clone
    // consolidates the source's delta disks into one file, which is what lets it grow its disk
    // (vCenter can't grow a disk with a parent)
    w.text(
        "diskMoveType",
        r.linkedSnapshot() != null
            ? "createNewChildDiskBacking"
            : "moveAllDiskBackingsAndConsolidate");
    w.moRef("pool", r.pool()).end();
    // VirtualMachineCloneSpec: location, template, config, customization, powerOn, snapshot, ...
    w.text("template", false);
    ConfigSpecWriter.cloneConfig(
        w,
        new VmChange(
            r.cpu(),
            r.coresPerSocket(),
            r.memoryMiB(),
            r.extraConfig(),
            r.annotation(),
            r.deviceChanges()));
    if (r.customization() != null) {
      CustomizationWriter.customization(w, r.customization());
    }
    w.text("powerOn", r.powerOn());
    if (r.linkedSnapshot() != null) {
      w.moRef("snapshot", r.linkedSnapshot());
    }
    return w.end().finish();
  }

  static byte[] reconfigVm(MoRef vm, int cpu, long memoryMiB) {
    return reconfigVm(vm, cpu, memoryMiB, Map.of());
  }

  /** Zero CPU or memory leaves them as they are; an empty extraConfig value removes that key. */
  static byte[] reconfigVm(MoRef vm, int cpu, long memoryMiB, Map<String, String> extraConfig) {
    return reconfigVm(vm, VmChange.size(cpu, memoryMiB, extraConfig));
  }

  /** ReconfigVM_Task: _this, spec. May contain guestinfo values: never log it. */
  static byte[] reconfigVm(MoRef vm, VmChange change) {
    RequestWriter w = RequestWriter.call("ReconfigVM_Task", vm);
    ConfigSpecWriter.reconfigure(w, change);
    return w.finish();
  }

  /**
   * ReconfigureComputeResource_Task: _this, spec, modify. The spec is a ClusterConfigSpecEx with
   * nothing but rulesSpec, and modify is true: only the rules named change; false would replace the
   * cluster's whole configuration (HA, DRS, every rule) with this spec.
   */
  static byte[] reconfigureRules(MoRef cluster, List<RuleChange> changes) {
    RequestWriter w =
        RequestWriter.call("ReconfigureComputeResource_Task", cluster)
            .start("spec", "ClusterConfigSpecEx");
    for (RuleChange c : changes) {
      // ClusterRuleSpec extends ArrayUpdateSpec: operation, removeKey, info
      w.start("rulesSpec");
      if (c instanceof RuleChange.Add a) {
        w.text("operation", "add");
        antiAffinityRule(w, null, a.name(), a.enabled(), a.mandatory(), a.vms());
      } else if (c instanceof RuleChange.Edit e) {
        w.text("operation", "edit");
        antiAffinityRule(w, e.key(), e.name(), e.enabled(), e.mandatory(), e.vms());
      } else if (c instanceof RuleChange.Remove r) {
        // an xsd:anyType: the key's type goes with it (the simulator reads it as an int)
        w.text("operation", "remove").typedText("removeKey", "xsd:int", Integer.toString(r.key()));
      }
      w.end();
    }
    return w.end().text("modify", true).finish();
  }

  /**
   * ClusterAntiAffinityRuleSpec: ClusterRuleInfo's key, status, enabled, name, mandatory,
   * userCreated, inCompliance, ruleUuid, then vm. A new rule has no key: vCenter assigns it.
   */
  private static void antiAffinityRule(
      RequestWriter w,
      Integer key,
      String name,
      boolean enabled,
      boolean mandatory,
      List<MoRef> vms) {
    w.start("info", "ClusterAntiAffinityRuleSpec");
    if (key != null) {
      w.text("key", key);
    }
    w.text("enabled", enabled).text("name", name).text("mandatory", mandatory);
    for (MoRef vm : vms) {
      w.moRef("vm", vm);
    }
    w.end();
  }

  /** CustomizeVM_Task: _this, spec (a CustomizationSpec). */
  static byte[] customizeVm(MoRef vm, GuestCustomization customization) {
    RequestWriter w = RequestWriter.call("CustomizeVM_Task", vm);
    CustomizationWriter.customization(w, "spec", customization);
    return w.finish();
  }

  static byte[] powerOnVm(MoRef vm) {
    return RequestWriter.call("PowerOnVM_Task", vm).finish();
  }

  static byte[] powerOffVm(MoRef vm) {
    return RequestWriter.call("PowerOffVM_Task", vm).finish();
  }

  static byte[] destroy(MoRef entity) {
    return RequestWriter.call("Destroy_Task", entity).finish();
  }

  static byte[] createContainerView(
      MoRef viewManager, MoRef container, List<String> types, boolean recursive) {
    RequestWriter w = RequestWriter.call("CreateContainerView", viewManager);
    w.moRef("container", container);
    for (String t : types) {
      w.text("type", t);
    }
    return w.text("recursive", recursive).finish();
  }

  static byte[] destroyView(MoRef view) {
    return RequestWriter.call("DestroyView", view).finish();
  }

  static byte[] retrievePropertiesEx(MoRef propertyCollector, Filter filter, int maxObjects) {
    RequestWriter w = RequestWriter.call("RetrievePropertiesEx", propertyCollector);
    filterSpec(w, "specSet", filter);
    w.start("options");
    if (maxObjects > 0) {
      w.text("maxObjects", maxObjects);
    }
    return w.end().finish();
  }

  /** PropertyFilterSpec: propSet, objectSet, reportMissingObjectsInResults. */
  private static void filterSpec(RequestWriter w, String element, Filter filter) {
    w.start(element);
    for (PropSpec p : filter.propSet()) {
      // PropertySpec: type, all, pathSet
      w.start("propSet").text("type", p.type()).text("all", false);
      for (String path : p.paths()) {
        w.text("pathSet", path);
      }
      w.end();
    }
    for (ObjSpec o : filter.objectSet()) {
      // ObjectSpec: obj, skip, selectSet
      w.start("objectSet").moRef("obj", o.obj()).text("skip", o.skip());
      for (Traversal t : o.selectSet()) {
        // TraversalSpec extends SelectionSpec: name, type, path, skip, selectSet
        w.start("selectSet", "TraversalSpec")
            .text("name", t.name())
            .text("type", t.type())
            .text("path", t.path())
            .text("skip", t.skip());
        for (String ref : t.selectNames()) {
          // a reference to a traversal by name; the field is polymorphic, so the type is named
          w.start("selectSet", "SelectionSpec").text("name", ref).end();
        }
        w.end();
      }
      w.end();
    }
    if (filter.reportMissingObjects()) {
      w.text("reportMissingObjectsInResults", true);
    }
    w.end();
  }

  static byte[] createPropertyCollector(MoRef propertyCollector) {
    return RequestWriter.call("CreatePropertyCollector", propertyCollector).finish();
  }

  static byte[] destroyPropertyCollector(MoRef collector) {
    return RequestWriter.call("DestroyPropertyCollector", collector).finish();
  }

  /** CreateFilter: _this, spec, partialUpdates. */
  static byte[] createFilter(MoRef collector, Filter filter, boolean partialUpdates) {
    RequestWriter w = RequestWriter.call("CreateFilter", collector);
    filterSpec(w, "spec", filter);
    return w.text("partialUpdates", partialUpdates).finish();
  }

  static byte[] destroyPropertyFilter(MoRef filter) {
    return RequestWriter.call("DestroyPropertyFilter", filter).finish();
  }

  /**
   * WaitForUpdatesEx: _this, version, options; WaitOptions: maxWaitSeconds, maxObjectUpdates. An
   * empty version (the first call) is left out, which asks for the complete current state.
   */
  static byte[] waitForUpdatesEx(
      MoRef collector, String version, int maxWaitSeconds, int maxObjectUpdates) {
    RequestWriter w = RequestWriter.call("WaitForUpdatesEx", collector);
    if (version != null && !version.isEmpty()) {
      w.text("version", version);
    }
    w.start("options").text("maxWaitSeconds", maxWaitSeconds);
    if (maxObjectUpdates > 0) {
      w.text("maxObjectUpdates", maxObjectUpdates);
    }
    return w.end().finish();
  }

  /** CreateListView: _this, obj. */
  static byte[] createListView(MoRef viewManager, List<MoRef> objects) {
    RequestWriter w = RequestWriter.call("CreateListView", viewManager);
    for (MoRef o : objects) {
      w.moRef("obj", o);
    }
    return w.finish();
  }

  /** ModifyListView: _this, add, remove. */
  static byte[] modifyListView(MoRef listView, List<MoRef> add, List<MoRef> remove) {
    RequestWriter w = RequestWriter.call("ModifyListView", listView);
    for (MoRef o : add) {
      w.moRef("add", o);
    }
    for (MoRef o : remove) {
      w.moRef("remove", o);
    }
    return w.finish();
  }

  static byte[] currentTime() {
    return RequestWriter.call("CurrentTime", SERVICE_INSTANCE).finish();
  }

  static byte[] continueRetrievePropertiesEx(MoRef propertyCollector, String token) {
    return RequestWriter.call("ContinueRetrievePropertiesEx", propertyCollector)
        .text("token", token)
        .finish();
  }
}
