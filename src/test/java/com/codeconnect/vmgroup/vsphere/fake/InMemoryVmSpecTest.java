package com.codeconnect.vmgroup.vsphere.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.DeviceChange;
import com.codeconnect.vmgroup.vsphere.GuestCustomization;
import com.codeconnect.vmgroup.vsphere.GuestCustomization.IpSettings;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmChange;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the in-memory vCenter follows vCenter and the simulator doesn't, so the contract can't say
 * it (see {@code VmSpecContract}): guest view, MAC addresses, delta disks, a SCSI controller's own
 * unit, clone quirks.
 */
class InMemoryVmSpecTest {
  private InMemoryVcenter vc;
  private MoRef template;
  private MoRef pool;
  private MoRef folder;
  private VmDetails templateDetails;

  @BeforeEach
  void setUp() {
    vc = InMemoryVcenter.create();
    template = vc.findByInventoryPath("/DC0/vm/vm-operator-template").orElseThrow();
    pool = vc.findByInventoryPath("/DC0/host/DC0_C0/Resources").orElseThrow();
    folder = vc.createFolder(vc.findByInventoryPath("/DC0/vm").orElseThrow(), "t");
    templateDetails = vc.details(template);
  }

  private CloneRequest request(String name, MoRef snapshot, boolean powerOn) {
    return new CloneRequest(template, folder, pool, null, name, 1, 32, Map.of(), snapshot, powerOn);
  }

  private TaskInfo run(TaskRef t) {
    return vc.tasks(List.of(t)).get(0);
  }

  @Test
  void theGuestReportsOnlyWhileTheVmRuns() {
    MoRef vm = run(vc.cloneVm(request("off", null, false))).result();
    assertThat(vc.details(vm).guest()).isEqualTo(VmDetails.Guest.NONE);
    vc.admin().powerOn(vm);
    assertThat(vc.details(vm).guest().nics()).hasSize(1);
    assertThat(vc.details(vm).guest().nics().get(0).network()).isEqualTo("DC0_DVPG0");
  }

  @Test
  void everyCloneGetsNewMacAddressesAndItsOwnConsolidatedDisk() {
    MoRef vm = run(vc.cloneVm(request("macs", null, false))).result();
    VmDetails d = vc.details(vm);
    assertThat(d.nics().get(0).macAddress())
        .isNotEqualTo(templateDetails.nics().get(0).macAddress());
    // the template has a snapshot, so its disk is a delta disk; the full clone's is not
    assertThat(templateDetails.disks().get(0).child()).isTrue();
    assertThat(d.disks().get(0).child()).isFalse();
    assertThat(d.disks().get(0).fileName()).isEqualTo("[LocalDS_0] macs/macs.vmdk");
    assertThat(d.disks().get(0).label()).isEqualTo("Hard disk 1");
  }

  @Test
  void aLinkedClonesDiskDoesNotGrowInPlace() {
    MoRef snapshot =
        vc.findVmsByName(vc.findByInventoryPath("/DC0").orElseThrow(), "vm-operator-template")
            .get(0)
            .currentSnapshot();
    MoRef vm = run(vc.cloneVm(request("linked", snapshot, false))).result();
    VmDetails.Disk disk = vc.details(vm).disks().get(0);
    assertThat(disk.child()).isTrue();
    TaskInfo grow =
        run(vc.reconfigureVm(vm, VmChange.devices(List.of(new DeviceChange.GrowDisk(disk, 4096)))));
    assertThat(grow.error().faultType()).isEqualTo("InvalidDeviceOperation");
  }

  @Test
  void aDiskCanNotTakeAScsiControllersOwnUnitOrOneInUse() {
    VmDetails.Disk boot = templateDetails.bootDisk().orElseThrow();
    for (int unit : List.of(7, boot.unitNumber(), 16)) {
      TaskInfo clone =
          run(
              vc.cloneVm(
                  request("unit-" + unit, null, false)
                      .withDeviceChanges(
                          List.of(
                              new DeviceChange.AddDisk(boot.controllerKey(), unit, 1024, true)))));
      assertThat(clone.error()).as("unit %d", unit).isNotNull();
      assertThat(clone.error().faultType()).isEqualTo("InvalidDeviceSpec");
    }
    assertThat(vc.vmsInFolder(folder)).isEmpty();
  }

  @Test
  void sysprepLeavesTheHostNameToTheAnswerFile() {
    MoRef vm =
        run(vc.cloneVm(
                request("win", null, true)
                    .withCustomization(
                        new GuestCustomization.Sysprep(
                            "<unattend/>",
                            List.of(IpSettings.fixed("10.1.0.5", 24, "10.1.0.1")),
                            List.of("10.1.0.2"),
                            List.of()))))
            .result();
    VmDetails d = vc.details(vm);
    assertThat(d.guest().hostName()).isNull();
    assertThat(d.guest().nics().get(0).ipAddresses()).containsExactly("10.1.0.5");
  }

  @Test
  void withCloneQuirksNotesCoresAndCustomizationAreIgnored() {
    vc.cloneHonoursSpec(false);
    MoRef vm =
        run(vc.cloneVm(
                request("quirky", null, false)
                    .withAnnotation("n")
                    .withCoresPerSocket(1)
                    .withCustomization(
                        new GuestCustomization.LinuxPrep(
                            "q",
                            "example.com",
                            null,
                            List.of(IpSettings.DHCP, IpSettings.DHCP),
                            List.of(),
                            List.of()))))
            .result();
    VmDetails d = vc.details(vm);
    assertThat(d.annotation()).isEmpty();
    vc.admin().powerOn(vm);
    assertThat(vc.details(vm).guest().hostName()).isNull();
  }

  @Test
  void aNetworkOfTheWrongKindIsRefused() {
    MoRef dvpg = vc.findByInventoryPath("/DC0/network/DC0_DVPG0").orElseThrow();
    TaskInfo clone =
        run(
            vc.cloneVm(
                request("wrong", null, false)
                    .withDeviceChanges(
                        List.of(
                            new DeviceChange.AddNic(
                                new com.codeconnect.vmgroup.vsphere.NicBacking.Standard(
                                    "DC0_DVPG0", dvpg))))));
    assertThat(clone.error()).isInstanceOf(VsphereException.class);
    assertThat(clone.error().faultType()).isEqualTo("InvalidArgument");
  }
}
