package com.codeconnect.vmgroup.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.operator.StatusBuilder;
import org.junit.jupiter.api.Test;

/**
 * A vCenter with several resource pools and no configured choice: the operator says which ones and
 * how to choose, and creates nothing.
 */
abstract class PlacementSuite extends OperatorFixture {
  @Override
  protected Vcsim.Builder simulator() {
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
    assertThat(allVms()).noneMatch(OperatorFixture::owned);
  }
}
