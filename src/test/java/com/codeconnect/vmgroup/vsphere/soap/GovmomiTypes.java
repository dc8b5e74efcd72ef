package com.codeconnect.vmgroup.vsphere.soap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vim25 data types as govmomi generates them from the WSDL ({@code vim25/types/types.go}), read
 * at test time, and a check of a request body against them: every element is a field of its
 * parent's type, in the type's field order (a base type's fields first), of the declared type or,
 * with {@code xsi:type}, of a type that extends it; polymorphic fields ({@code BaseX}) and {@code
 * xsd:anyType} values name their type; required fields are present.
 *
 * <p>Go's encoding decides what "required" means here: a field without {@code omitempty} that is
 * not a pointer is always written by govmomi, which mirrors the WSDL's minOccurs of 1.
 */
final class GovmomiTypes {
  static final Path TYPES_GO =
      Path.of("/usr/share/gocode/src/github.com/vmware/govmomi/vim25/types/types.go");

  private static final Pattern STRUCT = Pattern.compile("^type (\\w+) struct \\{$");
  private static final Pattern ALIAS = Pattern.compile("^type (\\w+) (\\w+)$");
  private static final Pattern EMBEDDED = Pattern.compile("^\\t(\\w+)$");
  private static final Pattern FIELD =
      Pattern.compile("^\\t(\\w+)\\s+(\\S+)\\s+`xml:\"([^\"]*)\"`$");

  /** One field: its XML name, its Go type as written ({@code *T}, {@code []T}), its flags. */
  record Field(String xmlName, String goType, boolean omitempty) {
    boolean array() {
      return goType.startsWith("[]");
    }

    /** The element's type without pointer or array. */
    String type() {
      return goType.replaceFirst("^(\\*|\\[\\])", "");
    }

    boolean required() {
      return !omitempty && !goType.startsWith("*");
    }
  }

  record Struct(String name, String base, List<Field> own) {}

  private final Map<String, Struct> structs = new HashMap<>();
  private final Map<String, String> aliases = new HashMap<>();

  GovmomiTypes(Path typesGo) throws IOException {
    Struct open = null;
    List<Field> fields = null;
    String base = null;
    for (String line : Files.readAllLines(typesGo)) {
      if (open == null) {
        Matcher s = STRUCT.matcher(line);
        Matcher a = ALIAS.matcher(line);
        if (s.matches()) {
          open = new Struct(s.group(1), null, List.of());
          fields = new ArrayList<>();
          base = null;
        } else if (a.matches()) {
          aliases.put(a.group(1), a.group(2));
        }
        continue;
      }
      if (line.equals("}")) {
        structs.put(open.name(), new Struct(open.name(), base, List.copyOf(fields)));
        open = null;
        continue;
      }
      Matcher e = EMBEDDED.matcher(line);
      Matcher f = FIELD.matcher(line);
      if (e.matches()) {
        if (base != null) {
          throw new IllegalStateException(open.name() + " embeds two types; not handled");
        }
        base = e.group(1);
      } else if (f.matches()) {
        String[] tag = f.group(3).split(",");
        List<String> flags = List.of(tag).subList(1, tag.length);
        if (!flags.contains("attr") && !flags.contains("chardata")) {
          fields.add(new Field(tag[0], f.group(2), flags.contains("omitempty")));
        }
      } else if (!line.isBlank()) {
        throw new IllegalStateException("unread line in " + open.name() + ": " + line);
      }
    }
  }

  int structCount() {
    return structs.size();
  }

  /** A type's fields in XML order: its base's (recursively) first. */
  List<Field> fields(String type) {
    Struct s = structs.get(type);
    List<Field> out = new ArrayList<>();
    if (s.base() != null && structs.containsKey(s.base())) {
      out.addAll(fields(s.base()));
    }
    out.addAll(s.own());
    return out;
  }

  /** Whether {@code type} is {@code ancestor} or extends it. */
  boolean isA(String type, String ancestor) {
    for (String t = type; t != null; t = structs.containsKey(t) ? structs.get(t).base() : null) {
      if (t.equals(ancestor)) {
        return true;
      }
    }
    return false;
  }

  /** The request type of a method: {@code CloneVM_Task} is {@code CloneVMRequestType}. */
  String requestType(String method) {
    String t = aliases.getOrDefault(method, method);
    if (!structs.containsKey(t)) {
      throw new AssertionError("govmomi has no request type for " + method);
    }
    return t;
  }

  /** What checking a body found: its errors, and how many elements it looked at. */
  static final class Report {
    final List<String> errors = new ArrayList<>();
    int elements;
  }

  /** Checks the method element of a request body (the child of the SOAP Body). */
  void check(XmlElement method, Report report) {
    report.elements++;
    complex(method, requestType(method.name()), method.name(), report);
  }

  private void complex(XmlElement e, String type, String path, Report report) {
    List<Field> fields = fields(type);
    int last = -1;
    String lastName = null;
    boolean[] seen = new boolean[fields.size()];
    Map<String, Integer> repeats = new HashMap<>();
    for (XmlElement child : e.children()) {
      report.elements++;
      int at = indexOf(fields, child.name());
      int n = repeats.merge(child.name(), 1, Integer::sum);
      String childPath =
          path
              + "/"
              + child.name()
              + (at >= 0 && fields.get(at).array() ? "[" + (n - 1) + "]" : "");
      if (at < 0) {
        report.errors.add(
            childPath + ": not a field of " + type + "; its fields in order: " + names(fields));
        continue;
      }
      Field f = fields.get(at);
      if (at < last || (at == last && !f.array())) {
        report.errors.add(
            childPath
                + ": <"
                + child.name()
                + "> after <"
                + lastName
                + ">, but "
                + type
                + " orders its fields "
                + names(fields));
      }
      last = Math.max(last, at);
      lastName = child.name();
      seen[at] = true;
      element(child, f, childPath, report);
    }
    for (int i = 0; i < fields.size(); i++) {
      if (!seen[i] && fields.get(i).required()) {
        report.errors.add(
            path + ": required <" + fields.get(i).xmlName() + "> of " + type + " is missing");
      }
    }
  }

  private void element(XmlElement e, Field f, String path, Report report) {
    String declared = f.type();
    String xsi = e.xsiType();
    if (declared.equals("AnyType")) {
      if (xsi == null) {
        report.errors.add(path + ": an xsd:anyType value needs an xsi:type");
      } else if (structs.containsKey(xsi)) {
        complex(e, xsi, path + "(" + xsi + ")", report);
      } else {
        leaf(e, path, report);
      }
      return;
    }
    boolean polymorphic =
        declared.startsWith("Base") && structs.containsKey(declared.substring("Base".length()));
    String expected = polymorphic ? declared.substring("Base".length()) : declared;
    if (xsi == null && polymorphic) {
      report.errors.add(path + ": field of type " + declared + " needs an xsi:type");
      return;
    }
    if (xsi != null) {
      if (!structs.containsKey(xsi)) {
        report.errors.add(path + ": xsi:type " + xsi + " is not a vim25 data type");
        return;
      }
      if (!isA(xsi, expected)) {
        report.errors.add(path + ": xsi:type " + xsi + " is not a " + expected);
        return;
      }
      complex(e, xsi, path + "(" + xsi + ")", report);
      return;
    }
    if (declared.equals("ManagedObjectReference")) {
      if (e.attribute("type") == null || !e.children().isEmpty()) {
        report.errors.add(path + ": a managed object reference needs a type and only text");
      }
      return;
    }
    if (structs.containsKey(declared)) {
      complex(e, declared, path, report);
    } else {
      // Go's primitives, and the enums of enum.go, which are strings
      leaf(e, path, report);
    }
  }

  private static void leaf(XmlElement e, String path, Report report) {
    if (!e.children().isEmpty()) {
      report.errors.add(path + ": a simple value, but has elements inside");
    }
  }

  private static int indexOf(List<Field> fields, String xmlName) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).xmlName().equals(xmlName)) {
        return i;
      }
    }
    return -1;
  }

  private static String names(List<Field> fields) {
    return fields.stream().map(Field::xmlName).toList().toString();
  }
}
