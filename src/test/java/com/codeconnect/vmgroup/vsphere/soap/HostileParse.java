package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything the client does with a response body before a caller sees the result: parse, find the
 * body, map a fault, read an UpdateSet, and walk the tree as the readers do. Used in-process by the
 * fuzz test and, as {@link #main}, in a child JVM whose heap is as small as the Deployment's.
 */
final class HostileParse {
  private static final ResponseParser PARSER = new ResponseParser();
  private static final UpdateSetReader READER = new UpdateSetReader("vmgroup.");

  private HostileParse() {}

  /** Decodes {@code body}, or throws what the client would throw. */
  static void decode(byte[] body) {
    decode(body, null);
  }

  /**
   * Decodes {@code body}; true when some text or attribute-derived reference holds {@code marker}
   * (content of a file an entity or include pointed at would).
   */
  static boolean decode(byte[] body, String marker) {
    XmlElement content = ResponseParser.bodyContent(PARSER.parse(body));
    if (content.name().equals("Fault")) {
      throw FaultMapper.fromSoapFault("Call", content);
    }
    if (content.name().equals("WaitForUpdatesExResponse")) {
      READER.read(content);
    }
    return walk(content, marker);
  }

  private static boolean walk(XmlElement e, String marker) {
    boolean found = marker != null && e.text().contains(marker);
    e.asMoRef();
    for (XmlElement c : e.children()) {
      found |= walk(c, marker);
    }
    return found;
  }

  /**
   * Arguments: a marker the decoded text must not contain, then files to decode. Prints one line
   * per file: name, outcome (OK, a VsphereException's class, or OTHER), milliseconds, and LEAK when
   * the marker showed up.
   */
  public static void main(String[] args) throws Exception {
    String marker = args[0];
    for (int i = 1; i < args.length; i++) {
      Path f = Path.of(args[i]);
      byte[] body = Files.readAllBytes(f);
      long start = System.nanoTime();
      String outcome;
      String detail = "";
      boolean leak = false;
      try {
        leak = decode(body, marker);
        outcome = "OK";
      } catch (VsphereException e) {
        outcome = e.getClass().getSimpleName();
        detail = String.valueOf(e.getMessage());
      } catch (Throwable t) {
        outcome = "OTHER";
        detail = t.toString();
      }
      body = null;
      long ms = (System.nanoTime() - start) / 1_000_000;
      leak |= detail.contains(marker);
      System.out.println(
          f.getFileName()
              + "\t"
              + outcome
              + "\t"
              + ms
              + "\t"
              + (leak ? "LEAK" : "-")
              + "\t"
              + detail.replace('\n', ' ').replace('\t', ' '));
    }
  }
}
