package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The hashes recorded on VMs: unchanged for specs without the new fields (else an upgrade would
 * replace every VM), and changed by each field only a new VM can take.
 */
class SpecHashTest {
  static VmGroupSpec seed() {
    return new VmGroupSpec(1, 1, 3, "vm-operator-template");
  }

  /**
   * The values the operator before the new fields wrote on every VM of the seed's vg-1 and of a
   * linked 2-CPU group (SHA-256 of the recipe, computed outside this code base): they must never
   * change for such specs.
   */
  @Test
  void hashesOfSpecsWithoutTheNewFieldsAreTheOnesAlreadyOnVms() {
    assertThat(SpecHash.of("vm-operator-template", "full", 1, 1024))
        .isEqualTo(new SpecHash("286b9747dc3b4c82", "5b4862a10f77a0f8"));
    assertThat(SpecHash.of(seed(), null))
        .isEqualTo(new SpecHash("286b9747dc3b4c82", "5b4862a10f77a0f8"));
    VmGroupSpec linked = new VmGroupSpec(2, 2, 1, "vm-operator-template");
    linked.setCloneMode(VmGroupSpec.CloneMode.linked);
    assertThat(SpecHash.of(linked, null))
        .isEqualTo(new SpecHash("564d5d14979cab2e", "0c1329b25816305c"));
    assertThat(ReplicaPlan.Desired.of("vg-1", seed(), true).hash())
        .isEqualTo(new SpecHash("286b9747dc3b4c82", "5b4862a10f77a0f8"));
  }

  @Test
  void memoryWrittenAsAQuantityHashesLikeTheSameGiB() {
    VmGroupSpec quantity = seed();
    quantity.setMemory(new IntOrString("1Gi"));
    VmGroupSpec mib = seed();
    mib.setMemory(new IntOrString("1024Mi"));
    assertThat(SpecHash.of(quantity, null)).isEqualTo(SpecHash.of(seed(), null));
    assertThat(SpecHash.of(mib, null)).isEqualTo(SpecHash.of(seed(), null));
  }

  @Test
  void emptyNewFieldsHashLikeAbsentOnes() {
    VmGroupSpec empty = seed();
    empty.setBootstrap(new BootstrapSpec());
    empty.setNetworks(List.of());
    empty.setExtraDisks(List.of());
    empty.setDisk(new DiskSpec());
    assertThat(SpecHash.of(empty, null)).isEqualTo(SpecHash.of(seed(), null));
    // and so does the same spec read from YAML
    VmGroupSpec read =
        Serialization.unmarshal(
            "cpu: 1\nmemory: 1\nreplicas: 3\ntemplate: vm-operator-template\nnetworks: []\n"
                + "extraDisks: []\nbootstrap: {}\n",
            VmGroupSpec.class);
    assertThat(SpecHash.of(read, null)).isEqualTo(SpecHash.of(seed(), null));
  }

  /** Each field only a new VM can take changes the source hash, so the VMs are replaced. */
  @Test
  void eachCloneOnlyFieldChangesTheSource() {
    SpecHash before = SpecHash.of(seed(), null);
    List<Consumer<VmGroupSpec>> changes = new ArrayList<>();
    changes.add(s -> s.setCoresPerSocket(1));
    changes.add(s -> s.setBootstrap(cloudInit("#cloud-config\n")));
    changes.add(
        s -> s.setBootstrap(new BootstrapSpec(null, new LinuxPrepSpec("example.com", null), null)));
    changes.add(s -> s.setNetworks(List.of(new NetworkSpec("VM Network", null))));
    changes.add(
        s -> s.setNetworks(List.of(new NetworkSpec("DC0_DVPG0", pool("10.0.0.10-10.0.0.20")))));
    changes.add(s -> s.setExtraDisks(List.of(new ExtraDiskSpec(20, null))));
    List<String> sources = new ArrayList<>();
    for (Consumer<VmGroupSpec> change : changes) {
      VmGroupSpec s = seed();
      change.accept(s);
      SpecHash after = SpecHash.of(s, null);
      assertThat(after.source()).as("source after %s", s).isNotEqualTo(before.source());
      assertThat(after.spec()).isNotEqualTo(before.spec());
      sources.add(after.source());
    }
    assertThat(sources).doesNotHaveDuplicates();
  }

  @Test
  void everyPartOfANetworkOrDiskCounts() {
    List<SpecHash> hashes = new ArrayList<>();
    for (AddressPoolSpec p :
        List.of(
            pool("10.0.0.10-10.0.0.20"),
            pool("10.0.0.10-10.0.0.21"),
            withGateway(pool("10.0.0.10-10.0.0.20"), "10.0.0.1"),
            withDns(pool("10.0.0.10-10.0.0.20"), List.of("10.0.0.2"), null),
            withDns(pool("10.0.0.10-10.0.0.20"), null, List.of("example.com")))) {
      VmGroupSpec s = seed();
      s.setNetworks(List.of(new NetworkSpec("DC0_DVPG0", p)));
      hashes.add(SpecHash.of(s, null));
    }
    VmGroupSpec thick = seed();
    thick.setExtraDisks(List.of(new ExtraDiskSpec(20, ExtraDiskSpec.Provisioning.thick)));
    hashes.add(SpecHash.of(thick, null));
    VmGroupSpec bigger = seed();
    bigger.setExtraDisks(List.of(new ExtraDiskSpec(30, null)));
    hashes.add(SpecHash.of(bigger, null));
    VmGroupSpec thin = seed();
    thin.setExtraDisks(List.of(new ExtraDiskSpec(20, null)));
    hashes.add(SpecHash.of(thin, null));
    assertThat(hashes).doesNotHaveDuplicates();
    // the default spelled out is the default
    VmGroupSpec explicit = seed();
    explicit.setExtraDisks(List.of(new ExtraDiskSpec(20, ExtraDiskSpec.Provisioning.thin)));
    assertThat(SpecHash.of(explicit, null)).isEqualTo(SpecHash.of(thin, null));
  }

  @Test
  void theBootDiskSizeIsNotInTheHashes() {
    VmGroupSpec grown = seed();
    grown.setDisk(new DiskSpec(40));
    assertThat(SpecHash.of(grown, null)).isEqualTo(SpecHash.of(seed(), null));
  }

  @Test
  void theContentOfTheBootstrapCounts() {
    assertThat(hashOf(cloudInit("#cloud-config\npackages: [nginx]\n"), null))
        .isNotEqualTo(hashOf(cloudInit("#cloud-config\npackages: [apache2]\n"), null));
    BootstrapSpec fromSecret = secretCloudInit("web", "user-data");
    String v1 = SpecHash.contentDigest("#cloud-config\n".getBytes(StandardCharsets.UTF_8));
    String v2 =
        SpecHash.contentDigest("#cloud-config\nruncmd: []\n".getBytes(StandardCharsets.UTF_8));
    assertThat(hashOf(fromSecret, v1)).isNotEqualTo(hashOf(fromSecret, v2));
    assertThat(hashOf(fromSecret, v1)).isEqualTo(hashOf(secretCloudInit("web", "user-data"), v1));
    assertThat(hashOf(fromSecret, v1)).isNotEqualTo(hashOf(secretCloudInit("web", "other"), v1));
    BootstrapSpec sysprep =
        new BootstrapSpec(null, null, new SysprepSpec(new SecretKeyRef("win", "unattend.xml")));
    assertThat(hashOf(sysprep, v1)).isNotEqualTo(hashOf(sysprep, v2));
    assertThat(
            hashOf(
                new BootstrapSpec(null, new LinuxPrepSpec("example.com", "Etc/UTC"), null), null))
        .isNotEqualTo(
            hashOf(new BootstrapSpec(null, new LinuxPrepSpec("example.com", null), null), null));
  }

  @Test
  void aSecretsDigestMustBeGivenWhenTheBootstrapReadsOne() {
    VmGroupSpec s = seed();
    s.setBootstrap(secretCloudInit("web", "user-data"));
    assertThatThrownBy(() -> SpecHash.of(s, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Secret web/user-data");
    assertThatThrownBy(() -> ReplicaPlan.Desired.of("vg", s, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ReplicaPlan.Desired.of("vg", s, true, new ReplicaPlan.Facts("abc", null)).hash())
        .isEqualTo(SpecHash.of(s, "abc"));
  }

  static SpecHash hashOf(BootstrapSpec bootstrap, String digest) {
    VmGroupSpec s = seed();
    s.setBootstrap(bootstrap);
    return SpecHash.of(s, digest);
  }

  static BootstrapSpec cloudInit(String userData) {
    return new BootstrapSpec(new CloudInitSpec(userData), null, null);
  }

  static BootstrapSpec secretCloudInit(String name, String key) {
    return new BootstrapSpec(new CloudInitSpec(new SecretKeyRef(name, key)), null, null);
  }

  static AddressPoolSpec pool(String range) {
    return new AddressPoolSpec(List.of(range), null, 24, null);
  }

  static AddressPoolSpec withGateway(AddressPoolSpec p, String gateway) {
    p.setGateway(gateway);
    return p;
  }

  static AddressPoolSpec withDns(AddressPoolSpec p, List<String> servers, List<String> search) {
    p.setDnsServers(servers);
    p.setSearchDomains(search);
    return p;
  }
}
