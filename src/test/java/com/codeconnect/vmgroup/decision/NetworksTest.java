package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which network an entry of spec.networks means, and whether the VCenter allows it. */
class NetworksTest {
  static final List<String> DC0 =
      List.of(
          "/DC0/network/VM Network",
          "/DC0/network/DC0_DVPG0",
          "/DC0/network/lab/web",
          "/DC0/network/prod/web");

  @Test
  void namesAndPathsResolveToOneNetwork() {
    assertThat(Networks.resolve("DC0_DVPG0", "/DC0", DC0))
        .isEqualTo(new Networks.Found("/DC0/network/DC0_DVPG0"));
    assertThat(Networks.resolve("VM Network", "/DC0", DC0))
        .isEqualTo(new Networks.Found("/DC0/network/VM Network"));
    assertThat(Networks.resolve("/DC0/network/lab/web", "/DC0", DC0))
        .isEqualTo(new Networks.Found("/DC0/network/lab/web"));
    assertThat(Networks.resolve("prod/web", "/DC0", DC0))
        .isEqualTo(new Networks.Found("/DC0/network/prod/web"));
  }

  @Test
  void aMissingOrAmbiguousNetworkIsAProblemNamingIt() {
    assertThat(Networks.resolve("DC1_DVPG0", "/DC0", DC0))
        .isEqualTo(
            new Networks.Failed(
                new Problem(
                    Problem.Reason.NetworkNotFound,
                    "network 'DC1_DVPG0' not found in datacenter 'DC0'")));
    assertThat(Networks.resolve("web", "/DC0", DC0))
        .isEqualTo(
            new Networks.Failed(
                new Problem(
                    Problem.Reason.NetworkAmbiguous,
                    "network name 'web' matches 2 networks (/DC0/network/lab/web,"
                        + " /DC0/network/prod/web): use an inventory path in spec.networks")));
  }

  @Test
  void allowedNetworksAreNamesOrPaths() {
    List<String> resolved = List.of("/DC0/network/DC0_DVPG0", "/DC0/network/VM Network");
    assertThat(Networks.notAllowed("vc1", null, resolved)).as("not set: any").isNull();
    assertThat(
            Networks.notAllowed("vc1", List.of("DC0_DVPG0", "/DC0/network/VM Network"), resolved))
        .isNull();
    Problem p = Networks.notAllowed("vc1", List.of("DC0_DVPG0"), resolved);
    assertThat(p.reason()).isEqualTo(Problem.Reason.NetworkNotAllowed);
    assertThat(p.message())
        .isEqualTo(
            "network '/DC0/network/VM Network' is not among the networks VCenter 'vc1' allows"
                + " (DC0_DVPG0): choose one of them or ask its administrator to add it to"
                + " spec.allowedNetworks");
    assertThat(Networks.notAllowed("vc1", List.of(), resolved).message()).contains("allows (none)");
  }
}
