package com.codeconnect.vmgroup.vsphere;

import java.util.List;

/**
 * One answer of {@link ChangeFeed#next}.
 *
 * @param resync the changes are the complete state, replacing everything known before
 * @param truncated vCenter has more changes ready; call {@code next} again without waiting
 */
public record ChangeBatch(boolean resync, boolean truncated, List<ObjectChange> changes) {
  public ChangeBatch {
    changes = List.copyOf(changes);
  }

  public static ChangeBatch empty() {
    return new ChangeBatch(false, false, List.of());
  }
}
