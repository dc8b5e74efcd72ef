package com.codeconnect.vmgroup.controller.vmgroup;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.ContentLibrarySpec;
import com.codeconnect.vmgroup.api.v1alpha1.RollingUpdate;
import com.codeconnect.vmgroup.api.v1alpha1.SourceSpec;
import com.codeconnect.vmgroup.api.v1alpha1.UpdateStrategy;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.Action;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.decision.Problem;
import com.codeconnect.vmgroup.endpoint.TemplateResolver;
import com.codeconnect.vmgroup.vsphere.LibraryItem;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.source.contentLibrary through the reconcile's steps on the in-memory vCenter: VMs deployed
 * from a VM template or an OVF item get the spec's size and the group's markers before their first
 * power-on, a new item version rolls the group within maxUnavailable, a missing library or item
 * deploys nothing and names what exists, and a crash between a deploy and its marking neither
 * duplicates nor orphans the VM while a stranger's VM of the same name is never adopted. Every look
 * asks the in-memory vCenter (no feed), so each pass sees what the last one did.
 */
class LibraryStepsTest {
  private static final String LIBRARY = "golden";
  private static final String VMTX = "ubuntu-vmtx";
  private static final String OVF = "ubuntu-ovf";

  /** The calls a group makes beyond reading its folder: lookups, deploys, VM changes. */
  private static final List<String> ACTING =
      List.of(
          "findLibraryItem",
          "deployLibraryItem",
          "details",
          "reconfigureVm",
          "powerOnVm",
          "powerOffVm",
          "destroy",
          "setCustomValue");

  private Steps steps;

  @BeforeEach
  void start() {
    steps = new Steps(false, 8);
    MoRef dc = steps.vcenter.datacenters().get(0).ref();
    MoRef template = steps.vcenter.findVmsByName(dc, "vm-operator-template").get(0).ref();
    String library = steps.vcenter.admin().addLibrary(LIBRARY);
    steps.vcenter.admin().addLibraryItem(library, VMTX, LibraryItem.Kind.VM_TEMPLATE, template);
    steps.vcenter.admin().addLibraryItem(library, OVF, LibraryItem.Kind.OVF, template);
  }

  @AfterEach
  void stop() {
    steps.close();
  }

  private static VmGroup group(String name, int replicas, String library, String item) {
    VmGroup g = Steps.group(name, replicas);
    g.getSpec().setTemplate(null);
    g.getSpec().setSource(new SourceSpec(new ContentLibrarySpec(library, item)));
    g.getSpec().setCpu(2);
    g.getSpec().setMemory(new io.fabric8.kubernetes.api.model.IntOrString(3));
    return g;
  }

  private List<VmInfo> owned(VmGroup g) {
    return steps.vms(g).stream()
        .filter(vm -> Ownership.ownedBy(vm, g.getMetadata().getUid()))
        .toList();
  }

  @Test
  void vmTemplateAndOvfGroupsRunAtTheSpecsSizeWithTheGroupsMarkers() {
    for (String item : List.of(VMTX, OVF)) {
      VmGroup g = group("lib-" + item.substring(item.length() - 3), 3, LIBRARY, item);
      steps.converge(g, 40);

      List<VmInfo> vms = steps.vms(g);
      assertThat(vms).hasSize(3);
      assertThat(steps.running(g)).hasSize(3);
      for (VmInfo vm : vms) {
        assertThat(vm.cpu()).isEqualTo(2);
        assertThat(vm.memoryMiB()).isEqualTo(3072);
        assertThat(vm.extraConfig())
            .containsEntry(Ownership.OWNER_UID, g.getMetadata().getUid())
            .containsEntry(Ownership.CONTENT_VERSION, "1")
            .containsKey(Ownership.SOURCE_HASH);
        assertThat(steps.vcenter.details(vm.ref()).annotation())
            .contains(Ownership.deployToken(g.getMetadata().getUid()))
            .contains("VmGroup ns/" + g.getMetadata().getName());
      }
      assertThat(steps.events.withReason("Deploy")).isNotEmpty();
    }
  }

  @Test
  void aVmIsNeverPoweredOnBeforeItIsMarkedAndSized() {
    VmGroup g = group("lib-order", 2, LIBRARY, VMTX);
    for (int i = 0; i < 40 && steps.running(g).size() < 2; i++) {
      steps.reconcile(g);
      for (VmInfo vm : steps.vms(g)) {
        if (vm.powerState() == PowerState.POWERED_ON) {
          assertThat(vm.extraConfig()).containsKey(Ownership.OWNER_UID);
          assertThat(vm.cpu()).isEqualTo(2);
        }
      }
      steps.clock.advance(Duration.ofSeconds(1));
    }
    assertThat(steps.running(g)).hasSize(2);
  }

  @Test
  void aNewItemVersionRollsTheGroupWithinMaxUnavailable() {
    VmGroup g = group("lib-roll", 4, LIBRARY, VMTX);
    g.getSpec()
        .setUpdateStrategy(
            new UpdateStrategy(
                UpdateStrategy.Type.RollingUpdate,
                new RollingUpdate(
                    new io.fabric8.kubernetes.api.model.IntOrString(1),
                    new io.fabric8.kubernetes.api.model.IntOrString(0))));
    steps.converge(g, 40);
    Set<MoRef> first = owned(g).stream().map(VmInfo::ref).collect(Collectors.toSet());

    assertThat(steps.vcenter.admin().publishLibraryItem(VMTX)).isEqualTo("2");
    // the item is looked up again once its remembered lookup runs out (the resync interval)
    steps.clock.advance(Duration.ofSeconds(61));
    int minRunning = Integer.MAX_VALUE;
    for (int i = 0; i < 120; i++) {
      steps.reconcile(g);
      minRunning = Math.min(minRunning, steps.running(g).size());
      if (owned(g).size() == 4
          && owned(g).stream()
              .allMatch(
                  vm ->
                      "2".equals(vm.extraConfig().get(Ownership.CONTENT_VERSION))
                          && vm.powerState() == PowerState.POWERED_ON)) {
        break;
      }
      steps.clock.advance(Duration.ofSeconds(1));
    }
    assertThat(owned(g))
        .hasSize(4)
        .allSatisfy(
            vm -> assertThat(vm.extraConfig()).containsEntry(Ownership.CONTENT_VERSION, "2"));
    assertThat(owned(g)).extracting(VmInfo::ref).doesNotContainAnyElementsOf(first);
    assertThat(minRunning).isGreaterThanOrEqualTo(3);
  }

  @Test
  void aMissingLibraryOrItemDeploysNothingAndNamesWhatExists() {
    VmGroup noLibrary = group("lib-none", 2, "silver", VMTX);
    Steps.Pass pass = steps.reconcile(noLibrary);
    Problem problem = ((TemplateResolver.Missing) pass.seen().template()).problem();
    assertThat(problem.reason()).isEqualTo(Problem.Reason.LibraryItemNotFound);
    assertThat(problem.message())
        .contains("content library 'silver' not found")
        .contains("'" + LIBRARY + "'");
    assertThat(pass.acted().started()).isEmpty();

    VmGroup noItem = group("lib-noitem", 2, LIBRARY, "centos");
    pass = steps.reconcile(noItem);
    problem = ((TemplateResolver.Missing) pass.seen().template()).problem();
    assertThat(problem.message())
        .contains("item 'centos' not found in content library '" + LIBRARY + "'")
        .contains("'" + VMTX + "'")
        .contains("'" + OVF + "'");
    assertThat(pass.acted().started()).isEmpty();

    steps.vcenter.admin().addLibrary(LIBRARY);
    steps.clock.advance(Duration.ofSeconds(61));
    VmGroup twice = group("lib-twice", 2, LIBRARY, VMTX);
    problem = ((TemplateResolver.Missing) steps.reconcile(twice).seen().template()).problem();
    assertThat(problem.reason()).isEqualTo(Problem.Reason.LibraryItemAmbiguous);
    assertThat(problem.message()).contains("matches 2 libraries");
    assertThat(steps.vms(noLibrary)).isEmpty();
    assertThat(steps.vms(noItem)).isEmpty();
    assertThat(steps.vms(twice)).isEmpty();
  }

  @Test
  void aCrashBetweenDeployAndMarkingFinishesTheSameVmAfterTheRestart() {
    VmGroup g = group("lib-crash", 2, LIBRARY, OVF);
    // until both deploys have ended and left VMs that carry no marker yet
    for (int i = 0; i < 40; i++) {
      steps.reconcile(g);
      steps.clock.advance(Duration.ofSeconds(1));
      if (steps.vms(g).size() == 2 && owned(g).isEmpty()) {
        break;
      }
    }
    List<VmInfo> deployed = steps.vms(g);
    assertThat(deployed).hasSize(2).allSatisfy(vm -> assertThat(vm.extraConfig()).isEmpty());

    steps.restart();
    steps.converge(g, 40);

    assertThat(steps.vms(g)).hasSize(2);
    assertThat(owned(g))
        .extracting(VmInfo::ref)
        .containsExactlyInAnyOrderElementsOf(deployed.stream().map(VmInfo::ref).toList());
  }

  @Test
  void aStrangersVmWithTheGroupsNameIsNeverAdoptedNorDestroyed() {
    VmGroup g = group("lib-stranger", 1, LIBRARY, VMTX);
    steps.converge(g, 40);
    MoRef folder = steps.folder(g).orElseThrow();
    // an administrator's VM under the name the group would give its second VM
    steps.vcenter.admin().addVm(folder, "lib-stranger-1");

    g.getSpec().setReplicas(2);
    steps.converge(g, 40);
    VmInfo stranger =
        steps.vms(g).stream().filter(vm -> vm.name().equals("lib-stranger-1")).findFirst().get();
    assertThat(stranger.extraConfig()).doesNotContainKey(Ownership.OWNER_UID);
    assertThat(owned(g)).extracting(VmInfo::name).doesNotContain("lib-stranger-1").hasSize(2);

    steps.delete(g, 40);
    assertThat(steps.vcenter.admin().vm(stranger.ref())).isPresent();
  }

  @Test
  void deletingTheGroupDestroysAVmDeployedButNotYetMarked() {
    VmGroup g = group("lib-gone", 1, LIBRARY, VMTX);
    for (int i = 0; i < 40 && steps.vms(g).isEmpty(); i++) {
      steps.reconcile(g);
      steps.clock.advance(Duration.ofSeconds(1));
    }
    steps.restart();
    assertThat(steps.vms(g)).hasSize(1);
    assertThat(owned(g)).isEmpty();

    steps.delete(g, 40);
    assertThat(steps.vms(g)).isEmpty();
  }

  @Test
  void aConvergedGroupCostsNoCallUntilItsItemIsLookedUpAgain() {
    VmGroup g = group("lib-quiet", 2, LIBRARY, VMTX);
    Steps.Pass last = steps.converge(g, 40);
    g.setStatus(
        GroupReport.of(g, steps.ep, last.planned(), last.acted(), null, steps.clock.instant())
            .status());
    java.util.Map<String, Long> before = steps.vcenter.callCounts();
    for (int i = 0; i < 10; i++) {
      steps.clock.advance(Duration.ofSeconds(1));
      steps.reconcile(g);
    }
    // Reading the folder is the feed's business (here its thread may trail the hand-moved clock);
    // nothing of the group's own may be asked again.
    for (String call : ACTING) {
      assertThat(steps.vcenter.callCounts().getOrDefault(call, 0L))
          .as(call)
          .isEqualTo(before.getOrDefault(call, 0L));
    }

    // the remembered lookup runs out after the resync interval: one lookup, nothing else
    steps.clock.advance(Duration.ofSeconds(60));
    steps.reconcile(g);
    java.util.Map<String, Long> after = steps.vcenter.callCounts();
    assertThat(after.get("findLibraryItem")).isEqualTo(before.get("findLibraryItem") + 1);
    assertThat(after.getOrDefault("deployLibraryItem", 0L))
        .isEqualTo(before.getOrDefault("deployLibraryItem", 0L));
  }

  @Test
  void aDeployedVmIsFinishedInTheFirstRoundThatSeesItNotAfterTheTaskSafetyNet() {
    VmGroup g = group("lib-fast", 1, LIBRARY, VMTX);
    int rounds = 0;
    while (steps.running(g).isEmpty() && rounds < 40) {
      steps.reconcile(g);
      steps.clock.advance(Duration.ofMillis(500));
      rounds++;
    }
    assertThat(steps.running(g)).hasSize(1);
    // deploy, its end, the finishing reconfigure, its end, the power-on: well under the
    // safety net (RequeuePolicy.TASK_SAFETY_NET) a settling deploy would otherwise wait for
    assertThat(rounds).isLessThan(12);
  }

  @Test
  void aWebTierFromTheLibraryGetsItsNetworksAddressesDisksAndCloudInitBeforeItsFirstBoot()
      throws Exception {
    for (String item : List.of(VMTX, OVF)) {
      VmGroup web = VmSpecStepsTest.web(steps);
      web.getMetadata().setName("web-" + item.substring(item.length() - 3));
      web.getMetadata().setUid(java.util.UUID.randomUUID().toString());
      web.getSpec().setTemplate(null);
      web.getSpec().setSource(new SourceSpec(new ContentLibrarySpec(LIBRARY, item)));
      steps.converge(web, 40);

      for (VmInfo vm : steps.running(web)) {
        int index = Ownership.index(vm).orElseThrow();
        var d = steps.vcenter.details(vm.ref());
        assertThat(d.nics()).hasSize(2);
        assertThat(d.nics().get(0).backing())
            .isInstanceOf(com.codeconnect.vmgroup.vsphere.NicBacking.Distributed.class);
        assertThat(d.bootDisk().orElseThrow().capacityKiB()).isEqualTo(4L * 1024 * 1024);
        assertThat(d.disks()).hasSize(2);
        assertThat(vm.extraConfig()).containsEntry(Ownership.ADDRESSES, "10.10.0.1" + index);
        String metadata =
            VmSpecStepsTest.decode(
                d.extraConfig().get(com.codeconnect.vmgroup.decision.CloudInit.METADATA));
        assertThat(metadata)
            .contains("10.10.0.1" + index + "/24")
            .contains(d.nics().get(0).macAddress());
        assertThat(
                VmSpecStepsTest.decode(
                    d.extraConfig().get(com.codeconnect.vmgroup.decision.CloudInit.USERDATA)))
            .contains("hostname: " + vm.name());
      }
      assertThat(steps.running(web)).hasSize(2);
    }
  }

  @Test
  void linuxPrepCustomizesADeployedVmOnceBeforeItsFirstBootEvenAcrossACrash() {
    VmGroup web = VmSpecStepsTest.web(steps);
    web.getSpec().setTemplate(null);
    web.getSpec().setSource(new SourceSpec(new ContentLibrarySpec(LIBRARY, OVF)));
    web.getSpec()
        .setBootstrap(
            new com.codeconnect.vmgroup.api.v1alpha1.BootstrapSpec(
                null,
                new com.codeconnect.vmgroup.api.v1alpha1.LinuxPrepSpec("example.com", null),
                null));
    // until a VM has its customization in vCenter and the operator forgets that (a crash)
    boolean crashed = false;
    for (int i = 0; i < 40 && !crashed; i++) {
      Steps.Pass pass = steps.reconcile(web);
      crashed =
          pass.acted().started().stream().anyMatch(a -> a instanceof Action.Customize)
              && steps.vms(web).stream().anyMatch(Ownership::customizationPending);
      steps.clock.advance(Duration.ofSeconds(1));
    }
    assertThat(crashed).isTrue();
    int customizedBefore = steps.events.withReason("Customize").size();
    steps.restart();
    steps.converge(web, 40);
    // the next life asked again for the VMs it had no record of, and vCenter said it holds them
    assertThat(steps.events.withReason("Customize")).hasSizeGreaterThan(customizedBefore);

    for (VmInfo vm : steps.running(web)) {
      int index = Ownership.index(vm).orElseThrow();
      var guest = steps.vcenter.details(vm.ref()).guest();
      assertThat(guest.hostName()).isEqualTo("web-" + index);
      assertThat(guest.nics().get(0).ipAddresses()).contains("10.10.0.1" + index);
      assertThat(vm.extraConfig()).doesNotContainKey(Ownership.CUSTOMIZATION);
    }
    assertThat(steps.running(web)).hasSize(2);

    // a later power cycle boots the guest without a second customization
    int customized = steps.events.withReason("Customize").size();
    VmInfo first = steps.running(web).get(0);
    steps.vcenter.admin().powerOff(first.ref());
    steps.converge(web, 20);
    assertThat(steps.events.withReason("Customize")).hasSize(customized);
    assertThat(steps.events.withReason("PowerOn")).isNotEmpty();
  }

  @Test
  void sysprepCustomizesADeployedWindowsVmWithItsAnswerFileAndNoSecretInAnEvent() {
    String secret = "<Password>pa55-w0rd</Password>";
    steps.secrets.put(
        "ns/win",
        java.util.Map.of(
            "unattend.xml",
            ("<unattend><ComputerName>${VM_NAME}</ComputerName>" + secret + "</unattend>")
                .getBytes()));
    VmGroup win = group("win", 2, LIBRARY, VMTX);
    win.getSpec()
        .setBootstrap(
            new com.codeconnect.vmgroup.api.v1alpha1.BootstrapSpec(
                null,
                null,
                new com.codeconnect.vmgroup.api.v1alpha1.SysprepSpec(
                    new com.codeconnect.vmgroup.api.v1alpha1.SecretKeyRef("win", "unattend.xml"))));
    steps.converge(win, 40);

    assertThat(steps.running(win))
        .hasSize(2)
        .allSatisfy(vm -> assertThat(vm.extraConfig()).doesNotContainKey(Ownership.CUSTOMIZATION));
    assertThat(steps.events.withReason("Customize")).hasSize(2);
    assertThat(steps.events.all()).noneMatch(e -> e.message().contains("pa55-w0rd"));
  }
}
