package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codeconnect.vmgroup.api.v1alpha1.PlacementSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.demo.VcsimBuilder;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A vCenter with several resource pools and no configured choice: the operator says which ones and
 * how to choose, and creates nothing.
 */
abstract class PlacementSuite extends OperatorFixture {
  @Override
  protected VcsimBuilder simulator() {
    // A standalone host brings a second root resource pool beside the cluster's.
    return Vcsim.builder().standaloneHosts(1);
  }

  @Test
  void ambiguousResourcePoolIsReportedAndNothingIsCreated() {
    create("placed", 1, 1, 1, TEMPLATE);
    eventually()
        .untilAsserted(
            () -> {
              VmGroup g = get("placed");
              assertThat(g.getStatus()).isNotNull();
              assertThat(StatusBuilder.find(g.getStatus().getConditions(), "Degraded").getReason())
                  .isEqualTo("PlacementFailed");
              assertThat(g.getStatus().getLastMessage())
                  .contains("resource pools")
                  .contains("/DC0/host/DC0_C0/Resources")
                  .contains("/DC0/host/DC0_H0/Resources")
                  .contains("VC_RESOURCE_POOL");
            });
    assertThat(allVms()).noneMatch(Folders::owned);
  }

  @Test
  void aGroupsOwnPlacementDecidesPoolDatastoreAndFolder() {
    VmGroupSpec spec = new VmGroupSpec(1, 1, 2, TEMPLATE);
    spec.setPlacement(new PlacementSpec(null, "DC0_H0", "LocalDS_0", "team-a"));
    groups.create("here", spec);

    String folder = "/DC0/vm/team-a/" + namespace + "-here";
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        observer
                            .findByInventoryPath(folder)
                            .map(observer::vmsInFolder)
                            .orElseThrow())
                    .filteredOn(vm -> vm.powerState() == PowerState.POWERED_ON)
                    .hasSize(2));
    MoRef hostPool =
        observer.resourcePools(observer.datacenters().get(0).ref()).stream()
            .filter(p -> p.path().equals("/DC0/host/DC0_H0/Resources"))
            .findFirst()
            .orElseThrow()
            .ref();
    for (VmInfo vm : vmsAt(folder)) {
      Vcsim.VmPlacement where = sim.placementOf(vm.ref());
      assertThat(where.resourcePool()).isEqualTo(hostPool.value());
      assertThat(where.datastores()).containsExactly("LocalDS_0");
    }
    assertThat(get("here").getStatus().getPlacement())
        .contains("/DC0/host/DC0_H0/Resources")
        .contains("LocalDS_0")
        .contains("/DC0/vm/team-a");
  }

  @Test
  void aPlacementThatDoesNotResolveSaysWhatIsMissing() {
    VmGroupSpec spec = new VmGroupSpec(1, 1, 1, TEMPLATE);
    spec.setPlacement(new PlacementSpec(null, "DC0_C0", "no-such-store", null));
    groups.create("nowhere", spec);
    eventually()
        .untilAsserted(
            () -> {
              VmGroup g = get("nowhere");
              assertThat(g.getStatus()).isNotNull();
              assertThat(StatusBuilder.find(g.getStatus().getConditions(), "Degraded").getReason())
                  .isEqualTo("PlacementFailed");
              assertThat(g.getStatus().getLastMessage())
                  .contains("datastore 'no-such-store' not found in datacenter 'DC0'");
            });
  }

  @Test
  void placementCannotMoveAGroupAwayFromItsVms() {
    VmGroupSpec spec = new VmGroupSpec(1, 1, 1, TEMPLATE);
    spec.setPlacement(new PlacementSpec(null, "DC0_C0", null, "team-b"));
    groups.create("stay", spec);
    String folder = "/DC0/vm/team-b/" + namespace + "-stay";
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        observer
                            .findByInventoryPath(folder)
                            .map(observer::vmsInFolder)
                            .orElseThrow())
                    .hasSize(1));
    eventually()
        .untilAsserted(() -> assertThat(get("stay").getStatus().getPlacement()).isNotNull());
    List<VmInfo> before = vmsAt(folder);

    if (api.enforcesSchema()) {
      assertThatThrownBy(() -> edit("stay", s -> s.getPlacement().setFolder("team-c")))
          .hasMessageContaining("placement can't change");
      return;
    }
    edit("stay", s -> s.getPlacement().setFolder("team-c"));
    eventually()
        .untilAsserted(
            () -> {
              VmGroup g = get("stay");
              assertThat(StatusBuilder.find(g.getStatus().getConditions(), "Degraded").getReason())
                  .isEqualTo("InvalidSpec");
              assertThat(g.getStatus().getLastMessage()).contains("placement changed");
            });
    assertThat(observer.findByInventoryPath("/DC0/vm/team-c")).isEmpty();
    assertThat(vmsAt(folder))
        .extracting(VmInfo::ref, VmInfo::powerState)
        .containsExactlyElementsOf(
            before.stream()
                .map(vm -> org.assertj.core.groups.Tuple.tuple(vm.ref(), vm.powerState()))
                .toList());
  }
}
