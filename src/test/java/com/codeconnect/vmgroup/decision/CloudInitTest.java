package com.codeconnect.vmgroup.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codeconnect.vmgroup.api.v1alpha1.AddressPoolSpec;
import com.codeconnect.vmgroup.api.v1alpha1.LinuxPrepSpec;
import com.codeconnect.vmgroup.api.v1alpha1.NetworkSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** What cloud-init's VMware datasource and vSphere's guest customization are given per VM. */
class CloudInitTest {
  static final CloudInit.Variables VG_WEB_2 =
      new CloudInit.Variables("vg-web-2", 2, "vg-web", "shop");

  static List<StaticAddresses.Nic> webNics(int index) {
    AddressPoolSpec front =
        new AddressPoolSpec(List.of("10.10.0.10-10.10.0.19"), null, 24, "10.10.0.1");
    front.setDnsServers(List.of("10.10.0.2"));
    front.setSearchDomains(List.of("web.example.com"));
    return StaticAddresses.of(
            List.of(new NetworkSpec("DC0_DVPG0", front), new NetworkSpec("VM Network", null)))
        .forIndex(index);
  }

  @Test
  void onlyTheFourVariablesAreReplacedAndDoubleDollarEscapes() {
    String source =
        "#cloud-config\n"
            + "hostname: ${VM_NAME}\n"
            + "write_files:\n"
            + "  - path: /etc/motd\n"
            + "    content: VM ${VM_INDEX} of ${GROUP_NAMESPACE}/${GROUP_NAME}\n"
            + "runcmd:\n"
            + "  - echo \"$HOME ${HOME} ${vm_name} ${VM_NAME\"\n"
            + "  - echo '$${VM_NAME} is the literal, $$ and $ stay'\n";
    assertThat(CloudInit.userData(source, VG_WEB_2).value())
        .isEqualTo(
            "#cloud-config\n"
                + "hostname: vg-web-2\n"
                + "write_files:\n"
                + "  - path: /etc/motd\n"
                + "    content: VM 2 of shop/vg-web\n"
                + "runcmd:\n"
                + "  - echo \"$HOME ${HOME} ${vm_name} ${VM_NAME\"\n"
                + "  - echo '${VM_NAME} is the literal, $$ and $ stay'\n");
    assertThat(CloudInit.substitute("${VM_NAME}${VM_INDEX}$${GROUP_NAME}", VG_WEB_2))
        .isEqualTo("vg-web-22${GROUP_NAME}");
  }

  @Test
  void renderedUserDataNeverPrints() {
    SensitiveText secret = CloudInit.userData("password: hunter2\n", VG_WEB_2);
    assertThat(secret.toString()).isEqualTo("(18 bytes, not shown)").doesNotContain("hunter2");
    CloudInit.GuestInfo info = CloudInit.guestInfo(secret, "{}");
    assertThat(info.toString())
        .startsWith("GuestInfo[guestinfo.metadata (")
        .doesNotContain(info.extraConfig().get(CloudInit.USERDATA));
    GuestCustomization.Sysprep sysprep =
        GuestCustomization.sysprep(
            "<AdministratorPassword>hunter2</AdministratorPassword>", VG_WEB_2, List.of());
    assertThat(sysprep.toString()).doesNotContain("hunter2");
  }

  @Test
  void metadataWithStaticAddressesMatchesAdaptersByMac() {
    assertThat(
            CloudInit.metadata(
                "uuid-2",
                "vg-web-2",
                webNics(2),
                List.of("00:50:56:AA:BB:01", "00:50:56:aa:bb:02")))
        .isEqualTo(
            "{\"instance-id\":\"uuid-2\",\"local-hostname\":\"vg-web-2\","
                + "\"network\":{\"version\":2,\"ethernets\":{"
                + "\"nic0\":{\"match\":{\"macaddress\":\"00:50:56:aa:bb:01\"},\"dhcp4\":false,"
                + "\"addresses\":[\"10.10.0.12/24\"],"
                + "\"routes\":[{\"to\":\"0.0.0.0/0\",\"via\":\"10.10.0.1\"}],"
                + "\"nameservers\":{\"addresses\":[\"10.10.0.2\"],\"search\":[\"web.example.com\"]}},"
                + "\"nic1\":{\"match\":{\"macaddress\":\"00:50:56:aa:bb:02\"},\"dhcp4\":true}}}}");
  }

  @Test
  void withoutMacsTheFirstAdaptersAreKeyedByTheirVsphereNames() {
    assertThat(CloudInit.metadata("uuid-0", "vg-web-0", webNics(0), null))
        .isEqualTo(
            "{\"instance-id\":\"uuid-0\",\"local-hostname\":\"vg-web-0\","
                + "\"network\":{\"version\":2,\"ethernets\":{"
                + "\"ens192\":{\"dhcp4\":false,\"addresses\":[\"10.10.0.10/24\"],"
                + "\"routes\":[{\"to\":\"0.0.0.0/0\",\"via\":\"10.10.0.1\"}],"
                + "\"nameservers\":{\"addresses\":[\"10.10.0.2\"],\"search\":[\"web.example.com\"]}},"
                + "\"ens224\":{\"dhcp4\":true}}}}");
    assertThat(CloudInit.needsMacs(webNics(0))).isFalse();
    List<NetworkSpec> four = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      four.add(new NetworkSpec("net-" + i, null));
    }
    four.add(
        new NetworkSpec("net-3", new AddressPoolSpec(null, List.of("10.0.0.0/24"), null, null)));
    List<StaticAddresses.Nic> nics = StaticAddresses.of(four).forIndex(0);
    assertThat(CloudInit.needsMacs(nics)).isTrue();
    assertThatThrownBy(() -> CloudInit.metadata("i", "vg-0", nics, List.of()))
        .hasMessage("adapter 3 on network 'net-3' needs its MAC address");
  }

  @Test
  void withoutStaticAddressesThereIsNoNetworkConfig() {
    assertThat(CloudInit.metadata("uuid-0", "vg-1-0", List.of(), null))
        .isEqualTo("{\"instance-id\":\"uuid-0\",\"local-hostname\":\"vg-1-0\"}");
    assertThat(
            CloudInit.metadata(
                "uuid-0",
                "Web.Tier-0",
                StaticAddresses.of(List.of(new NetworkSpec("VM Network", null))).forIndex(0),
                null))
        .as("a host name from a VM name with a dot")
        .isEqualTo("{\"instance-id\":\"uuid-0\",\"local-hostname\":\"web-tier-0\"}");
  }

  @Test
  void anExhaustedPoolIsNeverRendered() {
    List<StaticAddresses.Nic> nics = webNics(10);
    assertThatThrownBy(() -> CloudInit.metadata("i", "vg-web-10", nics, null))
        .hasMessage("adapter 0 on network 'DC0_DVPG0' has no address");
  }

  @Test
  void guestInfoIsGzipBase64AndDecodesToWhatWasRendered() throws IOException {
    SensitiveText userData = CloudInit.userData("#cloud-config\nhostname: ${VM_NAME}\n", VG_WEB_2);
    String metadata = CloudInit.metadata("uuid-2", "vg-web-2", webNics(2), null);
    CloudInit.GuestInfo info = CloudInit.guestInfo(userData, metadata);
    assertThat(info.extraConfig())
        .containsOnlyKeys(
            "guestinfo.metadata",
            "guestinfo.metadata.encoding",
            "guestinfo.userdata",
            "guestinfo.userdata.encoding")
        .containsEntry("guestinfo.userdata.encoding", "gzip+base64")
        .containsEntry("guestinfo.metadata.encoding", "gzip+base64");
    assertThat(gunzip(info.extraConfig().get("guestinfo.userdata")))
        .isEqualTo("#cloud-config\nhostname: vg-web-2\n");
    assertThat(gunzip(info.extraConfig().get("guestinfo.metadata"))).isEqualTo(metadata);
    assertThat(info.problem()).isNull();
  }

  @Test
  void userDataOverVspheresLimitIsRefused() {
    byte[] noise = new byte[60_000];
    new Random(7).nextBytes(noise);
    String big = "#cloud-config\n# " + Base64.getEncoder().encodeToString(noise) + "\n";
    Problem p = CloudInit.guestInfo(new SensitiveText(big), "{}").problem();
    assertThat(p.reason()).isEqualTo(Problem.Reason.BootstrapTooLarge);
    assertThat(p.message())
        .startsWith("guestinfo.userdata is ")
        .contains("over vSphere's 65536 per guestinfo value: make the user-data smaller");
    // what compresses well fits although it is larger than the limit
    char[] text = new char[200_000];
    Arrays.fill(text, 'a');
    assertThat(CloudInit.guestInfo(new SensitiveText(new String(text)), "{}").problem()).isNull();
  }

  @Test
  void linuxPrepHasTheHostNameDomainAndAdapters() {
    GuestCustomization.LinuxPrep prep =
        GuestCustomization.linuxPrep(
            new LinuxPrepSpec("example.com", "Europe/Berlin"), "vg-web-2", webNics(2));
    assertThat(prep.hostName()).isEqualTo("vg-web-2");
    assertThat(prep.domain()).isEqualTo("example.com");
    assertThat(prep.timeZone()).isEqualTo("Europe/Berlin");
    assertThat(prep.adapters())
        .containsExactly(
            new GuestCustomization.Adapter("10.10.0.12", "255.255.255.0", "10.10.0.1"),
            new GuestCustomization.Adapter(null, null, null));
    assertThat(prep.dnsServers()).containsExactly("10.10.0.2");
    assertThat(prep.dnsSuffixes()).containsExactly("web.example.com");
  }

  @Test
  void sysprepGetsTheVariablesOfItsVm() {
    GuestCustomization.Sysprep prep =
        GuestCustomization.sysprep(
            "<ComputerName>web-${VM_INDEX}</ComputerName><X>$${VM_NAME}</X>", VG_WEB_2, webNics(2));
    assertThat(prep.unattend().value())
        .isEqualTo("<ComputerName>web-2</ComputerName><X>${VM_NAME}</X>");
    assertThat(prep.adapters()).hasSize(2);
  }

  @Test
  void hostNamesAreValidLabelsAndStayDistinct() {
    assertThat(Naming.hostName("vg-web-2")).isEqualTo("vg-web-2");
    String longGroup = "a".repeat(70);
    String h0 = Naming.hostName(Naming.vmName(longGroup, 0));
    String h1 = Naming.hostName(Naming.vmName(longGroup, 1));
    assertThat(h0).hasSize(63).matches("[a-z0-9-]+").isNotEqualTo(h1);
  }

  static String gunzip(String base64) throws IOException {
    try (GZIPInputStream in =
        new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
