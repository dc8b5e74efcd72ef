package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.MoRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed element of a SOAP response: just enough of a tree to read vim25 values without binding
 * them to generated classes.
 *
 * <p>Kept small (no list or map until there is something to hold), because a response may hold a
 * million of them, and text is collected in a builder: a text node split by comments into many
 * pieces must not cost quadratic time.
 */
final class XmlElement {
  private final String name;
  private final String xsiType;
  private final Map<String, String> attributes;
  private List<XmlElement> children = List.of();
  private String text = "";
  private StringBuilder pending;

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
    if (pending != null) {
      text = pending.toString();
      pending = null;
    }
    return text;
  }

  void appendText(String more) {
    if (pending == null) {
      if (text.isEmpty()) {
        text = more;
        return;
      }
      pending = new StringBuilder(text);
    }
    pending.append(more);
  }

  void appendText(char[] chars, int start, int length) {
    if (pending == null) {
      pending = new StringBuilder(text.length() + length);
      pending.append(text);
    }
    pending.append(chars, start, length);
  }

  int textLength() {
    return pending != null ? pending.length() : text.length();
  }

  void add(XmlElement child) {
    if (children.isEmpty()) {
      children = new ArrayList<>(4);
    }
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
    return c == null ? null : c.text().trim();
  }

  /** Reads this element as a managed object reference ({@code <x type="T">id</x>}). */
  MoRef asMoRef() {
    String type = attribute("type");
    if (type == null) {
      return null;
    }
    return new MoRef(type, text().trim());
  }

  MoRef childMoRef(String childName) {
    XmlElement c = child(childName);
    return c == null ? null : c.asMoRef();
  }
}
