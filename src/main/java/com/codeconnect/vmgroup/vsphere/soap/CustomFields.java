package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.CustomFieldDef;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.Filter;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.ObjSpec;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.PropSpec;
import com.codeconnect.vmgroup.vsphere.soap.SoapRpc.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Custom attributes through vCenter's CustomFieldsManager: the field definitions, adding one for
 * VMs, setting a value, and reading a VM's values ({@code customValue}, which the change feed
 * watches too and decodes with {@link #values(MoRef, XmlElement)}).
 */
final class CustomFields {
  static final String VM_TYPE = "VirtualMachine";

  private final SoapRpc rpc;

  CustomFields(SoapRpc rpc) {
    this.rpc = rpc;
  }

  List<CustomFieldDef> definitions(Session s) {
    MoRef manager = manager();
    List<SoapDecoding.ObjectContent> objs =
        rpc.retrieve(
            s,
            new Filter(
                List.of(new PropSpec("CustomFieldsManager", List.of("field"))),
                List.of(new ObjSpec(manager, false, List.of())),
                false));
    XmlElement fields = SoapDecoding.single(objs, manager).prop("field");
    List<CustomFieldDef> out = new ArrayList<>();
    if (fields != null) {
      for (XmlElement def : fields.children()) {
        out.add(definition(manager, def));
      }
    }
    return out;
  }

  CustomFieldDef addForVms(Session s, String name) {
    MoRef manager = manager();
    XmlElement r = rpc.call("AddCustomFieldDef", addCustomFieldDef(manager, name, VM_TYPE), s);
    XmlElement def = r.child("returnval");
    if (def == null) {
      throw new VsphereException.Protocol("AddCustomFieldDef returned no definition", null);
    }
    return definition(manager, def);
  }

  void set(Session s, MoRef entity, int key, String value) {
    rpc.call("SetField", setField(manager(), entity, key, value), s);
  }

  Map<Integer, String> read(Session s, MoRef vm) {
    List<SoapDecoding.ObjectContent> objs =
        rpc.retrieve(
            s,
            new Filter(
                List.of(new PropSpec(VM_TYPE, List.of("customValue"))),
                List.of(new ObjSpec(vm, false, List.of())),
                false));
    return values(vm, SoapDecoding.single(objs, vm).prop("customValue"));
  }

  /**
   * An {@code ArrayOfCustomFieldValue} by field key. Empty values are left out (vCenter keeps a
   * cleared value as an empty one, govmomi's simulator appends one), and a key set twice keeps its
   * last value.
   */
  static Map<Integer, String> values(MoRef owner, XmlElement array) {
    Map<Integer, String> out = new LinkedHashMap<>();
    if (array == null) {
      return out;
    }
    for (XmlElement v : array.children()) {
      int key = key(owner, v.childText("key"));
      String value = v.childText("value");
      if (value == null || value.isEmpty()) {
        out.remove(key);
      } else {
        out.put(key, value);
      }
    }
    return out;
  }

  private static CustomFieldDef definition(MoRef manager, XmlElement def) {
    String name = def.childText("name");
    if (name == null) {
      throw new VsphereException.Protocol("a custom field of " + manager + " has no name", null);
    }
    String type = def.childText("managedObjectType");
    return new CustomFieldDef(
        key(manager, def.childText("key")),
        name,
        type == null || type.isBlank() ? null : type.trim());
  }

  private static int key(MoRef owner, String text) {
    try {
      return Integer.parseInt(text == null ? "" : text.trim());
    } catch (NumberFormatException e) {
      throw new VsphereException.Protocol("a custom field key of " + owner + " is no number", null);
    }
  }

  private MoRef manager() {
    SoapRpc.ServiceContent sc = rpc.content() != null ? rpc.content() : rpc.fetchContent();
    if (sc.customFieldsManager() == null) {
      throw new VsphereException(
          "NotSupported", rpc.hostPort() + " has no CustomFieldsManager (not a vCenter)", false);
    }
    return sc.customFieldsManager();
  }

  // ---------------------------------------------------------------- requests

  /** AddCustomFieldDef: _this, name, moType (policies left to vCenter's defaults). */
  static byte[] addCustomFieldDef(MoRef manager, String name, String moType) {
    return RequestWriter.call("AddCustomFieldDef", manager)
        .text("name", name)
        .text("moType", moType)
        .finish();
  }

  /** SetField: _this, entity, key, value. */
  static byte[] setField(MoRef manager, MoRef entity, int key, String value) {
    return RequestWriter.call("SetField", manager)
        .moRef("entity", entity)
        .text("key", key)
        .text("value", value)
        .finish();
  }
}
