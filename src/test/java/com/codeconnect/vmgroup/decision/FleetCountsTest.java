package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import com.codeconnect.vmgroup.decision.FleetCounts.Readiness;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetCountsTest {
  static VmGroup group(String name, String uid, String ready) {
    VmGroup g = new VmGroup("ns", name, new VmGroupSpec(1, 1, 2, "t"));
    g.getMetadata().setUid(uid);
    if (ready != null) {
      VmGroupStatus status = new VmGroupStatus();
      status.setConditions(
          List.of(
              new ConditionBuilder().withType("Progressing").withStatus("True").build(),
              new ConditionBuilder().withType(StatusBuilder.READY).withStatus(ready).build()));
      g.setStatus(status);
    }
    return g;
  }

  static VmInfo vm(String name, PowerState power, Map<String, String> extraConfig) {
    return new VmInfo(
        new MoRef("VirtualMachine", name),
        name,
        null,
        power,
        1,
        1024,
        false,
        null,
        null,
        extraConfig);
  }

  @Test
  void groupsAreCountedByTheirReadyCondition() {
    VmGroup noStatus = group("d", "u4", null);
    VmGroup noReadyCondition = group("e", "u5", null);
    noReadyCondition.setStatus(new VmGroupStatus());
    assertThat(
            FleetCounts.byReadiness(
                List.of(
                    group("a", "u1", "True"),
                    group("b", "u2", "True"),
                    group("c", "u3", "False"),
                    noStatus,
                    noReadyCondition)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(Readiness.TRUE, 2, Readiness.FALSE, 1, Readiness.UNKNOWN, 2));
  }

  @Test
  void onlyVmsMarkedForAWatchedGroupAreManaged() {
    List<VmGroup> watched = List.of(group("a", "u1", "True"), group("b", "u2", "False"));
    List<VmInfo> vms =
        List.of(
            vm("a-0", PowerState.POWERED_ON, Map.of(Ownership.OWNER_UID, "u1")),
            vm("a-1", PowerState.POWERED_ON, Map.of(Ownership.OWNER_UID, "u1")),
            vm("b-0", PowerState.POWERED_OFF, Map.of(Ownership.OWNER_UID, "u2")),
            vm("b-1", PowerState.SUSPENDED, Map.of(Ownership.OWNER_UID, "u2")),
            // another shard's group, a foreign VM and the template
            vm("x-0", PowerState.POWERED_ON, Map.of(Ownership.OWNER_UID, "other-shard")),
            vm("foreign", PowerState.POWERED_ON, Map.of()),
            vm("vm-operator-template", PowerState.POWERED_OFF, Map.of()));

    assertThat(FleetCounts.managedVmsByPowerState(watched, vms))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(PowerState.POWERED_ON, 2, PowerState.POWERED_OFF, 1, PowerState.SUSPENDED, 1));
    assertThat(FleetCounts.managedVmsByPowerState(List.of(), vms)).isEmpty();
  }
}
