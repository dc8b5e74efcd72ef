package com.codeconnect.vmgroup.vsphere.contract;

import static com.codeconnect.vmgroup.vsphere.contract.PlantedSecrets.UNATTEND;
import static com.codeconnect.vmgroup.vsphere.contract.PlantedSecrets.USERDATA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.DeviceChange;
import com.codeconnect.vmgroup.vsphere.GuestCustomization;
import com.codeconnect.vmgroup.vsphere.GuestCustomization.IpSettings;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NetworkInfo;
import com.codeconnect.vmgroup.vsphere.NicBacking;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.VmChange;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What makes a VM usable, as the operator relies on it: the datacenter's networks, the clone's
 * hardware edits (NICs rebound and added, disks grown and added), Notes, cores per socket, the
 * guest's extraConfig and customization, what {@code details()} reads back, and growth in place.
 *
 * <p>Where the simulator (through the launcher) is known to differ from vCenter, the contract
 * asserts what both do and the in-memory vCenter follows vCenter:
 *
 * <ul>
 *   <li>The simulator reports a guest NIC for every NIC of a VM that is off; vCenter and the fake
 *       report the guest only while VMware Tools runs. The contract reads the guest of running VMs.
 *   <li>A VM with a snapshot has a delta disk in vCenter and the fake (which can't grow); the
 *       simulator's snapshots make no delta disks. So growing a linked clone's disk in place is
 *       refused by vCenter and the fake and done by the simulator; refused in the clone spec by all
 *       (the launcher checks it).
 *   <li>Labels: the simulator names devices by kind and key ({@code disk-1000-0}), vCenter and the
 *       fake as the UI does ({@code Hard disk 1}).
 *   <li>A disk on a SCSI controller's own unit 7 is refused by vCenter and the fake, not by the
 *       simulator.
 *   <li>A clone whose spec doesn't edit a NIC keeps that NIC's MAC address in the simulator;
 *       vCenter and the fake generate new ones for every clone.
 *   <li>Every VM in the simulator has the extraConfig entry {@code govcsim}.
 * </ul>
 */
abstract class VmSpecContract extends ClusterGuestContract {
  // ---------------------------------------------------------------- networks and details

  @Test
  void theDatacentersNetworksWithPathsAndTheirSwitch() {
    List<NetworkInfo> networks = client.networks(dc);
    NetworkInfo vmNetwork = network(networks, "VM Network");
    assertThat(vmNetwork.kind()).isEqualTo(NetworkInfo.Kind.STANDARD);
    assertThat(vmNetwork.path()).isEqualTo("/DC0/network/VM Network");
    assertThat(vmNetwork.ref().type()).isEqualTo("Network");
    assertThat(vmNetwork.switchUuid()).isNull();
    assertThat(vmNetwork.backing())
        .contains(new NicBacking.Standard("VM Network", vmNetwork.ref()));

    NetworkInfo pg = network(networks, "DC0_DVPG0");
    assertThat(pg.kind()).isEqualTo(NetworkInfo.Kind.DISTRIBUTED_PORTGROUP);
    assertThat(pg.path()).isEqualTo("/DC0/network/DC0_DVPG0");
    assertThat(pg.ref().type()).isEqualTo("DistributedVirtualPortgroup");
    assertThat(pg.switchName()).isEqualTo("DVS0");
    assertThat(pg.switchUuid()).isNotBlank();
    assertThat(pg.portgroupKey()).isNotBlank();
    assertThat(pg.backing())
        .contains(new NicBacking.Distributed(pg.switchUuid(), pg.portgroupKey()));
    for (NetworkInfo n : List.of(vmNetwork, pg)) {
      assertThat(client.findByInventoryPath(n.path())).contains(n.ref());
    }
    MoRef noDc = new MoRef("Datacenter", "datacenter-999999");
    assertThat(
            thrown(() -> client.networks(noDc), VsphereException.ManagedObjectNotFound.class)
                .object())
        .isEqualTo(noDc);
  }

  @Test
  void theTemplatesHardwareAsDetailsReadsIt() {
    VmDetails t = client.details(template);
    assertThat(t.ref()).isEqualTo(template);
    assertThat(t.nics()).hasSize(1);
    assertThat(network("DC0_DVPG0").carries(t.nics().get(0).backing())).isTrue();
    assertThat(t.nics().get(0).macAddress()).isNotBlank();
    VmDetails.Disk boot = t.bootDisk().orElseThrow();
    assertThat(t.disks()).containsExactly(boot);
    assertThat(boot.capacityKiB()).isEqualTo(1024);
    assertThat(boot.backingType()).isEqualTo(VmDetails.Disk.FLAT);
    assertThat(boot.fileName()).startsWith("[LocalDS_0] ");
    VmDetails.Controller scsi = t.controller(boot.controllerKey()).orElseThrow();
    assertThat(scsi.bus()).isEqualTo(VmDetails.Bus.SCSI);
    assertThat(scsi.unitsInUse()).contains(boot.unitNumber());
    assertThat(scsi.firstFreeUnit()).isPresent();
    assertThat(scsi.firstFreeUnit().getAsInt()).isNotEqualTo(boot.unitNumber());
    assertThat(t.numCoresPerSocket()).isEqualTo(1);
    assertThat(t.annotation()).isEmpty();
    assertThat(t.extraConfig().keySet()).noneMatch(k -> k.startsWith("vmgroup."));

    MoRef noVm = new MoRef("VirtualMachine", "vm-999999");
    assertThat(
            thrown(() -> client.details(noVm), VsphereException.ManagedObjectNotFound.class)
                .object())
        .isEqualTo(noVm);
    thrown(() -> client.details(folder), VsphereException.ManagedObjectNotFound.class);
  }

  // ---------------------------------------------------------------- clones

  @Test
  void aCloneRebindsAndAddsNicsGrowsAndAddsDisksAndIsCustomizedAtItsFirstBoot() {
    VmDetails t = client.details(template);
    VmDetails.Nic nic = t.nics().get(0);
    VmDetails.Disk boot = t.bootDisk().orElseThrow();
    VmDetails.Controller scsi = t.controller(boot.controllerKey()).orElseThrow();
    int unit = scsi.firstFreeUnit().orElseThrow();
    NetworkInfo pg = network("DC0_DVPG0");
    NetworkInfo vmNetwork = network("VM Network");
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("vmgroup.owner", "ns/web");
    extra.put("guestinfo.userdata", USERDATA);
    extra.put("guestinfo.metadata", "{\"local-hostname\": \"web-0\"}");
    CloneRequest r =
        new CloneRequest(template, folder, pool, null, "web-0", 4, 64, extra, null, true)
            .withCoresPerSocket(2)
            .withAnnotation("Managed by vmgroup-operator: ns/web")
            .withDeviceChanges(
                List.of(
                    new DeviceChange.RebindNic(nic, pg.backing().orElseThrow()),
                    new DeviceChange.AddNic(vmNetwork.backing().orElseThrow()),
                    new DeviceChange.GrowDisk(boot, 4 * boot.capacityKiB()),
                    new DeviceChange.AddDisk(scsi.key(), unit, 8192, true)))
            .withCustomization(
                new GuestCustomization.LinuxPrep(
                    "web-0",
                    "example.com",
                    "Etc/UTC",
                    java.util.Arrays.asList(IpSettings.fixed("10.0.0.10", 24, "10.0.0.1"), null),
                    List.of("10.0.0.2"),
                    List.of("example.com")));
    MoRef vm = succeed(client.cloneVm(r)).result();

    VmDetails d = client.details(vm);
    assertThat(d.nics()).hasSize(2);
    VmDetails.Nic first = d.nic(nic.key()).orElseThrow();
    assertThat(first.deviceType()).isEqualTo(nic.deviceType());
    assertThat(pg.carries(first.backing())).isTrue();
    VmDetails.Nic added = d.nics().get(1);
    assertThat(added.deviceType()).isEqualTo("VirtualVmxnet3");
    assertThat(vmNetwork.carries(added.backing())).isTrue();
    assertThat(List.of(first.macAddress(), added.macAddress()))
        .doesNotContainNull()
        .doesNotHaveDuplicates();

    assertThat(d.disks()).hasSize(2);
    assertThat(d.disk(boot.key()).orElseThrow().capacityKiB()).isEqualTo(4 * boot.capacityKiB());
    VmDetails.Disk data = d.disks().get(1);
    assertThat(data.controllerKey()).isEqualTo(scsi.key());
    assertThat(data.unitNumber()).isEqualTo(unit);
    assertThat(data.capacityKiB()).isEqualTo(8192);
    assertThat(data.thin()).isTrue();
    assertThat(d.controller(scsi.key()).orElseThrow().unitsInUse())
        .contains(boot.unitNumber(), unit);

    assertThat(d.numCoresPerSocket()).isEqualTo(2);
    assertThat(d.annotation()).isEqualTo("Managed by vmgroup-operator: ns/web");
    assertThat(d.extraConfig())
        .containsEntry("vmgroup.owner", "ns/web")
        .containsEntry("guestinfo.userdata", USERDATA)
        .containsEntry("guestinfo.metadata", "{\"local-hostname\": \"web-0\"}");

    // the guest booted inside the clone task and applied the customization
    assertThat(d.guest().hostName()).isEqualTo("web-0");
    VmDetails.GuestNic guestFirst = guestNic(d, first.key());
    assertThat(guestFirst.ipAddresses()).containsExactly("10.0.0.10");
    assertThat(guestFirst.macAddress()).isEqualTo(first.macAddress());
    assertThat(guestFirst.network()).isEqualTo("DC0_DVPG0");
    VmDetails.GuestNic guestAdded = guestNic(d, added.key());
    assertThat(guestAdded.ipAddresses()).isEmpty();
    assertThat(guestAdded.macAddress()).isEqualTo(added.macAddress());
    assertThat(guestAdded.network()).isEqualTo("VM Network");
    assertThat(vm(vm).ipAddress()).isEqualTo("10.0.0.10");
    assertThat(vm(vm).cpu()).isEqualTo(4);
    assertThat(vm(vm).powerState()).isEqualTo(PowerState.POWERED_ON);
  }

  @Test
  void aCustomizationWaitsForTheFirstPowerOn() {
    CloneRequest r =
        request(folder, "later", Map.of())
            .withCustomization(linux("later", IpSettings.fixed("192.168.7.20", 26, null)));
    MoRef vm = succeed(client.cloneVm(r)).result();
    assertThat(vm(vm).ipAddress()).isNull();
    succeed(client.powerOnVm(vm));
    VmDetails d = client.details(vm);
    assertThat(d.guest().hostName()).isEqualTo("later");
    assertThat(guestNic(d, d.nics().get(0).key()).ipAddresses()).containsExactly("192.168.7.20");
    assertThat(vm(vm).ipAddress()).isEqualTo("192.168.7.20");
  }

  @Test
  void aPoweredOffVmIsCustomizedOnceAndItsGuestAppliesItAtTheNextBoot() {
    MoRef vm = succeed(client.cloneVm(request(folder, "custom", Map.of()))).result();
    assertThat(
            fails(client.customizeVm(vm, linux("custom", IpSettings.DHCP, IpSettings.DHCP)))
                .faultType())
        .isEqualTo("NicSettingMismatch");
    succeed(client.customizeVm(vm, linux("custom", IpSettings.fixed("192.168.7.30", 26, null))));
    // a second one while the first is pending: what tells a restarted operator it was done
    assertThat(
            fails(
                    client.customizeVm(
                        vm, linux("custom", IpSettings.fixed("192.168.7.30", 26, null))))
                .faultType())
        .isEqualTo("CustomizationPending");
    succeed(client.powerOnVm(vm));
    VmDetails d = client.details(vm);
    assertThat(d.guest().hostName()).isEqualTo("custom");
    assertThat(vm(vm).ipAddress()).isEqualTo("192.168.7.30");
  }

  @Test
  void aCustomizationNeedsOneSettingPerNic() {
    CloneRequest r =
        request(folder, "mismatch", Map.of())
            .withCustomization(linux("mismatch", IpSettings.DHCP, IpSettings.DHCP));
    assertThat(fails(client.cloneVm(r)).faultType()).isEqualTo("NicSettingMismatch");
    assertThat(client.vmsInFolder(folder)).isEmpty();
  }

  @Test
  void aCloneOntoANetworkThatDoesNotExistFailsAndLeavesNothing() {
    VmDetails.Nic nic = client.details(template).nics().get(0);
    NetworkInfo pg = network("DC0_DVPG0");
    List<List<DeviceChange>> bad =
        List.of(
            List.of(
                new DeviceChange.AddNic(
                    new NicBacking.Distributed(
                        "00000000-0000-0000-0000-000000000000", pg.portgroupKey()))),
            List.of(
                new DeviceChange.RebindNic(
                    nic,
                    new NicBacking.Standard("nowhere", new MoRef("Network", "network-999999")))));
    for (List<DeviceChange> changes : bad) {
      fails(client.cloneVm(request(folder, "astray", Map.of()).withDeviceChanges(changes)));
      assertThat(client.vmsInFolder(folder)).isEmpty();
    }
  }

  @Test
  void aLinkedCloneCannotGrowItsDisk() {
    VmDetails.Disk boot = client.details(template).bootDisk().orElseThrow();
    MoRef snapshot = client.findVmsByName(dc, TEMPLATE).get(0).currentSnapshot();
    CloneRequest r =
        new CloneRequest(template, folder, pool, null, "linked", 1, 32, Map.of(), snapshot, false)
            .withDeviceChanges(List.of(new DeviceChange.GrowDisk(boot, 2 * boot.capacityKiB())));
    assertThat(fails(client.cloneVm(r)).faultType()).isEqualTo("InvalidDeviceOperation");
    assertThat(client.vmsInFolder(folder)).isEmpty();
  }

  // ---------------------------------------------------------------- in place

  @Test
  void aRunningVmsDiskGrowsInPlaceAndNeverShrinks() {
    MoRef vm =
        succeed(
                client.cloneVm(
                    new CloneRequest(
                        template, folder, pool, null, "grow", 1, 32, Map.of(), null, true)))
            .result();
    VmDetails.Disk boot = client.details(vm).bootDisk().orElseThrow();
    succeed(
        client.reconfigureVm(
            vm,
            VmChange.devices(List.of(new DeviceChange.GrowDisk(boot, boot.capacityKiB() + 2048)))));
    VmDetails.Disk grown = client.details(vm).disk(boot.key()).orElseThrow();
    assertThat(grown.capacityKiB()).isEqualTo(boot.capacityKiB() + 2048);
    assertThat(vm(vm).powerState()).isEqualTo(PowerState.POWERED_ON);

    VsphereException e =
        fails(
            client.reconfigureVm(
                vm, VmChange.devices(List.of(new DeviceChange.GrowDisk(grown, 512)))));
    assertThat(e.faultType()).isEqualTo("InvalidDeviceOperation");
    assertThat(client.details(vm).disk(boot.key()).orElseThrow().capacityKiB())
        .isEqualTo(grown.capacityKiB());
  }

  @Test
  void aReconfigureChangesCoresNotesGuestinfoAndNicsInOneTask() {
    MoRef vm = clone(folder, "tuned", Map.of("vmgroup.owner", "x"));
    VmDetails before = client.details(vm);
    NetworkInfo vmNetwork = network("VM Network");
    NetworkInfo pg = network("DC0_DVPG0");
    succeed(
        client.reconfigureVm(
            vm,
            new VmChange(
                4,
                2,
                128,
                Map.of("guestinfo.metadata", "m"),
                "notes",
                List.of(
                    new DeviceChange.RebindNic(
                        before.nics().get(0), vmNetwork.backing().orElseThrow()),
                    new DeviceChange.AddNic(pg.backing().orElseThrow())))));
    VmDetails after = client.details(vm);
    assertThat(after.numCoresPerSocket()).isEqualTo(2);
    assertThat(after.annotation()).isEqualTo("notes");
    assertThat(after.extraConfig())
        .containsEntry("guestinfo.metadata", "m")
        .containsEntry("vmgroup.owner", "x");
    assertThat(after.nics()).hasSize(2);
    VmDetails.Nic rebound = after.nic(before.nics().get(0).key()).orElseThrow();
    assertThat(vmNetwork.carries(rebound.backing())).isTrue();
    // a NIC keeps its MAC address when it moves to another network
    assertThat(rebound.macAddress()).isEqualTo(before.nics().get(0).macAddress());
    assertThat(pg.carries(after.nics().get(1).backing())).isTrue();
    assertThat(vm(vm).cpu()).isEqualTo(4);
    assertThat(vm(vm).memoryMiB()).isEqualTo(128);
  }

  // ---------------------------------------------------------------- secrets

  /**
   * Clones carrying user data and an answer file fail in three ways (a network that doesn't exist,
   * a customization that doesn't fit, a full datastore); neither secret shows up in a task error,
   * an exception, a request's text or a log line written meanwhile.
   */
  @Test
  void failedClonesNeverShowTheirSecrets() {
    Map<String, String> extra = Map.of("guestinfo.userdata", USERDATA, "vmgroup.owner", "s");
    GuestCustomization sysprep =
        new GuestCustomization.Sysprep(UNATTEND, List.of(IpSettings.DHCP), List.of(), List.of());
    NicBacking nowhere =
        new NicBacking.Distributed("00000000-0000-0000-0000-000000000000", "dvportgroup-0");
    List<CloneRequest> requests =
        List.of(
            request(folder, "leak-net", extra)
                .withCustomization(sysprep)
                .withDeviceChanges(List.of(new DeviceChange.AddNic(nowhere))),
            request(folder, "leak-fit", extra)
                .withCustomization(
                    new GuestCustomization.Sysprep(
                        UNATTEND, List.of(IpSettings.DHCP, IpSettings.DHCP), List.of(), List.of())),
            request(folder, "leak-full", extra).withCustomization(linux("leak", IpSettings.DHCP)));
    List<String> seen = new ArrayList<>();
    subject.failClones("^leak-full$");
    try (LogCapture logs = new LogCapture()) {
      for (CloneRequest r : requests) {
        seen.add(r.toString());
        seen.add(String.valueOf(r.customization()));
        TaskInfo info = awaitTask(client.cloneVm(r));
        assertThat(info.state()).as(r.name()).isEqualTo(TaskInfo.State.ERROR);
        seen.add(info.toString());
        seen.add(String.valueOf(info.error().getMessage()));
      }
      // a failing call, too: the source is gone
      MoRef gone = new MoRef("VirtualMachine", "vm-999999");
      Throwable t =
          catchThrowable(
              () ->
                  client.cloneVm(
                      new CloneRequest(gone, folder, pool, null, "leak-call", 1, 32, extra)
                          .withCustomization(sysprep)));
      assertThat(t).isInstanceOf(VsphereException.ManagedObjectNotFound.class);
      seen.add(t.toString());
      seen.addAll(logs.lines());
    } finally {
      subject.failClones(null);
    }
    assertThat(seen).isNotEmpty().noneMatch(PlantedSecrets::shows);
    assertThat(client.vmsInFolder(folder)).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  NetworkInfo network(String name) {
    return network(client.networks(dc), name);
  }

  static NetworkInfo network(List<NetworkInfo> networks, String name) {
    return networks.stream()
        .filter(n -> n.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no network " + name + " in " + networks));
  }

  /** LinuxPrep in example.com, no DNS servers. */
  static GuestCustomization linux(String hostName, IpSettings... perNic) {
    return new GuestCustomization.LinuxPrep(
        hostName, "example.com", null, List.of(perNic), List.of(), List.of());
  }

  static VmDetails.GuestNic guestNic(VmDetails d, int deviceKey) {
    return d.guest().nics().stream()
        .filter(n -> n.deviceKey() == deviceKey)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no guest NIC for " + deviceKey + " in " + d));
  }
}
