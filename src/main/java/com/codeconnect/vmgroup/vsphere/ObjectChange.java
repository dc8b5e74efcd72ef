package com.codeconnect.vmgroup.vsphere;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * What changed about one object. {@code values} hold only the properties that changed (all of them
 * when the object entered the view), under the neutral keys below and as domain values; a key
 * mapped to null means the property became unset.
 *
 * <ul>
 *   <li>VM: {@code name} (String), {@code parent} (MoRef), {@code powerState} (PowerState), {@code
 *       cpu} (Integer), {@code memoryMiB} (Long), {@code template} (Boolean), {@code instanceUuid}
 *       (String), {@code ipAddress} (String), {@code extraConfig} (Map of String to String, only
 *       keys with the client's marker prefix), {@code cpuHotAdd} (Boolean), {@code memoryHotAdd}
 *       (Boolean), {@code currentSnapshot} (MoRef), and what the guest reports: {@code toolsStatus}
 *       (ToolsStatus), {@code heartbeat} (Heartbeat), {@code ipAddresses} (List of String, every
 *       address of every NIC), {@code guestInfo} (Map of String to String, only keys with {@link
 *       GuestState#GUEST_INFO_PREFIX}). {@code extraConfig} and {@code guestInfo} are two views of
 *       one vCenter property, so they arrive together.
 *   <li>FOLDER: {@code name} (String), {@code parent} (MoRef)
 *   <li>TASK: {@code state} (TaskInfo.State), {@code result} (MoRef), {@code error}
 *       (VsphereException)
 *   <li>CLUSTER (a cluster watched with {@link ChangeFeed#watchClusters}): {@code name} (String),
 *       {@code drsEnabled} (Boolean), {@code rules} (List of {@link VmRule}, every rule of the
 *       cluster). {@code drsEnabled} and {@code rules} are two views of one vCenter property (the
 *       cluster's configuration), so any change of it brings both.
 * </ul>
 *
 * <p>A VM's custom attribute values arrive under {@code customValues} (Map of Integer field key to
 * String, cleared values left out), so a value removed by hand shows as a change.
 */
public record ObjectChange(MoRef ref, Kind kind, Op op, Map<String, Object> values) {
  public enum Kind {
    VM,
    FOLDER,
    TASK,
    CLUSTER
  }

  public enum Op {
    /** The object appeared (or this is a resync): values hold every watched property. */
    ENTER,
    MODIFY,
    /** The object is gone or left the view; values are empty. */
    LEAVE
  }

  public ObjectChange {
    // Map.copyOf refuses null values, and null means "unset" here.
    values = values == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(values));
  }
}
