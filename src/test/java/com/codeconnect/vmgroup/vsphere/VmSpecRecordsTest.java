package com.codeconnect.vmgroup.vsphere;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codeconnect.vmgroup.vsphere.GuestCustomization.IpSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VmSpecRecordsTest {
  private static final MoRef VM = new MoRef("VirtualMachine", "vm-1");
  private static final String SECRET = "hunter2-but-longer";

  @Test
  void aPrefixBecomesTheSubnetMaskCustomizationWants() {
    assertThat(IpSettings.fixed("10.0.0.1", 24, null).subnetMask()).isEqualTo("255.255.255.0");
    assertThat(IpSettings.fixed("10.0.0.1", 26, null).subnetMask()).isEqualTo("255.255.255.192");
    assertThat(IpSettings.fixed("10.0.0.1", 16, null).subnetMask()).isEqualTo("255.255.0.0");
    assertThat(IpSettings.fixed("10.0.0.1", 32, null).subnetMask()).isEqualTo("255.255.255.255");
    assertThat(IpSettings.fixed("10.0.0.1", 1, null).subnetMask()).isEqualTo("128.0.0.0");
    assertThat(IpSettings.DHCP.subnetMask()).isNull();
  }

  @Test
  void ipSettingsAndLinuxPrepRefuseWhatCustomizationWouldRefuse() {
    assertThatThrownBy(() -> IpSettings.fixed("10.0.0.256", 24, null))
        .hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> IpSettings.fixed("fe80::1", 64, null))
        .hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> IpSettings.fixed("10.0.0.1", 0, null)).hasMessageContaining("1..32");
    assertThatThrownBy(() -> IpSettings.fixed("10.0.0.1", 24, "gw")).hasMessageContaining("gw");
    assertThatThrownBy(() -> new IpSettings(null, 24, null)).hasMessageContaining("DHCP");
    assertThatThrownBy(() -> linux("web_0")).hasMessageContaining("DNS label");
    assertThatThrownBy(() -> linux("-web")).hasMessageContaining("DNS label");
    assertThatThrownBy(
            () ->
                new GuestCustomization.LinuxPrep("web", " ", null, List.of(), List.of(), List.of()))
        .hasMessageContaining("domain");
    // a null entry is DHCP
    assertThat(linux("web-0", IpSettings.fixed("10.0.0.1", 8, null), null).perNic())
        .containsExactly(IpSettings.fixed("10.0.0.1", 8, null), IpSettings.DHCP);
  }

  @Test
  void secretsShowOnlyTheirLength() {
    GuestCustomization sysprep =
        new GuestCustomization.Sysprep(
            "<unattend>" + SECRET + "</unattend>", List.of(), List.of(), List.of());
    Map<String, String> extra =
        Map.of("guestinfo.userdata", SECRET, "GuestInfo.metadata", SECRET, "vmgroup.owner", "ns/a");
    CloneRequest clone =
        new CloneRequest(VM, VM, VM, null, "a", 1, 32, extra).withCustomization(sysprep);
    VmChange change = VmChange.size(0, 0, extra);
    VmDetails details = new VmDetails(VM, List.of(), List.of(), List.of(), 1, null, extra, null);
    for (Object o : List.of(clone, change, details, sysprep)) {
      assertThat(o.toString()).doesNotContain(SECRET).contains("<redacted, ");
    }
    assertThat(clone.toString()).contains("vmgroup.owner=ns/a");
    assertThat(clone.secrets())
        .containsExactlyInAnyOrder(SECRET, SECRET, "<unattend>" + SECRET + "</unattend>");
    assertThat(change.secrets()).containsExactly(SECRET, SECRET);
  }

  @Test
  void coresPerSocketMustDivideTheCpus() {
    assertThatThrownBy(
            () -> new CloneRequest(VM, VM, VM, null, "a", 6, 32, Map.of()).withCoresPerSocket(4))
        .hasMessageContaining("6 vCPUs can't be split into sockets of 4 cores");
    assertThatThrownBy(() -> new VmChange(6, 4, 0, Map.of(), null, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    // zero leaves a value as it is, so nothing to check against
    assertThat(new VmChange(0, 4, 0, Map.of(), null, List.of()).coresPerSocket()).isEqualTo(4);
    assertThat(new VmChange(0, 0, 0, null, null, null).isEmpty()).isTrue();
  }

  @Test
  void aControllersFreeUnitsSkipAScsiControllersOwn() {
    VmDetails.Controller scsi =
        new VmDetails.Controller(1000, "ParaVirtualSCSIController", 0, Set.of(0, 1, 2, 3, 4, 5, 6));
    assertThat(scsi.bus()).isEqualTo(VmDetails.Bus.SCSI);
    assertThat(scsi.firstFreeUnit()).hasValue(8);
    assertThat(scsi.isFree(7)).isFalse();
    assertThat(scsi.isFree(16)).isFalse();
    Set<Integer> all = new java.util.HashSet<>();
    for (int i = 0; i < 16; i++) {
      all.add(i);
    }
    assertThat(new VmDetails.Controller(1000, "VirtualLsiLogicController", 0, all).firstFreeUnit())
        .isEmpty();
    assertThat(new VmDetails.Controller(200, "VirtualIDEController", 0, Set.of(0)).firstFreeUnit())
        .hasValue(1);
    assertThatThrownBy(() -> new VmDetails.Controller(100, "VirtualPCIController", 0, Set.of()))
        .hasMessageContaining("not a disk controller");
  }

  @Test
  void theBootDiskIsOnTheLowestBusAndUnit() {
    VmDetails.Disk data = disk(2000, 1001, 0);
    VmDetails.Disk boot = disk(2001, 1000, 0);
    VmDetails.Disk second = disk(2002, 1000, 1);
    VmDetails d =
        new VmDetails(
            VM,
            List.of(),
            List.of(data, second, boot),
            List.of(
                new VmDetails.Controller(1000, "ParaVirtualSCSIController", 0, Set.of(0, 1)),
                new VmDetails.Controller(1001, "ParaVirtualSCSIController", 1, Set.of(0))),
            1,
            "",
            Map.of(),
            null);
    assertThat(d.bootDisk()).contains(boot);
  }

  @Test
  void deviceChangesRefuseWhatTheyCanNotWrite() {
    VmDetails.Nic nic =
        new VmDetails.Nic(4000, "VirtualE1000", "", new NicBacking.Other("Opaque"), null);
    assertThatThrownBy(() -> new DeviceChange.AddNic(new NicBacking.Other("X")))
        .hasMessageContaining("can't be attached");
    assertThatThrownBy(() -> new DeviceChange.RebindNic(nic, new NicBacking.Other("X")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DeviceChange.AddDisk(1000, 1, 0, true))
        .hasMessageContaining("positive");
    VmDetails.Disk rdm =
        new VmDetails.Disk(
            2000,
            1000,
            0,
            1024,
            false,
            "",
            "",
            null,
            "VirtualDiskRawDiskMappingVer1BackingInfo",
            false);
    assertThatThrownBy(() -> new DeviceChange.GrowDisk(rdm, 2048))
        .hasMessageContaining("only a VMDK disk");
  }

  @Test
  void aNetworksBackingAndWhatItCarries() {
    MoRef ref = new MoRef("Network", "network-7");
    NetworkInfo standard = NetworkInfo.standard(ref, "VM Network", "/DC0/network/VM Network");
    // a standard backing is the reference: the name is only what vCenter shows
    assertThat(standard.carries(new NicBacking.Standard("renamed", ref))).isTrue();
    assertThat(standard.carries(new NicBacking.Distributed("u", "k"))).isFalse();
    NetworkInfo opaque =
        new NetworkInfo(
            new MoRef("OpaqueNetwork", "n-1"),
            "seg",
            "/DC0/network/seg",
            NetworkInfo.Kind.OPAQUE,
            null,
            null,
            null);
    assertThat(opaque.backing()).isEmpty();
    assertThat(opaque.carries(new NicBacking.Other("VirtualEthernetCardOpaqueNetworkBackingInfo")))
        .isFalse();
    assertThatThrownBy(
            () ->
                new NetworkInfo(
                    new MoRef("DistributedVirtualPortgroup", "dvportgroup-1"),
                    "pg",
                    null,
                    NetworkInfo.Kind.DISTRIBUTED_PORTGROUP,
                    null,
                    null,
                    "dvportgroup-1"))
        .hasMessageContaining("switch");
  }

  private static GuestCustomization.LinuxPrep linux(String host, IpSettings... nics) {
    return new GuestCustomization.LinuxPrep(
        host, "example.com", null, Arrays.asList(nics), List.of(), List.of());
  }

  private static VmDetails.Disk disk(int key, int controller, int unit) {
    return new VmDetails.Disk(
        key, controller, unit, 1024, true, "", "", "persistent", VmDetails.Disk.FLAT, false);
  }
}
