package com.codeconnect.vmgroup.vsphere.soap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Hostile SOAP responses for the fuzz tests: recorded simulator responses ({@code
 * src/test/resources/responses}, see {@link SoapResponseRecorderIT}), random mutations of them, and
 * hand-made attacks. Everything is derived from a seed, so a failing case is reproduced by its
 * number.
 */
final class HostileXml {
  /** What the client's session cookie is in the fuzz tests; it must never reach a message. */
  static final String COOKIE = "c00k1e-5ecret-7f3a9b";

  /** The password the fuzz tests log in with; it must never reach a message either. */
  static final String PASSWORD = "pa55w0rd-5ecret-91c2";

  static final Path RECORDED = Path.of("src/test/resources/responses");

  private static final String[] TOKENS = {
    "<",
    ">",
    "&",
    "&amp;",
    "&lt",
    "&#0;",
    "&#x110000;",
    "&#xD800;",
    "&#65;",
    "]]>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<?pi x?>",
    "\u0000",
    "\uFFFE",
    "\uD800",
    "\"",
    "'",
    "=",
    "<x>",
    "</x>",
    "<returnval>",
    "</returnval>",
    "<val xsi:type=\"xsd:int\">7</val>",
    " xsi:type=\"Foo\"",
    " type=\"VirtualMachine\"",
    "<!DOCTYPE x>",
    "&xxe;",
    "<soapenv:Fault>",
    "xmlns:q=\"\"",
    "<q:x/>",
    COOKIE,
    PASSWORD,
    "99999999999999999999",
    "-1",
    "NaN",
  };

  private static final String[] VALUES = {
    COOKIE,
    PASSWORD,
    "password=" + PASSWORD,
    "vmware_soap_session=\"" + COOKIE + "\"",
    "99999999999999999999",
    "4294967297",
    "-2147483649",
    "-1",
    "1e308",
    "0x10",
    "",
    " ",
    "true",
    "poweredOn",
    "suspended",
    "modify",
    "enter",
    "leave",
    "error",
    "success",
    "running",
    "<val>1</val>",
    "<fault xsi:type=\"NotAuthenticated\"/>",
    "x".repeat(10_000),
    "\u202e\u200b",
  };

  private static final String[] TYPES = {
    "ManagedObjectReference",
    "xsd:int",
    "xsd:string",
    "xsd:boolean",
    "ArrayOfOptionValue",
    "LocalizedMethodFault",
    "NotAuthenticated",
    "InvalidLogin",
    "DuplicateName",
    "ManagedObjectNotFound",
    "TaskInfoState",
    "",
    ":",
    "a:b:c",
    COOKIE,
    "x".repeat(300),
  };

  private HostileXml() {}

  /** A recorded response, by file name. */
  static String recorded(String file) {
    try {
      return Files.readString(RECORDED.resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** All recorded responses, by file name, sorted (the order seeds depend on). */
  static List<String> recordedFiles() {
    try (Stream<Path> files = Files.list(RECORDED)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".xml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One to three random mutations of {@code xml}. */
  static byte[] mutate(String xml, Random rnd, StringBuilder log) {
    String s = xml;
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      int op = rnd.nextInt(12);
      log.append(op).append(' ');
      s =
          switch (op) {
            case 0 -> s.substring(0, rnd.nextInt(s.length() + 1));
            case 1 -> deleteSpan(s, rnd);
            case 2 -> duplicateSpan(s, rnd);
            case 3 -> insert(s, rnd, TOKENS[rnd.nextInt(TOKENS.length)]);
            case 4 -> replaceText(s, rnd, VALUES[rnd.nextInt(VALUES.length)]);
            case 5 -> replaceXsiType(s, rnd, TYPES[rnd.nextInt(TYPES.length)]);
            case 6 -> dropAttribute(s, rnd);
            case 7 -> dropElement(s, rnd);
            case 8 -> duplicateElement(s, rnd);
            case 9 -> renameElement(s, rnd);
            case 10 -> faultInstead(s, rnd);
            default -> s; // byte-level, below
          };
      if (op == 11) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0) {
          b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
        // decoding as Latin-1 keeps every byte as one char, so later steps can't repair it
        s = new String(b, StandardCharsets.ISO_8859_1);
        return finish(s, true);
      }
    }
    return finish(s, false);
  }

  private static byte[] finish(String s, boolean latin1) {
    return s.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }

  private static String deleteSpan(String s, Random rnd) {
    if (s.isEmpty()) {
      return s;
    }
    int from = rnd.nextInt(s.length());
    int to = Math.min(s.length(), from + 1 + rnd.nextInt(50));
    return s.substring(0, from) + s.substring(to);
  }

  private static String duplicateSpan(String s, Random rnd) {
    if (s.isEmpty()) {
      return s;
    }
    int from = rnd.nextInt(s.length());
    int to = Math.min(s.length(), from + 1 + rnd.nextInt(200));
    return s.substring(0, to) + s.substring(from, to) + s.substring(to);
  }

  private static String insert(String s, Random rnd, String token) {
    int at = rnd.nextInt(s.length() + 1);
    return s.substring(0, at) + token + s.substring(at);
  }

  /** Positions right after a '>' that is followed by text (not another tag). */
  private static List<int[]> texts(String s) {
    List<int[]> out = new ArrayList<>();
    for (int i = s.indexOf('>'); i >= 0 && i + 1 < s.length(); i = s.indexOf('>', i + 1)) {
      int end = s.indexOf('<', i + 1);
      if (end > i + 1) {
        out.add(new int[] {i + 1, end});
      }
    }
    return out;
  }

  private static String replaceText(String s, Random rnd, String value) {
    List<int[]> t = texts(s);
    if (t.isEmpty()) {
      return insert(s, rnd, value);
    }
    int[] r = t.get(rnd.nextInt(t.size()));
    return s.substring(0, r[0]) + value + s.substring(r[1]);
  }

  private static String replaceXsiType(String s, Random rnd, String type) {
    List<Integer> at = all(s, "type=\"");
    if (at.isEmpty()) {
      return s;
    }
    int start = at.get(rnd.nextInt(at.size())) + "type=\"".length();
    int end = s.indexOf('"', start);
    return end < 0 ? s : s.substring(0, start) + type + s.substring(end);
  }

  private static String dropAttribute(String s, Random rnd) {
    List<Integer> at = all(s, " type=\"");
    if (at.isEmpty()) {
      return s;
    }
    int start = at.get(rnd.nextInt(at.size()));
    int end = s.indexOf('"', start + " type=\"".length());
    return end < 0 ? s : s.substring(0, start) + s.substring(end + 1);
  }

  /** [start of '<name', end of its closing tag) for a random element with a plain closing tag. */
  private static int[] element(String s, Random rnd) {
    List<Integer> opens = new ArrayList<>();
    for (int i = s.indexOf('<'); i >= 0; i = s.indexOf('<', i + 1)) {
      if (i + 1 < s.length() && Character.isLetter(s.charAt(i + 1))) {
        opens.add(i);
      }
    }
    if (opens.isEmpty()) {
      return null;
    }
    int start = opens.get(rnd.nextInt(opens.size()));
    int nameEnd = start + 1;
    while (nameEnd < s.length() && !" />".contains(String.valueOf(s.charAt(nameEnd)))) {
      nameEnd++;
    }
    String name = s.substring(start + 1, nameEnd);
    int close = s.indexOf("</" + name + ">", nameEnd);
    if (close < 0) {
      return null;
    }
    return new int[] {start, close + name.length() + 3, start + 1, nameEnd};
  }

  private static String dropElement(String s, Random rnd) {
    int[] e = element(s, rnd);
    return e == null ? s : s.substring(0, e[0]) + s.substring(e[1]);
  }

  private static String duplicateElement(String s, Random rnd) {
    int[] e = element(s, rnd);
    return e == null ? s : s.substring(0, e[1]) + s.substring(e[0], e[1]) + s.substring(e[1]);
  }

  private static String renameElement(String s, Random rnd) {
    int[] a = element(s, rnd);
    int[] b = element(s, rnd);
    if (a == null || b == null) {
      return s;
    }
    String from = s.substring(a[2], a[3]);
    String to = s.substring(b[2], b[3]);
    String body = s.substring(a[0], a[1]);
    String renamed =
        "<"
            + to
            + body.substring(1 + from.length(), body.length() - from.length() - 3)
            + "</"
            + to
            + ">";
    return s.substring(0, a[0]) + renamed + s.substring(a[1]);
  }

  /** The body's content replaced by a fault whose texts are random values. */
  private static String faultInstead(String s, Random rnd) {
    int body = s.indexOf("<soapenv:Body>");
    int end = s.indexOf("</soapenv:Body>");
    if (body < 0 || end < body) {
      return s;
    }
    String type = TYPES[rnd.nextInt(TYPES.length)];
    String fault =
        "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>"
            + VALUES[rnd.nextInt(VALUES.length)]
            + "</faultstring><detail><Fault xmlns=\"urn:vim25\" xsi:type=\""
            + type
            + "\"><name>"
            + VALUES[rnd.nextInt(VALUES.length)]
            + "</name><obj type=\"VirtualMachine\">"
            + VALUES[rnd.nextInt(VALUES.length)]
            + "</obj></Fault></detail></soapenv:Fault>";
    return s.substring(0, body + "<soapenv:Body>".length()) + fault + s.substring(end);
  }

  private static List<Integer> all(String s, String needle) {
    List<Integer> out = new ArrayList<>();
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      out.add(i);
    }
    return out;
  }

  static String envelope(String body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
        + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
        + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"><soapenv:Body>"
        + body
        + "</soapenv:Body></soapenv:Envelope>";
  }

  /** Hand-made attacks: name and body. */
  static List<Object[]> attacks(Path secretFile) {
    String secretUri = secretFile.toUri().toString();
    List<Object[]> a = new ArrayList<>();
    String ok =
        "<CurrentTimeResponse xmlns=\"urn:vim25\"><returnval>x</returnval></CurrentTimeResponse>";
    a.add(of("empty", ""));
    a.add(of("whitespace", "  \n\t "));
    a.add(of("declaration only", "<?xml version=\"1.0\"?>"));
    a.add(of("html error page", "<html><body><h1>502 Bad Gateway</h1></body></html>"));
    a.add(of("json", "{\"error\":\"" + PASSWORD + "\"}"));
    a.add(of("two roots", envelope(ok) + envelope(ok)));
    a.add(of("text after root", envelope(ok) + "trailing " + COOKIE));
    a.add(
        of(
            "no body",
            "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"/>"));
    a.add(of("empty body", envelope("")));
    a.add(of("undeclared prefix", envelope("<q:X><returnval>1</returnval></q:X>")));
    a.add(
        of(
            "external entity",
            "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \""
                + secretUri
                + "\">]>"
                + envelope("<X xmlns=\"urn:vim25\"><returnval>&x;</returnval></X>")));
    a.add(
        of(
            "external DTD",
            "<?xml version=\"1.0\"?><!DOCTYPE e SYSTEM \"" + secretUri + "\">" + envelope(ok)));
    a.add(
        of(
            "parameter entity",
            "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY % p SYSTEM \""
                + secretUri
                + "\"> %p;]>"
                + envelope(ok)));
    StringBuilder lol =
        new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY l0 \"lol\">");
    for (int i = 1; i <= 10; i++) {
      lol.append("<!ENTITY l").append(i).append(" \"");
      lol.append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
    }
    lol.append("]>").append(envelope("<X xmlns=\"urn:vim25\"><returnval>&l10;</returnval></X>"));
    a.add(of("billion laughs", lol.toString()));
    a.add(
        of(
            "entity in attribute",
            "<!DOCTYPE e [<!ENTITY t \"Folder\">]>"
                + envelope("<X xmlns=\"urn:vim25\"><returnval type=\"&t;\">g</returnval></X>")));
    a.add(
        of(
            "xinclude",
            envelope(
                "<X xmlns=\"urn:vim25\" xmlns:xi=\"http://www.w3.org/2001/XInclude\"><returnval>"
                    + "<xi:include href=\""
                    + secretUri
                    + "\" parse=\"text\"/></returnval></X>")));
    a.add(of("deep nesting", envelope("<a>".repeat(100_000) + "</a>".repeat(100_000))));
    a.add(of("wide", envelope("<X xmlns=\"urn:vim25\">" + "<a/>".repeat(1_500_000) + "</X>")));
    a.add(
        of(
            "text split by comments",
            envelope(
                "<X xmlns=\"urn:vim25\"><returnval type=\"Folder\">"
                    + "a<!---->".repeat(1_000_000)
                    + "</returnval></X>")));
    a.add(
        of(
            "huge text",
            envelope(
                "<X xmlns=\"urn:vim25\"><returnval>" + "y".repeat(8 << 20) + "</returnval></X>")));
    a.add(
        of(
            "huge attribute",
            envelope(
                "<X xmlns=\"urn:vim25\"><returnval type=\""
                    + "T".repeat(4 << 20)
                    + "\">v</returnval></X>")));
    StringBuilder attrs = new StringBuilder("<X xmlns=\"urn:vim25\"><returnval");
    for (int i = 0; i < 20_000; i++) {
      attrs.append(" a").append(i).append("=\"1\"");
    }
    a.add(of("many attributes", envelope(attrs + ">v</returnval></X>")));
    StringBuilder ns = new StringBuilder("<X xmlns=\"urn:vim25\"");
    for (int i = 0; i < 20_000; i++) {
      ns.append(" xmlns:n").append(i).append("=\"urn:n").append(i).append('"');
    }
    a.add(of("many namespaces", envelope(ns + "><returnval>v</returnval></X>")));
    a.add(of("long name", envelope("<" + "N".repeat(100_000) + "/>")));
    a.add(
        of(
            "unknown encoding",
            "<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?>"
                + envelope(ok).substring(envelope(ok).indexOf("?>") + 2)));
    a.add(
        of(
            "utf-16 declared, utf-8 sent",
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"
                + envelope(ok).substring(envelope(ok).indexOf("?>") + 2)));
    // Latin-1 keeps these as the raw bytes C3 28 FF FE: not UTF-8
    a.add(
        new Object[] {
          "invalid utf-8",
          envelope("<X xmlns=\"urn:vim25\"><returnval>\u00c3(\u00ff\u00fe</returnval></X>")
              .getBytes(StandardCharsets.ISO_8859_1)
        });
    a.add(
        of(
            "nul character",
            envelope("<X xmlns=\"urn:vim25\"><returnval>a\u0000b</returnval></X>")));
    a.add(
        of(
            "cdata",
            envelope(
                "<X xmlns=\"urn:vim25\"><returnval><![CDATA[" + COOKIE + "]]></returnval></X>")));
    a.add(
        of(
            "fault echoing secrets",
            envelope(
                "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>session "
                    + COOKIE
                    + " password "
                    + PASSWORD
                    + "</faultstring><detail><SystemErrorFault xmlns=\"urn:vim25\""
                    + " xsi:type=\"SystemError\"><reason>"
                    + PASSWORD
                    + "</reason></SystemErrorFault></detail></soapenv:Fault>")));
    a.add(
        of(
            "huge fault string",
            envelope(
                "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>"
                    + "z".repeat(1 << 20)
                    + COOKIE
                    + "</faultstring></soapenv:Fault>")));
    a.add(
        of(
            "fault type is a secret",
            envelope(
                "<soapenv:Fault><faultcode>"
                    + COOKIE
                    + "</faultcode><faultstring>f</faultstring>"
                    + "<detail><F xmlns=\"urn:vim25\" xsi:type=\""
                    + COOKIE
                    + "\"/></detail>"
                    + "</soapenv:Fault>")));
    return a;
  }

  private static Object[] of(String name, String body) {
    return new Object[] {name, body.getBytes(StandardCharsets.UTF_8)};
  }
}
