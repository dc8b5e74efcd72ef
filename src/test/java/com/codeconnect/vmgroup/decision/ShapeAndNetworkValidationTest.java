package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.AddressPoolSpec;
import com.codeconnect.vmgroup.api.v1alpha1.BootstrapSpec;
import com.codeconnect.vmgroup.api.v1alpha1.CloudInitSpec;
import com.codeconnect.vmgroup.api.v1alpha1.DiskSpec;
import com.codeconnect.vmgroup.api.v1alpha1.ExtraDiskSpec;
import com.codeconnect.vmgroup.api.v1alpha1.LinuxPrepSpec;
import com.codeconnect.vmgroup.api.v1alpha1.NetworkSpec;
import com.codeconnect.vmgroup.api.v1alpha1.SecretKeyRef;
import com.codeconnect.vmgroup.api.v1alpha1.SysprepSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator's own checks of the new fields, for API servers that don't run the CRD's rules. */
class ShapeAndNetworkValidationTest {
  static VmGroupSpec web() {
    VmGroupSpec s = new VmGroupSpec(768, new IntOrString("24Ti"), 3, "t");
    s.setCoresPerSocket(16);
    s.setBootstrap(
        new BootstrapSpec(
            new CloudInitSpec(new SecretKeyRef("web-userdata", "user-data")), null, null));
    AddressPoolSpec front =
        new AddressPoolSpec(
            List.of("10.0.0.10-10.0.0.19"), List.of("10.0.0.32/28"), 24, "10.0.0.1");
    front.setDnsServers(List.of("10.0.0.2", "10.0.0.3"));
    front.setSearchDomains(List.of("example.com"));
    s.setNetworks(
        List.of(new NetworkSpec("DC0_DVPG0", front), new NetworkSpec("VM Network", null)));
    s.setDisk(new DiskSpec(40));
    s.setExtraDisks(List.of(new ExtraDiskSpec(20, ExtraDiskSpec.Provisioning.thick)));
    return s;
  }

  static List<String> problems(VmGroupSpec s) {
    return SpecValidator.validate(s, 100);
  }

  @Test
  void aSpecUsingEveryNewFieldIsValid() {
    assertThat(problems(web())).isEmpty();
    VmGroupSpec linux = web();
    linux.setBootstrap(
        new BootstrapSpec(null, new LinuxPrepSpec("example.com", "Europe/Berlin"), null));
    assertThat(problems(linux)).isEmpty();
    VmGroupSpec windows = web();
    windows.setBootstrap(
        new BootstrapSpec(null, null, new SysprepSpec(new SecretKeyRef("win", "unattend.xml"))));
    assertThat(problems(windows)).isEmpty();
  }

  @Test
  void sizesAreVspheresLimits() {
    VmGroupSpec s = web();
    s.setCpu(769);
    s.setCoresPerSocket(0);
    s.setMemory(new IntOrString("16G"));
    s.setDisk(new DiskSpec(63489));
    s.setExtraDisks(List.of(new ExtraDiskSpec(0, null), new ExtraDiskSpec(null, null)));
    assertThat(problems(s))
        .containsExactly(
            "spec.cpu must be between 1 and 768, got 769",
            "spec.memory \"16G\" comes to 15258.79 MiB, not a multiple of 4 MiB (G counts powers"
                + " of 10, Gi powers of 2)",
            "spec.coresPerSocket must be between 1 and 768, got 0",
            "spec.disk.sizeGiB must be between 1 and 63488 (62 TiB), got 63489",
            "spec.extraDisks[0].sizeGiB must be between 1 and 63488 (62 TiB), got 0",
            "spec.extraDisks[1].sizeGiB is required");
    VmGroupSpec many = web();
    many.setExtraDisks(Collections.nCopies(15, new ExtraDiskSpec(1, null)));
    assertThat(problems(many))
        .containsExactly(
            "spec.extraDisks has 15 entries; at most 14 fit on the boot disk's SCSI controller");
    VmGroupSpec cores = web();
    cores.setCpu(6);
    cores.setCoresPerSocket(4);
    assertThat(problems(cores))
        .containsExactly(
            "spec.cpu 6 is not a multiple of spec.coresPerSocket 4: every socket has the same"
                + " number of cores");
    VmGroupSpec linked = web();
    linked.setCloneMode(VmGroupSpec.CloneMode.linked);
    assertThat(problems(linked))
        .singleElement()
        .asString()
        .startsWith("spec.disk.sizeGiB can't be used with cloneMode linked");
  }

  @Test
  void theBootstrapIsOneMechanismCompletelyGiven() {
    VmGroupSpec two = web();
    two.setBootstrap(
        new BootstrapSpec(
            new CloudInitSpec("#cloud-config\n"),
            new LinuxPrepSpec("example.com", null),
            new SysprepSpec(new SecretKeyRef("w", "k"))));
    assertThat(problems(two))
        .containsExactly(
            "spec.bootstrap sets cloudInit and linuxPrep and sysprep: set at most one, each sets up"
                + " the guest its own way");
    VmGroupSpec none = web();
    none.setBootstrap(new BootstrapSpec(new CloudInitSpec(), null, null));
    assertThat(problems(none))
        .containsExactly(
            "spec.bootstrap.cloudInit needs exactly one of userData (inline, not secret) and"
                + " userDataSecretRef");
    VmGroupSpec unset = web();
    unset.setBootstrap(null);
    assertThat(problems(unset))
        .containsExactly(
            "spec.networks has static addresses but spec.bootstrap is not set: cloudInit,"
                + " linuxPrep or sysprep applies them in the guest, nothing else does");
    VmGroupSpec big = web();
    big.setBootstrap(new BootstrapSpec(new CloudInitSpec("x".repeat(65537)), null, null));
    assertThat(problems(big))
        .containsExactly(
            "spec.bootstrap.cloudInit.userData is 65537 characters; inline user-data may have at"
                + " most 65536: put it in a Secret");
    VmGroupSpec refs = web();
    refs.setBootstrap(
        new BootstrapSpec(null, null, new SysprepSpec(new SecretKeyRef("Win_Secret", "a/b"))));
    assertThat(problems(refs))
        .containsExactly(
            "spec.bootstrap.sysprep.unattendSecretRef.name must be the name of a Secret (lower"
                + " case letters, digits, '-' and '.'), got 'Win_Secret'",
            "spec.bootstrap.sysprep.unattendSecretRef.key must be a key of the Secret's data"
                + " (letters, digits, '-', '_' and '.'), got 'a/b'");
    VmGroupSpec prep = web();
    prep.setBootstrap(
        new BootstrapSpec(null, new LinuxPrepSpec("-bad-", "Mars/Olympus Mons"), null));
    assertThat(problems(prep))
        .containsExactly(
            "spec.bootstrap.linuxPrep.domain must be a DNS domain such as example.com, got '-bad-'",
            "spec.bootstrap.linuxPrep.timeZone must be a time zone name such as Europe/Berlin,"
                + " got 'Mars/Olympus Mons'");
    VmGroupSpec noSysprepRef = web();
    noSysprepRef.setBootstrap(new BootstrapSpec(null, null, new SysprepSpec()));
    assertThat(problems(noSysprepRef))
        .containsExactly("spec.bootstrap.sysprep.unattendSecretRef is required");
  }

  static VmGroupSpec withPool(AddressPoolSpec pool) {
    VmGroupSpec s = web();
    s.setNetworks(List.of(new NetworkSpec("DC0_DVPG0", pool)));
    return s;
  }

  @Test
  void addressesParseAndLieInOneSubnetWithTheGateway() {
    AddressPoolSpec p =
        new AddressPoolSpec(
            List.of("10.0.0.10-10.0.0.9", "10.0.0.x-10.0.0.20", "10.0.0.5"),
            List.of("10.0.0.0/33"),
            24,
            "10.0.0.256");
    assertThat(problems(withPool(p)))
        .containsExactly(
            "spec.networks[0].addresses.ranges[0]: range '10.0.0.10-10.0.0.9' ends before it"
                + " starts: write the lower address first",
            "spec.networks[0].addresses.ranges[1]: '10.0.0.x' is not an IPv4 address (four numbers"
                + " 0 to 255, such as 10.0.0.1)",
            "spec.networks[0].addresses.ranges[2]: '10.0.0.5' is not a range: write first-last,"
                + " such as 10.0.0.10-10.0.0.50",
            "spec.networks[0].addresses.cidrs[0]: '10.0.0.0/33' is not a CIDR block: write"
                + " address/prefix, such as 10.0.1.0/28",
            "spec.networks[0].addresses.gateway: '10.0.0.256' is not an IPv4 address (four"
                + " numbers 0 to 255, such as 10.0.0.1)");
    AddressPoolSpec outside =
        new AddressPoolSpec(List.of("10.0.0.10-10.0.1.20"), List.of("10.0.0.0/16"), 24, "10.0.0.0");
    assertThat(problems(withPool(outside)))
        .containsExactly(
            "spec.networks[0].addresses.ranges[0] 10.0.0.10-10.0.1.20 is not inside the subnet"
                + " 10.0.0.0/24 (prefix 24)",
            "spec.networks[0].addresses.cidrs[0] 10.0.0.0/16 is not inside the subnet 10.0.0.0/24"
                + " (prefix 24)",
            "spec.networks[0].addresses.gateway 10.0.0.0 is the network or broadcast address of"
                + " the subnet 10.0.0.0/24 (prefix 24)");
    AddressPoolSpec network = new AddressPoolSpec(List.of("10.0.0.0-10.0.0.20"), null, 24, null);
    assertThat(problems(withPool(network)))
        .containsExactly(
            "spec.networks[0].addresses.ranges[0] 10.0.0.0-10.0.0.20 includes the network address"
                + " of the subnet 10.0.0.0/24 (prefix 24)");
    AddressPoolSpec onlyGateway = new AddressPoolSpec(null, List.of("10.0.0.1/32"), 24, "10.0.0.1");
    assertThat(problems(withPool(onlyGateway)))
        .containsExactly(
            "spec.networks[0].addresses has no address to give: every one is the gateway");
    AddressPoolSpec dns = new AddressPoolSpec(null, List.of("10.0.0.0/24"), null, null);
    dns.setDnsServers(List.of("dns.example.com", "1.1.1.1", "8.8.8.8", "9.9.9.9"));
    dns.setSearchDomains(List.of("ok.example", "not ok"));
    assertThat(problems(withPool(dns)))
        .containsExactly(
            "spec.networks[0].addresses.dnsServers has 4 entries; a guest's resolver uses at"
                + " most 3",
            "spec.networks[0].addresses.dnsServers[0]: 'dns.example.com' is not an IPv4 address"
                + " (four numbers 0 to 255, such as 10.0.0.1)",
            "spec.networks[0].addresses.searchDomains[1] must be a DNS domain such as example.com");
  }

  @Test
  void adaptersDontShareAddressesOrDefaultRoutes() {
    VmGroupSpec s = web();
    s.setNetworks(
        List.of(
            new NetworkSpec(
                "DC0_DVPG0", new AddressPoolSpec(null, List.of("10.0.0.0/24"), null, "10.0.0.1")),
            new NetworkSpec(
                "DC0_DVPG0",
                new AddressPoolSpec(List.of("10.0.0.50-10.0.0.60"), null, 24, "10.0.0.1"))));
    assertThat(problems(s))
        .containsExactly(
            "spec.networks[1].addresses shares 10.0.0.50 and on with another adapter on network"
                + " 'DC0_DVPG0': one VM would have one address twice",
            "spec.networks[0].addresses.gateway and spec.networks[1].addresses.gateway are both"
                + " set: a VM gets one default route, so at most one network may have a gateway");
    s.setNetworks(
        List.of(
            new NetworkSpec(
                "DC0_DVPG0", new AddressPoolSpec(null, List.of("10.0.0.0/24"), null, null)),
            new NetworkSpec(
                "DC0_DVPG0", new AddressPoolSpec(List.of("10.0.0.50-10.0.0.60"), null, 24, null))));
    assertThat(problems(s))
        .containsExactly(
            "spec.networks[1].addresses shares 10.0.0.50 and on with another adapter on network"
                + " 'DC0_DVPG0': one VM would have one address twice");
    List<NetworkSpec> eleven = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      eleven.add(new NetworkSpec("n" + i, null));
    }
    s.setNetworks(eleven);
    assertThat(problems(s))
        .containsExactly(
            "spec.networks has 11 entries; vSphere gives a VM at most 10 network adapters");
    s.setNetworks(List.of(new NetworkSpec(" ", null), new NetworkSpec("a\u0000b", null)));
    assertThat(problems(s))
        .containsExactly(
            "spec.networks[0].name is required and must not be empty",
            "spec.networks[1].name must be a network name or path without control characters");
  }
}
