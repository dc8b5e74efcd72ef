package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codeconnect.vmgroup.api.v1alpha1.AddressPoolSpec;
import com.codeconnect.vmgroup.api.v1alpha1.NetworkSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Address pools and which VM gets which address. */
class StaticAddressesTest {
  static AddressPoolSpec pool(List<String> ranges, List<String> cidrs, Integer prefix, String gw) {
    return new AddressPoolSpec(ranges, cidrs, prefix, gw);
  }

  static List<String> addresses(AddressPool p) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < p.size(); i++) {
      out.add(p.addressOf(i).orElseThrow().toString());
    }
    return out;
  }

  @Test
  void addressesParseStrictly() {
    assertThat(Ipv4.Address.parse("10.0.0.1")).hasToString("10.0.0.1");
    assertThat(Ipv4.Address.parse("255.255.255.255").value()).isEqualTo(0xFFFF_FFFFL);
    for (String bad :
        List.of(
            "10.0.0",
            "10.0.0.256",
            "010.0.0.1",
            "10.0.0.-1",
            "a.b.c.d",
            "",
            " 10.0.0.1",
            "10..0.1")) {
      assertThat(Ipv4.Address.tryParse(bad)).as(bad).isEmpty();
    }
    assertThatThrownBy(() -> Ipv4.Address.parse("10.0.0.256"))
        .hasMessage(
            "'10.0.0.256' is not an IPv4 address (four numbers 0 to 255, such as 10.0.0.1)");
    assertThatThrownBy(() -> Ipv4.Range.parse("10.0.0.9-10.0.0.1"))
        .hasMessage(
            "range '10.0.0.9-10.0.0.1' ends before it starts: write the lower address first");
    assertThatThrownBy(() -> Ipv4.Range.parse("10.0.0.9"))
        .hasMessageContaining("is not a range: write first-last");
    assertThatThrownBy(() -> Ipv4.Cidr.parse("10.0.1.5/28"))
        .hasMessage("'10.0.1.5/28' has host bits set: the block starting there is 10.0.1.0/28");
    assertThatThrownBy(() -> Ipv4.Cidr.parse("10.0.1.0/33")).hasMessageContaining("not a CIDR");
    assertThat(Ipv4.subnetMask(24)).isEqualTo("255.255.255.0");
    assertThat(Ipv4.subnetMask(1)).isEqualTo("128.0.0.0");
    assertThat(Ipv4.subnetMask(32)).isEqualTo("255.255.255.255");
  }

  @Test
  void cidrsGiveTheirUsableHosts() {
    assertThat(addresses(AddressPool.of("n", pool(null, List.of("10.0.1.0/29"), null, null))))
        .containsExactly("10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.4", "10.0.1.5", "10.0.1.6");
    assertThat(addresses(AddressPool.of("n", pool(null, List.of("10.0.1.0/31"), null, null))))
        .as("a point-to-point /31 has no address to spare")
        .containsExactly("10.0.1.0", "10.0.1.1");
    assertThat(addresses(AddressPool.of("n", pool(null, List.of("10.0.1.7/32"), 24, null))))
        .containsExactly("10.0.1.7");
    assertThat(AddressPool.of("n", pool(null, List.of("10.0.0.0/8"), null, null)).size())
        .isEqualTo((1L << 24) - 2);
  }

  @Test
  void thePoolIsRangesThenCidrsEachAddressOnceWithoutTheGateway() {
    AddressPool p =
        AddressPool.of(
            "DC0_DVPG0",
            pool(
                List.of("10.0.0.10-10.0.0.12", "10.0.0.11-10.0.0.13"),
                List.of("10.0.0.0/29"),
                24,
                "10.0.0.1"));
    assertThat(addresses(p))
        .containsExactly(
            "10.0.0.10",
            "10.0.0.11",
            "10.0.0.12",
            "10.0.0.13", // ranges, overlap once
            "10.0.0.2",
            "10.0.0.3",
            "10.0.0.4",
            "10.0.0.5",
            "10.0.0.6"); // .1 is the gateway
    assertThat(p.prefix()).isEqualTo(24);
    assertThat(p.describe())
        .isEqualTo("network 'DC0_DVPG0' (10.0.0.10-10.0.0.12, 10.0.0.11-10.0.0.13, 10.0.0.0/29)");
    assertThat(p.addressOf(9)).isEmpty();
  }

  @Test
  void theVmAtAnIndexAlwaysGetsTheSameAddressAndSurgeVmsTheirOwn() {
    StaticAddresses a =
        StaticAddresses.of(
            List.of(
                new NetworkSpec("VM Network", null),
                new NetworkSpec(
                    "DC0_DVPG0", pool(List.of("10.0.0.10-10.0.0.19"), null, 24, "10.0.0.1"))));
    assertThat(a.any()).isTrue();
    assertThat(a.addressesOf(0)).containsExactly("10.0.0.10");
    assertThat(
            StaticAddresses.of(
                    a.pools().stream().map(p -> new NetworkSpec(p.network(), p.spec())).toList())
                .addressesOf(0))
        .as("the same spec again: the same address")
        .containsExactly("10.0.0.10");
    // replicas 3 + maxSurge 2: indices 0..4, all different
    Set<String> seen = new HashSet<>();
    IntStream.range(0, 5).forEach(i -> assertThat(seen.addAll(a.addressesOf(i))).isTrue());
    List<StaticAddresses.Nic> nics = a.forIndex(3);
    assertThat(nics).hasSize(2);
    assertThat(nics.get(0).dhcp()).isTrue();
    assertThat(nics.get(1))
        .satisfies(
            n -> {
              assertThat(n.cidr()).isEqualTo("10.0.0.13/24");
              assertThat(n.subnetMask()).isEqualTo("255.255.255.0");
              assertThat(n.gateway()).hasToString("10.0.0.1");
              assertThat(n.nic()).isEqualTo(1);
            });
    assertThat(StaticAddresses.of(null).any()).isFalse();
    assertThat(StaticAddresses.of(List.of(new NetworkSpec("VM Network", null))).any()).isFalse();
  }

  @Test
  void aPoolTooSmallGivesWhatItCanAndSaysSo() {
    StaticAddresses a =
        StaticAddresses.of(
            List.of(
                new NetworkSpec(
                    "DC0_DVPG0", pool(List.of("10.0.0.10-10.0.0.12"), null, 24, null))));
    assertThat(a.exhausted(3)).isNull();
    assertThat(a.complete(2)).isTrue();
    assertThat(a.complete(3)).isFalse();
    assertThat(a.addressesOf(3)).isEmpty();
    Problem p = a.exhausted(4);
    assertThat(p.reason()).isEqualTo(Problem.Reason.AddressPoolExhausted);
    assertThat(p.message())
        .isEqualTo(
            "the address pool of network 'DC0_DVPG0' (10.0.0.10-10.0.0.12) has 3 addresses, and"
                + " the group needs 4 (replicas + maxSurge): VMs from index 3 on are not made"
                + " until the pool grows or replicas shrink");
  }

  @Test
  void overlappingPoolsOfTwoGroupsOnOneNetworkAreFound() {
    StaticAddresses.PoolUse web =
        new StaticAddresses.PoolUse(
            "ns/web",
            "vc1:/DC0/network/DC0_DVPG0",
            pool(List.of("10.0.0.10-10.0.0.19"), null, 24, null));
    StaticAddresses.PoolUse api =
        new StaticAddresses.PoolUse(
            "ns/api",
            "vc1:/DC0/network/DC0_DVPG0",
            pool(null, List.of("10.0.0.16/28"), null, null));
    StaticAddresses.PoolUse elsewhere =
        new StaticAddresses.PoolUse(
            "ns/db",
            "vc1:/DC0/network/VM Network",
            pool(List.of("10.0.0.10-10.0.0.19"), null, 24, null));
    StaticAddresses.PoolUse apart =
        new StaticAddresses.PoolUse(
            "ns/cache",
            "vc1:/DC0/network/DC0_DVPG0",
            pool(List.of("10.0.0.100-10.0.0.110"), null, 24, null));
    List<StaticAddresses.Overlap> overlaps =
        StaticAddresses.overlaps(List.of(web, api, elsewhere, apart));
    assertThat(overlaps)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.a()).isEqualTo(web);
              assertThat(o.b()).isEqualTo(api);
              assertThat(o.firstShared()).hasToString("10.0.0.17");
            });
    Problem p = StaticAddresses.overlapProblem("ns/api", List.of(web, api, elsewhere, apart));
    assertThat(p.reason()).isEqualTo(Problem.Reason.AddressPoolOverlap);
    assertThat(p.message())
        .startsWith(
            "groups ns/web and ns/api both hand out addresses on network"
                + " 'vc1:/DC0/network/DC0_DVPG0', from 10.0.0.17 on");
    assertThat(StaticAddresses.overlapProblem("ns/cache", List.of(web, api, elsewhere, apart)))
        .isNull();
    assertThat(StaticAddresses.overlaps(List.of(web, web))).as("a group with itself").isEmpty();
  }
}
