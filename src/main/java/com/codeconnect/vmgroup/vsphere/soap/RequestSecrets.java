package com.codeconnect.vmgroup.vsphere.soap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Secret values of requests the client has sent (guestinfo user data, Sysprep answer files), kept
 * so that every message the client lets out can be masked with them, like the password: a server
 * may echo a request in a fault, and a task's error arrives long after its call.
 *
 * <p>Kept as pieces: the whole value, and each line of it long enough to mean something, each also
 * as the XML the request carried it in, since an echo may quote any of these. Bounded, oldest first
 * out: a masked message needs the secrets of recent requests, the memory must not grow with the
 * number of clones.
 */
final class RequestSecrets {
  static final int MAX_PIECES = 1024;
  static final long MAX_CHARS = 4L << 20;

  /** Shorter lines of a secret are not masked on their own: they would hide ordinary words. */
  static final int MIN_LINE = 8;

  /**
   * Shorter values are not masked at all: a guestinfo flag such as {@code 1} or {@code gzip} would
   * turn every message into stars, and a secret that short protects nothing anyway.
   */
  static final int MIN_VALUE = 6;

  private final LinkedHashSet<String> pieces = new LinkedHashSet<>();
  private long chars;

  synchronized void add(Collection<String> secrets) {
    for (String secret : secrets) {
      for (String p : pieces(secret)) {
        // re-added pieces move to the young end, so a secret in use is the last to go
        if (pieces.remove(p)) {
          chars -= p.length();
        }
        pieces.add(p);
        chars += p.length();
      }
    }
    while (pieces.size() > MAX_PIECES || chars > MAX_CHARS) {
      String oldest = pieces.iterator().next();
      pieces.remove(oldest);
      chars -= oldest.length();
    }
  }

  synchronized List<String> all() {
    return new ArrayList<>(pieces);
  }

  static List<String> pieces(String secret) {
    List<String> out = new ArrayList<>();
    if (secret == null || secret.strip().length() < MIN_VALUE) {
      return out;
    }
    out.add(secret);
    for (String line : secret.split("\\R")) {
      String t = line.strip();
      if (t.length() >= MIN_LINE && !t.equals(secret)) {
        out.add(t);
      }
    }
    int plain = out.size();
    for (int i = 0; i < plain; i++) {
      String escaped = escaped(out.get(i));
      if (!escaped.equals(out.get(i))) {
        out.add(escaped);
      }
    }
    // the longest first, so a whole secret is masked before a line of it breaks it up
    out.sort((a, b) -> Integer.compare(b.length(), a.length()));
    return out;
  }

  /** As an XML writer puts text into an element. */
  private static String escaped(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
