package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A set of names kept in one extraConfig marker ({@link Ownership#TAGS}): comma-separated, sorted,
 * with '%' and ',' percent-encoded, so no name can break the list. The empty set is the empty
 * value, which removes the key.
 */
public final class ManagedSet {
  private ManagedSet() {}

  /** The set recorded on the VM under {@code key}; empty when there is none. */
  public static Set<String> of(VmInfo vm, String key) {
    return decode(vm.extraConfig().get(key));
  }

  public static String encode(Collection<String> names) {
    return names.stream()
        .map(n -> n.replace("%", "%25").replace(",", "%2C"))
        .sorted()
        .collect(Collectors.joining(","));
  }

  public static Set<String> decode(String value) {
    Set<String> names = new TreeSet<>();
    if (value == null || value.isEmpty()) {
      return names;
    }
    Arrays.stream(value.split(",", -1))
        .filter(n -> !n.isEmpty())
        .map(ManagedSet::unescape)
        .forEach(names::add);
    return names;
  }

  /** One pass, so "%252C" (a name holding "%2C") comes back as "%2C", not ",". */
  private static String unescape(String n) {
    StringBuilder b = new StringBuilder(n.length());
    for (int i = 0; i < n.length(); i++) {
      if (n.startsWith("%25", i)) {
        b.append('%');
        i += 2;
      } else if (n.startsWith("%2C", i)) {
        b.append(',');
        i += 2;
      } else {
        b.append(n.charAt(i));
      }
    }
    return b.toString();
  }
}
