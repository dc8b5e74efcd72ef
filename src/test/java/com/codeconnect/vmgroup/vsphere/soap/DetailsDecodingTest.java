package com.codeconnect.vmgroup.vsphere.soap;

import static com.codeconnect.vmgroup.vsphere.soap.SoapSessionTest.prop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NicBacking;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A VM as vCenter describes it, which the simulator doesn't quite: keys from 2000 and 4000, both
 * capacities, a linked clone's delta disk, an RDM, an NSX NIC, a CD-ROM on IDE.
 */
class DetailsDecodingTest {
  private static final String DEVICES =
      "<VirtualDevice xsi:type=\"VirtualIDEController\"><key>200</key><deviceInfo><label>IDE 0"
          + "</label><summary>IDE 0</summary></deviceInfo><busNumber>0</busNumber>"
          + "<device>3000</device></VirtualDevice>"
          + "<VirtualDevice xsi:type=\"VirtualPCIController\"><key>100</key><busNumber>0"
          + "</busNumber></VirtualDevice>"
          + "<VirtualDevice xsi:type=\"VirtualLsiLogicSASController\"><key>1000</key>"
          + "<busNumber>0</busNumber><device>2000</device><device>2001</device>"
          + "<sharedBus>noSharing</sharedBus><scsiCtlrUnitNumber>7</scsiCtlrUnitNumber>"
          + "</VirtualDevice>"
          + "<VirtualDevice xsi:type=\"VirtualCdrom\"><key>3000</key><controllerKey>200"
          + "</controllerKey><unitNumber>0</unitNumber></VirtualDevice>"
          + "<VirtualDevice xsi:type=\"VirtualDisk\"><key>2000</key><deviceInfo><label>Hard disk"
          + " 1</label><summary>16,777,216 KB</summary></deviceInfo><backing"
          + " xsi:type=\"VirtualDiskFlatVer2BackingInfo\"><fileName>[ds1] web-0/web-0.vmdk"
          + "</fileName><datastore type=\"Datastore\">datastore-1</datastore><diskMode>persistent"
          + "</diskMode><thinProvisioned>true</thinProvisioned><parent><fileName>[ds1] t/t.vmdk"
          + "</fileName><diskMode>persistent</diskMode></parent></backing><controllerKey>1000"
          + "</controllerKey><unitNumber>0</unitNumber><capacityInKB>16777216</capacityInKB>"
          + "<capacityInBytes>17179869184</capacityInBytes></VirtualDevice>"
          + "<VirtualDevice xsi:type=\"VirtualDisk\"><key>2001</key><deviceInfo><label>Hard disk"
          + " 2</label><summary>x</summary></deviceInfo><backing"
          + " xsi:type=\"VirtualDiskRawDiskMappingVer1BackingInfo\"><fileName>[ds1] web-0/r.vmdk"
          + "</fileName><compatibilityMode>physicalMode</compatibilityMode></backing>"
          + "<controllerKey>1000</controllerKey><unitNumber>1</unitNumber><capacityInKB>1024"
          + "</capacityInKB></VirtualDevice>"
          + "<VirtualDevice xsi:type=\"VirtualVmxnet3\"><key>4000</key><deviceInfo><label>Network"
          + " adapter 1</label><summary>DVSwitch: 50 2e</summary></deviceInfo><backing"
          + " xsi:type=\"VirtualEthernetCardDistributedVirtualPortBackingInfo\"><port><switchUuid>"
          + "50 2e 4b 5c</switchUuid><portgroupKey>dvportgroup-13</portgroupKey><portKey>12"
          + "</portKey></port></backing><addressType>assigned</addressType><macAddress>"
          + "00:50:56:aa:00:01</macAddress></VirtualDevice>"
          + "<VirtualDevice xsi:type=\"VirtualE1000e\"><key>4001</key><deviceInfo><label>Network"
          + " adapter 2</label><summary>a%2fb</summary></deviceInfo><backing"
          + " xsi:type=\"VirtualEthernetCardNetworkBackingInfo\"><deviceName>a%2fb</deviceName>"
          + "<network type=\"Network\">network-7</network></backing><macAddress>"
          + "00:50:56:aa:00:02</macAddress></VirtualDevice>"
          + "<VirtualDevice xsi:type=\"VirtualVmxnet3\"><key>4002</key><backing"
          + " xsi:type=\"VirtualEthernetCardOpaqueNetworkBackingInfo\"><opaqueNetworkId>x"
          + "</opaqueNetworkId><opaqueNetworkType>nsx.LogicalSwitch</opaqueNetworkType>"
          + "</backing></VirtualDevice>";

  @Test
  void aVmAsVcenterDescribesIt() {
    VmDetails d =
        DetailsDecoding.details(
            object(
                prop("config.hardware.device", "ArrayOfVirtualDevice", DEVICES)
                    + prop("config.hardware.numCoresPerSocket", "xsd:int", "2")
                    + prop("config.annotation", "xsd:string", "Managed by x &amp; y")
                    + prop(
                        "config.extraConfig",
                        "ArrayOfOptionValue",
                        "<OptionValue><key>guestinfo.userdata</key><value xsi:type=\"xsd:string\">"
                            + "I2Nsb3Vk</value></OptionValue><OptionValue><key>svga.present"
                            + "</key><value xsi:type=\"xsd:string\">TRUE</value></OptionValue>")
                    + prop("guest.hostName", "xsd:string", "web-0")
                    + prop(
                        "guest.net",
                        "ArrayOfGuestNicInfo",
                        "<GuestNicInfo><network>DC0_DVPG0</network><ipAddress>10.0.0.10"
                            + "</ipAddress><ipAddress>fe80::1</ipAddress><macAddress>"
                            + "00:50:56:aa:00:01</macAddress><connected>true</connected>"
                            + "<deviceConfigId>4000</deviceConfigId></GuestNicInfo>"
                            + "<GuestNicInfo><macAddress>00:50:56:aa:00:02</macAddress>"
                            + "<connected>false</connected><deviceConfigId>4001"
                            + "</deviceConfigId></GuestNicInfo>")));
    assertThat(d.nics())
        .containsExactly(
            new VmDetails.Nic(
                4000,
                "VirtualVmxnet3",
                "Network adapter 1",
                new NicBacking.Distributed("50 2e 4b 5c", "dvportgroup-13"),
                "00:50:56:aa:00:01"),
            new VmDetails.Nic(
                4001,
                "VirtualE1000e",
                "Network adapter 2",
                new NicBacking.Standard("a/b", new MoRef("Network", "network-7")),
                "00:50:56:aa:00:02"),
            new VmDetails.Nic(
                4002,
                "VirtualVmxnet3",
                "",
                new NicBacking.Other("VirtualEthernetCardOpaqueNetworkBackingInfo"),
                null));
    assertThat(d.disks())
        .containsExactly(
            new VmDetails.Disk(
                2000,
                1000,
                0,
                16 << 20,
                true,
                "Hard disk 1",
                "[ds1] web-0/web-0.vmdk",
                "persistent",
                VmDetails.Disk.FLAT,
                true),
            new VmDetails.Disk(
                2001,
                1000,
                1,
                1024,
                false,
                "Hard disk 2",
                "[ds1] web-0/r.vmdk",
                null,
                "VirtualDiskRawDiskMappingVer1BackingInfo",
                false));
    // the PCI controller holds no disks; the CD-ROM takes its IDE unit
    assertThat(d.controllers()).extracting(VmDetails.Controller::key).containsExactly(200, 1000);
    assertThat(d.controller(200).orElseThrow().firstFreeUnit()).hasValue(1);
    assertThat(d.controller(1000).orElseThrow().firstFreeUnit()).hasValue(2);
    assertThat(d.bootDisk()).contains(d.disks().get(0));
    assertThat(d.numCoresPerSocket()).isEqualTo(2);
    assertThat(d.annotation()).isEqualTo("Managed by x & y");
    assertThat(d.extraConfig())
        .containsExactly(
            java.util.Map.entry("guestinfo.userdata", "I2Nsb3Vk"),
            java.util.Map.entry("svga.present", "TRUE"));
    assertThat(d.guest().hostName()).isEqualTo("web-0");
    assertThat(d.guest().nics())
        .containsExactly(
            new VmDetails.GuestNic(
                "DC0_DVPG0", "00:50:56:aa:00:01", java.util.List.of("10.0.0.10", "fe80::1"), 4000),
            new VmDetails.GuestNic(null, "00:50:56:aa:00:02", java.util.List.of(), 4001));
  }

  @Test
  void aVmWithoutConfigOrGuestHasNone() {
    VmDetails d = DetailsDecoding.details(object(""));
    assertThat(d.nics()).isEmpty();
    assertThat(d.annotation()).isEmpty();
    assertThat(d.guest()).isEqualTo(VmDetails.Guest.NONE);
  }

  @Test
  void extraConfigBeyondItsBoundsIsRefused() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= DetailsDecoding.MAX_EXTRA_CONFIG_ENTRIES; i++) {
      many.append("<OptionValue><key>k")
          .append(i)
          .append("</key><value xsi:type=\"xsd:string\">v</value></OptionValue>");
    }
    assertThatThrownBy(
            () ->
                DetailsDecoding.details(
                    object(prop("config.extraConfig", "ArrayOfOptionValue", many.toString()))))
        .isInstanceOf(VsphereException.Protocol.class)
        .hasMessageContaining("extraConfig of VirtualMachine:vm-5 exceeds 4096 entries");
  }

  private static SoapDecoding.ObjectContent object(String props) {
    String xml =
        "<?xml version=\"1.0\"?><soapenv:Envelope"
            + " xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
            + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>"
            + "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><objects>"
            + "<obj type=\"VirtualMachine\">vm-5</obj>"
            + props
            + "</objects></returnval></RetrievePropertiesExResponse></soapenv:Body>"
            + "</soapenv:Envelope>";
    XmlElement body =
        ResponseParser.bodyContent(
            new ResponseParser().parse(xml.getBytes(StandardCharsets.UTF_8)));
    return SoapDecoding.objectContent(body.child("returnval").child("objects"));
  }
}
