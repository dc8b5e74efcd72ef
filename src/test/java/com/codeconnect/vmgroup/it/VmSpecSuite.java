package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codeconnect.vmgroup.api.v1alpha1.AddressPoolSpec;
import com.codeconnect.vmgroup.api.v1alpha1.BootstrapSpec;
import com.codeconnect.vmgroup.api.v1alpha1.CloudInitSpec;
import com.codeconnect.vmgroup.api.v1alpha1.DiskSpec;
import com.codeconnect.vmgroup.api.v1alpha1.ExtraDiskSpec;
import com.codeconnect.vmgroup.api.v1alpha1.NetworkSpec;
import com.codeconnect.vmgroup.api.v1alpha1.RollingUpdate;
import com.codeconnect.vmgroup.api.v1alpha1.SecretKeyRef;
import com.codeconnect.vmgroup.api.v1alpha1.UpdateStrategy;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.app.OperatorRuntime;
import com.codeconnect.vmgroup.decision.CloudInit;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NicBacking;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * VMs people can use: guest bootstrap from a Secret, two networks (one distributed) with static
 * addresses, a grown boot disk and an extra disk, checked through a second vCenter session; a
 * Secret rotation rolling the group; a pool too small; a missing Secret; and a planted secret value
 * searched for in everything the operator says.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class VmSpecSuite extends OperatorFixture {
  /** In every Secret value here: it must never appear in anything the operator writes or logs. */
  static final String PLANTED = "planted-" + UUID.randomUUID();

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Level rootLevel;

  @Override
  protected OperatorRuntime startOperator() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    // everything the operator would log, DEBUG included, goes through the scan for secrets
    root.setLevel(Level.DEBUG);
    logs.start();
    root.addAppender(logs);
    return OperatorRuntime.start(kube, operatorClient, settings(), registry);
  }

  @AfterAll
  void stopCapturing() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(logs);
    root.setLevel(rootLevel);
  }

  private void secret(String name, String userData) {
    kube.resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .addToStringData("user-data", userData)
                .build())
        .createOr(NonDeletingOperation::update);
  }

  private static String userData(String version) {
    return "#cloud-config\nhostname: ${VM_NAME}\nchpasswd:\n  list: |\n    ops:"
        + PLANTED
        + "\n# "
        + version
        + "\n";
  }

  private VmGroupSpec web(String secret, int replicas, String range) {
    VmGroupSpec spec = new VmGroupSpec(1, 1, replicas, TEMPLATE);
    spec.setBootstrap(
        new BootstrapSpec(new CloudInitSpec(new SecretKeyRef(secret, "user-data")), null, null));
    spec.setNetworks(
        List.of(
            new NetworkSpec(
                "DC0_DVPG0", new AddressPoolSpec(List.of(range), null, 24, "10.20.0.1")),
            new NetworkSpec("VM Network", null)));
    spec.setDisk(new DiskSpec(4));
    spec.setExtraDisks(List.of(new ExtraDiskSpec(2, ExtraDiskSpec.Provisioning.thin)));
    return spec;
  }

  private List<VmInfo> running(String group) {
    return vmsOf(group).stream()
        .filter(Folders::owned)
        .filter(vm -> vm.powerState() == PowerState.POWERED_ON)
        .toList();
  }

  @Test
  @Order(1)
  void aWebTierIsMadeAsItsSpecSays() throws Exception {
    secret("web-userdata", userData("v1"));
    groups.create("web", web("web-userdata", 2, "10.20.0.10-10.20.0.19"));
    eventually().untilAsserted(() -> assertThat(running("web")).hasSize(2));

    for (VmInfo vm : running("web")) {
      VmDetails d = observer.details(vm.ref());
      String index = vm.name().substring("web-".length());
      assertThat(d.nics()).hasSize(2);
      assertThat(d.nics().get(0).backing()).isInstanceOf(NicBacking.Distributed.class);
      assertThat(d.nics().get(1).backing())
          .isInstanceOfSatisfying(
              NicBacking.Standard.class, s -> assertThat(s.networkName()).isEqualTo("VM Network"));
      assertThat(d.bootDisk().orElseThrow().capacityKiB()).isEqualTo(4L * 1024 * 1024);
      assertThat(d.disks()).hasSize(2);
      assertThat(d.disks().get(1).capacityKiB()).isEqualTo(2L * 1024 * 1024);
      assertThat(d.disks().get(1).thin()).isTrue();
      assertThat(d.annotation()).contains(namespace + "/web");
      assertThat(decode(d.extraConfig().get(CloudInit.USERDATA)))
          .contains("hostname: " + vm.name());
      assertThat(decode(d.extraConfig().get(CloudInit.METADATA)))
          .contains("10.20.0.1" + index + "/24")
          .contains(d.nics().get(0).macAddress())
          .contains("\"local-hostname\":\"" + vm.name() + "\"");
    }
    eventually()
        .untilAsserted(
            () ->
                assertThat(get("web").getStatus().getVms())
                    .extracting(v -> v.getAssignedAddresses())
                    .containsExactlyInAnyOrder(List.of("10.20.0.10"), List.of("10.20.0.11")));
  }

  @Test
  @Order(2)
  void aRotatedSecretRollsTheGroupWithinMaxUnavailable() throws Exception {
    secret("roll-userdata", userData("v1"));
    VmGroupSpec spec = web("roll-userdata", 3, "10.20.0.30-10.20.0.39");
    UpdateStrategy strategy = new UpdateStrategy();
    strategy.setRollingUpdate(new RollingUpdate());
    spec.setUpdateStrategy(strategy);
    groups.create("roll", spec);
    eventually().untilAsserted(() -> assertThat(running("roll")).hasSize(3));
    // the simulator derives instance UUIDs from names: a replaced VM is told by its reference
    List<MoRef> before = running("roll").stream().map(VmInfo::ref).toList();

    List<RolloutSampler.Snapshot> samples;
    try (RolloutSampler sampler =
        new RolloutSampler(client(() -> observerCredentials), folderPath("roll"))) {
      secret("roll-userdata", userData("v2"));
      eventually()
          .untilAsserted(
              () ->
                  assertThat(running("roll"))
                      .hasSize(3)
                      .extracting(VmInfo::ref)
                      .doesNotContainAnyElementsOf(before));
      samples = sampler.stop();
    }
    assertThat(samples).anyMatch(RolloutSampler.Snapshot::mixed);
    assertThat(samples.stream().mapToInt(RolloutSampler.Snapshot::running).min().orElseThrow())
        .as("never more than maxUnavailable = 1 of 3 VMs down")
        .isGreaterThanOrEqualTo(2);
    for (VmInfo vm : running("roll")) {
      assertThat(decode(observer.details(vm.ref()).extraConfig().get(CloudInit.USERDATA)))
          .contains("# v2");
    }
  }

  @Test
  @Order(3)
  void aPoolTooSmallStopsAtItsSizeAndSaysWhichPool() {
    secret("small-userdata", userData("v1"));
    groups.create("small", web("small-userdata", 2, "10.20.0.50-10.20.0.50"));
    eventually()
        .untilAsserted(
            () -> {
              Condition degraded = condition("small", StatusBuilder.DEGRADED);
              assertThat(degraded.getReason()).isEqualTo("AddressPoolExhausted");
              assertThat(degraded.getMessage()).contains("DC0_DVPG0", "10.20.0.50");
            });
    eventually().untilAsserted(() -> assertThat(running("small")).hasSize(1));
    assertThat(vmsOf("small")).extracting(VmInfo::name).containsExactly("small-0");
  }

  @Test
  @Order(4)
  void aMissingSecretClonesNothingUntilItExists() {
    groups.create("nosecret", web("not-there", 1, "10.20.0.60-10.20.0.69"));
    eventually()
        .untilAsserted(
            () -> {
              Condition degraded = condition("nosecret", StatusBuilder.DEGRADED);
              assertThat(degraded.getReason()).isEqualTo("BootstrapSecretMissing");
              assertThat(degraded.getMessage()).contains(namespace + "/not-there");
            });
    assertThat(folder("nosecret")).isEmpty();
    secret("not-there", userData("v1"));
    eventually().untilAsserted(() -> assertThat(running("nosecret")).hasSize(1));
  }

  /** Last: everything the earlier tests made the operator say is searched for the secret. */
  @Test
  @Order(100)
  void aPlantedSecretAppearsInNoLogEventStatusOrMetric() {
    assertThat(logs.list).as("the operator logged").isNotEmpty();
    for (ILoggingEvent e : logs.list) {
      assertThat(e.getFormattedMessage()).doesNotContain(PLANTED);
      if (e.getThrowableProxy() != null) {
        assertThat(e.getThrowableProxy().getMessage()).doesNotContain(PLANTED);
      }
    }
    String events = Serialization.asJson(kube.resources(Event.class).inNamespace(namespace).list());
    assertThat(events).contains("web").doesNotContain(PLANTED);
    String statuses = Serialization.asJson(groups.list());
    assertThat(statuses).contains("assignedAddresses").doesNotContain(PLANTED);
    assertThat(registry.scrape()).contains("vcenter_tasks_started_total").doesNotContain(PLANTED);
  }

  private Condition condition(String group, String type) {
    VmGroup g = get(group);
    assertThat(g.getStatus()).isNotNull();
    Condition c = StatusBuilder.find(g.getStatus().getConditions(), type);
    assertThat(c).as("%s condition of %s", type, group).isNotNull();
    return c;
  }

  private static String decode(String gzipBase64) throws Exception {
    assertThat(gzipBase64).isNotNull();
    try (var in =
        new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(gzipBase64)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
