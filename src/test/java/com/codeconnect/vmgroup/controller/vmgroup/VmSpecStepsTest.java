package com.codeconnect.vmgroup.controller.vmgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.codeconnect.vmgroup.api.v1alpha1.AddressPoolSpec;
import com.codeconnect.vmgroup.api.v1alpha1.BootstrapSpec;
import com.codeconnect.vmgroup.api.v1alpha1.CloudInitSpec;
import com.codeconnect.vmgroup.api.v1alpha1.DiskSpec;
import com.codeconnect.vmgroup.api.v1alpha1.ExtraDiskSpec;
import com.codeconnect.vmgroup.api.v1alpha1.LinuxPrepSpec;
import com.codeconnect.vmgroup.api.v1alpha1.NetworkSpec;
import com.codeconnect.vmgroup.api.v1alpha1.SecretKeyRef;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.CloudInit;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.endpoint.TemplateResolver;
import com.codeconnect.vmgroup.vsphere.NicBacking;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.fake.TaskKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Groups with bootstrap, networks, static addresses and disks, against the in-memory vCenter. */
class VmSpecStepsTest {
  static final String USER_DATA = "#cloud-config\nhostname: ${VM_NAME}\n";

  /** The sample web tier, smaller: 2 VMs. */
  static VmGroup web(Steps steps) {
    VmGroup g = Steps.group("web", 2);
    g.getSpec().setCoresPerSocket(1);
    g.getSpec()
        .setBootstrap(
            new BootstrapSpec(
                new CloudInitSpec(new SecretKeyRef("web-userdata", "user-data")), null, null));
    AddressPoolSpec pool =
        new AddressPoolSpec(List.of("10.10.0.10-10.10.0.19"), null, 24, "10.10.0.1");
    g.getSpec()
        .setNetworks(
            List.of(new NetworkSpec("DC0_DVPG0", pool), new NetworkSpec("VM Network", null)));
    g.getSpec().setDisk(new DiskSpec(4));
    g.getSpec().setExtraDisks(List.of(new ExtraDiskSpec(2, ExtraDiskSpec.Provisioning.thin)));
    steps.secrets.put("ns/web-userdata", Map.of("user-data", USER_DATA.getBytes()));
    return g;
  }

  @Test
  void aWebTierGetsItsNetworksAddressesDisksAndCloudInitMetadataBeforeItsFirstBoot()
      throws Exception {
    try (Steps steps = new Steps()) {
      VmGroup g = web(steps);

      Steps.Pass first = steps.reconcile(g);
      assertThat(first.acted().started())
          .extracting(a -> a.getClass().getSimpleName())
          .containsOnly("Clone");
      Steps.Pass second = steps.reconcile(g);
      // the clones are off until their metadata, which names the MACs vCenter gave them, is written
      assertThat(second.acted().started())
          .extracting(a -> a.getClass().getSimpleName())
          .containsOnly("WriteMetadata");
      steps.converge(g, 10);

      for (VmInfo vm : steps.running(g)) {
        int index = Ownership.index(vm).orElseThrow();
        VmDetails d = steps.vcenter.details(vm.ref());
        assertThat(d.nics()).hasSize(2);
        assertThat(d.nics().get(0).backing()).isInstanceOf(NicBacking.Distributed.class);
        assertThat(d.nics().get(1).backing()).isInstanceOf(NicBacking.Standard.class);
        assertThat(d.bootDisk().orElseThrow().capacityKiB()).isEqualTo(4L * 1024 * 1024);
        assertThat(d.disks()).hasSize(2);
        assertThat(d.disks().get(1).thin()).isTrue();
        assertThat(d.annotation()).contains("ns/web");
        assertThat(vm.extraConfig()).containsEntry(Ownership.ADDRESSES, "10.10.0.1" + index);
        String userData = decode(d.extraConfig().get(CloudInit.USERDATA));
        assertThat(userData).contains("hostname: web-" + index);
        String metadata = decode(d.extraConfig().get(CloudInit.METADATA));
        assertThat(metadata)
            .contains("\"local-hostname\":\"web-" + index + "\"")
            .contains("10.10.0.1" + index + "/24")
            .contains(d.nics().get(0).macAddress());
        assertThat(metadata).contains(vm.extraConfig().get(Ownership.INSTANCE_ID));
      }
      assertThat(steps.vcenter.tasksStarted(TaskKind.CLONE)).isEqualTo(2);
    }
  }

  @Test
  void aMissingSecretOrKeyStopsTheGroupBeforeVcenterIsAsked() {
    try (Steps steps = new Steps()) {
      VmGroup g = web(steps);
      steps.secrets.clear();
      GroupStopped missing = catchThrowableOfType(GroupStopped.class, () -> steps.reconcile(g));
      assertThat(missing.problem().reason()).isEqualTo(Problem.Reason.BootstrapSecretMissing);
      assertThat(missing.problem().message()).contains("ns/web-userdata", "not found");

      steps.clock.advance(BootstrapSource.REMEMBER_FOR.plusSeconds(1));
      steps.secrets.put("ns/web-userdata", Map.of("other", new byte[] {1}));
      missing = catchThrowableOfType(GroupStopped.class, () -> steps.reconcile(g));
      assertThat(missing.problem().message()).contains("no key 'user-data'", "[other]");
      assertThat(steps.vcenter.clientCallCount()).isZero();
    }
  }

  @Test
  void aRotatedSecretMakesTheVmsOutdatedAndRollsThem() {
    try (Steps steps = new Steps()) {
      VmGroup g = web(steps);
      steps.converge(g, 10);
      List<String> before = steps.running(g).stream().map(VmInfo::instanceUuid).toList();

      steps.clock.advance(BootstrapSource.REMEMBER_FOR.plusSeconds(1));
      steps.secrets.put("ns/web-userdata", Map.of("user-data", "#cloud-config\n# v2\n".getBytes()));
      Steps.Pass pass = steps.reconcile(g);
      assertThat(pass.planned().plan().outdated()).isEqualTo(2);
      steps.converge(g, 30);

      assertThat(steps.running(g))
          .extracting(VmInfo::instanceUuid)
          .doesNotContainAnyElementsOf(before);
    }
  }

  @Test
  void aPoolTooSmallStopsAtItsSizeAndSaysWhich() {
    try (Steps steps = new Steps()) {
      VmGroup g = web(steps);
      g.getSpec().getNetworks().get(0).getAddresses().setRanges(List.of("10.10.0.10-10.10.0.10"));
      for (int i = 0; i < 5; i++) {
        steps.reconcile(g);
        steps.clock.advance(java.time.Duration.ofSeconds(1));
      }
      Steps.Pass pass = steps.reconcile(g);
      assertThat(steps.vms(g)).extracting(VmInfo::name).containsExactly("web-0");
      assertThat(pass.planned().plan().addressesWaiting()).isEqualTo(1);
      assertThat(pass.planned().desired().addresses().exhausted(2).reason())
          .isEqualTo(Problem.Reason.AddressPoolExhausted);
    }
  }

  @Test
  void aNetworkTheVcenterDoesNotAllowCreatesNothing() {
    VCenterSpec spec = new VCenterSpec();
    spec.allowedNetworks = List.of("VM Network");
    try (Steps steps = new Steps().withVcenterSpec(spec)) {
      VmGroup g = web(steps);
      Steps.Pass pass = steps.reconcile(g);
      assertThat(pass.seen().template()).isInstanceOf(TemplateResolver.Missing.class);
      Problem p = ((TemplateResolver.Missing) pass.seen().template()).problem();
      assertThat(p.reason()).isEqualTo(Problem.Reason.NetworkNotAllowed);
      assertThat(p.message()).contains("DC0_DVPG0", "VM Network");
      assertThat(pass.acted().started()).isEmpty();
      assertThat(steps.vcenter.tasksStarted(TaskKind.CLONE)).isZero();
    }
  }

  @Test
  void anUnknownNetworkIsNamedAndNothingIsCloned() {
    try (Steps steps = new Steps()) {
      VmGroup g = web(steps);
      g.getSpec().getNetworks().get(1).setName("no-such-net");
      Steps.Pass pass = steps.reconcile(g);
      Problem p = ((TemplateResolver.Missing) pass.seen().template()).problem();
      assertThat(p.reason()).isEqualTo(Problem.Reason.NetworkNotFound);
      assertThat(p.message()).contains("no-such-net", "DC0");
      assertThat(steps.vcenter.tasksStarted(TaskKind.CLONE)).isZero();
    }
  }

  @Test
  void aLargerBootDiskGrowsRunningVmsInPlace() {
    try (Steps steps = new Steps()) {
      VmGroup g = web(steps);
      steps.converge(g, 10);
      g.getSpec().setDisk(new DiskSpec(6));
      g.getMetadata().setGeneration(2L);
      Steps.Pass pass = steps.reconcile(g);
      assertThat(pass.acted().started()).allMatch(a -> a instanceof Action.GrowDisk);
      steps.converge(g, 10);
      for (VmInfo vm : steps.running(g)) {
        assertThat(steps.vcenter.details(vm.ref()).bootDisk().orElseThrow().capacityKiB())
            .isEqualTo(6L * 1024 * 1024);
        assertThat(vm.extraConfig()).containsEntry(Ownership.BOOT_DISK_GIB, "6");
      }
      assertThat(steps.vcenter.tasksStarted(TaskKind.POWER_OFF)).isZero();
    }
  }

  @Test
  void linuxPrepGivesEachVmItsNameAndAddress() {
    try (Steps steps = new Steps()) {
      VmGroup g = web(steps);
      g.getSpec()
          .setBootstrap(new BootstrapSpec(null, new LinuxPrepSpec("example.com", null), null));
      steps.converge(g, 10);
      for (VmInfo vm : steps.running(g)) {
        int index = Ownership.index(vm).orElseThrow();
        VmDetails.Guest guest = steps.vcenter.details(vm.ref()).guest();
        assertThat(guest.hostName()).isEqualTo("web-" + index);
        assertThat(guest.nics().get(0).ipAddresses()).contains("10.10.0.1" + index);
      }
    }
  }

  @Test
  void aGroupWhosePoolOverlapsAnEarlierGroupsMakesNoVm() {
    try (Steps steps = new Steps()) {
      VmGroup older = web(steps);
      older.getMetadata().setCreationTimestamp("2026-12-01T00:00:00Z");
      VmGroup newer = Steps.group("web2", 1);
      newer.getMetadata().setCreationTimestamp("2026-12-02T00:00:00Z");
      newer.getSpec().setBootstrap(older.getSpec().getBootstrap());
      newer
          .getSpec()
          .setNetworks(
              List.of(
                  new NetworkSpec(
                      "DC0_DVPG0",
                      new AddressPoolSpec(List.of("10.10.0.15-10.10.0.30"), null, 24, null))));
      steps.others.add(older);
      steps.others.add(newer);

      Steps.Pass pass = steps.reconcile(newer);
      Problem p = ((TemplateResolver.Missing) pass.seen().template()).problem();
      assertThat(p.reason()).isEqualTo(Problem.Reason.AddressPoolOverlap);
      assertThat(p.message()).contains("ns/web", "ns/web2", "10.10.0.15");
      // the older group goes on
      steps.converge(older, 10);
    }
  }

  static String decode(String gzipBase64) throws Exception {
    try (var in =
        new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(gzipBase64)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
