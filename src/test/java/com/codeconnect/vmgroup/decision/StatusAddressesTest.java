package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.AddressPoolSpec;
import com.codeconnect.vmgroup.api.v1alpha1.BootstrapSpec;
import com.codeconnect.vmgroup.api.v1alpha1.CloudInitSpec;
import com.codeconnect.vmgroup.api.v1alpha1.NetworkSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmStatus;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** status.vms[] shows the addresses the operator assigned beside what VMware Tools reports. */
class StatusAddressesTest {
  @Test
  void eachVmShowsItsAssignedAddressesBesideTheReportedOne() {
    VmGroupSpec spec = new VmGroupSpec(2, 2, 3, "t");
    spec.setBootstrap(new BootstrapSpec(new CloudInitSpec("#cloud-config\n"), null, null));
    spec.setNetworks(
        List.of(
            new NetworkSpec(
                "DC0_DVPG0", new AddressPoolSpec(List.of("10.0.0.10-10.0.0.19"), null, 24, null)),
            new NetworkSpec("VM Network", null)));
    ReplicaPlan.Desired d = ReplicaPlan.Desired.of("vg", spec, true);
    VmInfo vg0 =
        new VmInfo(
            new MoRef("VirtualMachine", "vm-0"),
            "vg-0",
            new MoRef("Folder", "f"),
            PowerState.POWERED_ON,
            2,
            2048,
            false,
            "uuid-0",
            "192.168.1.7",
            Ownership.markers("uid", "ns", "vg", 0, d.hash(), d.addresses().addressesOf(0), null));
    VmInfo unmarked = com.codeconnect.vmgroup.testing.Vms.ready(1);
    List<VmStatus> vms =
        StatusBuilder.vms(
            d, List.of(vg0, unmarked), Map.of("vg-2", new Action.Clone(2, "vg-2")), Map.of());
    assertThat(vms)
        .extracting(VmStatus::getName, VmStatus::getIpAddress, VmStatus::getAssignedAddresses)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("vg-0", "192.168.1.7", List.of("10.0.0.10")),
            org.assertj.core.groups.Tuple.tuple("vg-1", null, null),
            org.assertj.core.groups.Tuple.tuple("vg-2", null, List.of("10.0.0.12")));
    assertThat(
            StatusBuilder.vms(
                    d, List.of(vg0), Map.of(), Map.of(), Map.of("vg-0", List.of("10.9.9.9")))
                .get(0)
                .getAssignedAddresses())
        .as("what the caller knows wins")
        .containsExactly("10.9.9.9");
  }
}
