package com.codeconnect.vmgroup.endpoint;

import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.vsphere.ContentLibraries;
import com.codeconnect.vmgroup.vsphere.LibraryItem;
import com.codeconnect.vmgroup.vsphere.LibraryLookup;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Finds the content library item a group deploys from, by library and item name, on one vCenter.
 *
 * <p>An item found is remembered for {@code remember}: the lookup costs several REST calls, and
 * vCenter tells nobody when an item gets a new version, so this interval is also how long a new
 * version may go unnoticed by a group whose VMs are all running. Groups deploying from one item
 * share the lookup. A missing or ambiguous item, or a content library that can't be read, is looked
 * up again every time, so the fix is seen at the next retry.
 */
public final class LibraryResolver {
  private final ContentLibraries client;
  private final Clock clock;
  private final Duration remember;
  private final String vcenter;
  private final Map<Key, Remembered> found = new ConcurrentHashMap<>();

  private record Key(String library, String item) {}

  private record Remembered(TemplateResolver.Deployable item, Instant until) {}

  /**
   * @param vcenter the vCenter's name, as messages name it
   */
  public LibraryResolver(ContentLibraries client, Clock clock, Duration remember, String vcenter) {
    this.client = client;
    this.clock = clock;
    this.remember = remember;
    this.vcenter = vcenter;
  }

  /** Whether a lookup would ask vCenter: nothing remembered, or it is time to look again. */
  public boolean due(String library, String item) {
    Remembered r = found.get(new Key(library, item));
    return r == null || !clock.instant().isBefore(r.until());
  }

  /** Forgets every item found: the next lookup asks vCenter (e.g. after a failed deploy). */
  public void forget() {
    found.clear();
  }

  /** The item, or the problem that explains why there is none to deploy from. */
  public TemplateResolver.Result resolve(String library, String item) {
    Key key = new Key(library, item);
    Instant now = clock.instant();
    Remembered r = found.get(key);
    if (r != null && now.isBefore(r.until())) {
      return r.item();
    }
    TemplateResolver.Result result = lookUp(library, item);
    if (result instanceof TemplateResolver.Deployable d) {
      found.put(key, new Remembered(d, now.plus(remember)));
    } else {
      found.remove(key);
    }
    return result;
  }

  private TemplateResolver.Result lookUp(String library, String item) {
    LibraryLookup lookup;
    try {
      lookup = client.findLibraryItem(library, item);
    } catch (VsphereException e) {
      return missing(
          Problem.Reason.LibraryUnavailable,
          "the content libraries of vCenter '"
              + vcenter
              + "' can't be read ("
              + e.getMessage()
              + "); nothing is deployed until they can");
    }
    return switch (lookup.outcome()) {
      case FOUND -> kindOf(lookup.item());
      case LIBRARY_NOT_FOUND ->
          missing(
              Problem.Reason.LibraryItemNotFound,
              "content library '"
                  + library
                  + "' not found in vCenter '"
                  + vcenter
                  + "'"
                  + listed("; its libraries", lookup));
      case LIBRARY_AMBIGUOUS ->
          missing(
              Problem.Reason.LibraryItemAmbiguous,
              "content library name '"
                  + library
                  + "' matches "
                  + lookup.candidates().size()
                  + " libraries of vCenter '"
                  + vcenter
                  + "'"
                  + listed("", lookup)
                  + "; give them distinct names");
      case ITEM_NOT_FOUND ->
          missing(
              Problem.Reason.LibraryItemNotFound,
              "item '"
                  + item
                  + "' not found in content library '"
                  + library
                  + "'"
                  + listed("; its items", lookup));
      case ITEM_AMBIGUOUS ->
          missing(
              Problem.Reason.LibraryItemAmbiguous,
              "item name '"
                  + item
                  + "' matches "
                  + lookup.candidates().size()
                  + " items of content library '"
                  + library
                  + "'"
                  + listed("", lookup)
                  + "; give them distinct names");
    };
  }

  private static TemplateResolver.Result kindOf(LibraryItem item) {
    if (item.kind() == LibraryItem.Kind.OTHER) {
      return missing(
          Problem.Reason.InvalidSpec,
          "item '"
              + item.name()
              + "' of content library '"
              + item.libraryName()
              + "' is neither a VM template nor an OVF package: nothing a VM is deployed from");
    }
    return new TemplateResolver.Deployable(item);
  }

  /** The candidates a message names: "name (id, type)", as many as the lookup gave. */
  private static String listed(String lead, LibraryLookup lookup) {
    if (lookup.candidates().isEmpty()) {
      return lead.isEmpty() ? "" : lead + ": none";
    }
    return (lead.isEmpty() ? ": " : lead + ": ")
        + lookup.candidates().stream()
            .map(
                c ->
                    "'"
                        + c.name()
                        + "' ("
                        + c.id()
                        + (c.type() == null ? "" : ", " + c.type())
                        + ")")
            .collect(Collectors.joining(", "));
  }

  private static TemplateResolver.Missing missing(Problem.Reason reason, String message) {
    return new TemplateResolver.Missing(new Problem(reason, message));
  }
}
