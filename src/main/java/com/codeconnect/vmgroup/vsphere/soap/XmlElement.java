package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.MoRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed element of a SOAP response: just enough of a tree to read vim25 values without binding
 * them to generated classes.
 */
final class XmlElement {
  private final String name;
  private final String xsiType;
  private final Map<String, String> attributes;
  private final List<XmlElement> children = new ArrayList<>();
  private String text = "";

  XmlElement(String name, String xsiType, Map<String, String> attributes) {
    this.name = name;
    this.xsiType = xsiType;
    this.attributes = attributes;
  }

  String name() {
    return name;
  }

  /** The local part of {@code xsi:type} (prefix stripped), or null. */
  String xsiType() {
    return xsiType;
  }

  /** An attribute without namespace, e.g. the {@code type} of a managed object reference. */
  String attribute(String localName) {
    return attributes.get(localName);
  }

  String text() {
    return text;
  }

  void appendText(String more) {
    text = text.isEmpty() ? more : text + more;
  }

  void add(XmlElement child) {
    children.add(child);
  }

  List<XmlElement> children() {
    return children;
  }

  List<XmlElement> children(String childName) {
    List<XmlElement> found = new ArrayList<>();
    for (XmlElement c : children) {
      if (c.name.equals(childName)) {
        found.add(c);
      }
    }
    return found;
  }

  XmlElement child(String childName) {
    for (XmlElement c : children) {
      if (c.name.equals(childName)) {
        return c;
      }
    }
    return null;
  }

  String childText(String childName) {
    XmlElement c = child(childName);
    return c == null ? null : c.text.trim();
  }

  /** Reads this element as a managed object reference ({@code <x type="T">id</x>}). */
  MoRef asMoRef() {
    String type = attribute("type");
    if (type == null) {
      return null;
    }
    return new MoRef(type, text.trim());
  }

  MoRef childMoRef(String childName) {
    XmlElement c = child(childName);
    return c == null ? null : c.asMoRef();
  }
}
