package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VCenter;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterStatus;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterTls;
import com.codeconnect.vmgroup.app.OperatorRuntime;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.controller.vcenter.VCenterSettings;
import com.codeconnect.vmgroup.demo.EmbeddedKubernetes;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.demo.VcsimBuilder;
import com.codeconnect.vmgroup.testing.Closing;
import com.codeconnect.vmgroup.testing.Wait;
import com.codeconnect.vmgroup.vsphere.AboutInfo;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.soap.SoapVsphereClient;
import com.codeconnect.vmgroup.vsphere.soap.TlsTrust;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * VCenter resources with two simulators at once: each VCenter connects with its own credentials and
 * TLS settings, reports its version, fails on its own, picks up a rotated Secret without a restart
 * and logs its session out when deleted. The operator's environment-configured vCenter (the seed's
 * setup) runs alongside, as in production.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class VCenterSuite {
  static final String OPERATOR_NS = "vmgroup-operator-system";
  static final String USER = "administrator@vsphere.local";
  static final String PASS_A = "alpha-Secret!1";
  static final String PASS_B = "bravo-Secret!2";

  /** VCenters are checked every 500 ms here: half a minute is many checks. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  /** Simulator A serves TLS with a self-signed certificate; B plain HTTP. */
  protected Vcsim simA;

  protected Vcsim simB;
  protected ApiServer api;
  protected KubernetesClient kube;
  protected VsphereClient envClient;
  protected OperatorRuntime operator;
  private final List<Vcsim> extraSims = new ArrayList<>();

  protected abstract ApiServer startApiServer();

  @BeforeAll
  void startAll() throws IOException {
    simA = Vcsim.builder().tls(true).credentials(USER, PASS_A).start();
    simB = Vcsim.builder().credentials(USER, PASS_B).start();
    api = startApiServer();
    kube = api.client();
    EmbeddedKubernetes.installVCenterCrd(kube);
    // a real API server serves a new kind only once its CRD is established
    eventually(Duration.ofSeconds(30), Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> kube.resources(VCenter.class).list() != null);
    kube.resource(
            new NamespaceBuilder().withNewMetadata().withName(OPERATOR_NS).endMetadata().build())
        .createOr(NonDeletingOperation::update);
    secret("creds-a", Map.of("username", USER, "password", PASS_A));
    // the operator's own vc-creds Secret uses these keys; a VCenter can reuse such a Secret
    secret("creds-b", Map.of("VC_USER", USER, "VC_PASS", PASS_B));
    kube.resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("ca-a")
                .withNamespace(OPERATOR_NS)
                .endMetadata()
                .addToData("ca.crt", Files.readString(simA.certificate()))
                .build())
        .createOr(NonDeletingOperation::update);
    envClient =
        SoapVsphereClient.builder(simB.url())
            .credentials(new Credentials(USER, PASS_B))
            .tls(TlsTrust.system())
            .build();
    operator =
        OperatorRuntime.start(
            kube,
            envClient,
            OperatorSettings.defaults().withResyncInterval(Duration.ofSeconds(1)),
            null,
            VCenterSettings.defaults(OPERATOR_NS)
                .withCheckInterval(Duration.ofMillis(500))
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(30))
                .withCallTimeout(Duration.ofSeconds(5)));
  }

  @AfterAll
  void stopAll() {
    Closing.all(operator, envClient, api, simA, simB);
    Closing.all(extraSims);
  }

  @Test
  void twoVCentersConnectEachWithItsOwnCredentialsAndTls() {
    create("pair-a", simA, "creds-a", VCenterTls.caBundle(null, "ca-a", "ca.crt"));
    create("pair-b", simB, "creds-b", null);
    for (String name : List.of("pair-a", "pair-b")) {
      eventually(PATIENCE)
          .untilAsserted(
              () -> {
                VCenter vc = get(name);
                assertConnected(vc);
                AboutInfo about = about(name.equals("pair-a") ? simA : simB);
                assertThat(vc.getStatus().version).isNotBlank().isEqualTo(about.version());
                assertThat(vc.getStatus().apiVersion).isEqualTo(about.apiVersion());
                assertThat(vc.getStatus().product).contains("vCenter").isEqualTo(about.fullName());
                assertThat(vc.getStatus().instanceUuid).isEqualTo(about.instanceUuid());
                assertThat(vc.getStatus().session).isEqualTo(VCenterStatus.SESSION_ACTIVE);
                assertThat(vc.getStatus().lastConnected).isNotBlank();
                assertThat(vc.getStatus().observedGeneration)
                    .isEqualTo(vc.getMetadata().getGeneration());
                assertThat(vc.getMetadata().getFinalizers()).contains(VCenter.FINALIZER);
              });
    }
  }

  @Test
  void anUntrustedCertificateIsReportedWithItsThumbprint() {
    create("untrusted", simA, "creds-a", null);
    eventually(PATIENCE)
        .untilAsserted(
            () -> {
              Condition c = connected(get("untrusted"));
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("CertificateRejected");
              assertThat(c.getMessage())
                  .contains("127.0.0.1")
                  .containsPattern("([0-9A-F]{2}:){31}");
            });
    // the thumbprint the message names is what an administrator pins
    edit(
        "untrusted",
        vc -> {
          vc.getSpec().tls = VCenterTls.insecure();
          return vc;
        });
    eventually(PATIENCE).untilAsserted(() -> assertConnected(get("untrusted")));
  }

  @Test
  void rejectedCredentialsAreReportedOnceAndARotatedSecretConnectsWithoutRestart() {
    secret("creds-rotate", Map.of("username", USER, "password", "wrong-password"));
    create("rotate", simB, "creds-rotate", null);
    eventually(PATIENCE)
        .untilAsserted(
            () -> {
              VCenter vc = get("rotate");
              Condition c = connected(vc);
              assertThat(c.getReason()).isEqualTo("CredentialsRejected");
              assertThat(c.getMessage()).contains("rejected").doesNotContain("wrong-password");
              assertThat(ready(vc).getStatus()).isEqualTo("False");
              // about() needs no session: the version shows even with a wrong password
              assertThat(vc.getStatus().version).isEqualTo(about(simB).version());
              assertThat(vc.getStatus().session).isEqualTo(VCenterStatus.SESSION_NONE);
            });
    eventually(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(eventReasons(get("rotate").getMetadata().getUid()))
                    .contains("CredentialsRejected"));
    // No hot loop: the status is written once, not at every check.
    String version = get("rotate").getMetadata().getResourceVersion();
    // fixed on purpose: no write is expected, so no condition could end the wait
    Wait.quietPeriod(Duration.ofSeconds(2));
    assertThat(get("rotate").getMetadata().getResourceVersion()).isEqualTo(version);

    secret("creds-rotate", Map.of("username", USER, "password", PASS_B));
    eventually(Duration.ofSeconds(10)).untilAsserted(() -> assertConnected(get("rotate")));
  }

  @Test
  void deletingAVCenterLogsItsSessionOutAndRemovesTheFinalizer() {
    Vcsim own = extra(Vcsim.builder().credentials(USER, PASS_B));
    create("doomed", own, "creds-b", null);
    eventually(PATIENCE).untilAsserted(() -> assertConnected(get("doomed")));
    assertThat(own.sessionCount()).isEqualTo(1);

    kube.resources(VCenter.class).withName("doomed").delete();
    eventually(PATIENCE)
        .untilAsserted(
            () -> {
              assertThat(get("doomed")).isNull();
              assertThat(own.sessionCount()).isZero();
            });
  }

  @Test
  void aStoppedVCenterAffectsOnlyItselfAndRecoversAtANewEndpoint() {
    Vcsim doomed = extra(Vcsim.builder().credentials(USER, PASS_B));
    create("outage", doomed, "creds-b", null);
    create("bystander", simB, "creds-b", null);
    eventually(PATIENCE).untilAsserted(() -> assertConnected(get("outage")));
    eventually(PATIENCE).untilAsserted(() -> assertConnected(get("bystander")));

    doomed.close();
    eventually(PATIENCE)
        .untilAsserted(
            () -> {
              VCenter vc = get("outage");
              Condition c = connected(vc);
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("Unreachable");
              assertThat(ready(vc).getStatus()).isEqualTo("False");
              assertThat(vc.getStatus().session).isEqualTo(VCenterStatus.SESSION_NONE);
              // the last known version stays visible while vCenter is away
              assertThat(vc.getStatus().version).isEqualTo(about(simB).version());
            });
    // The other VCenter keeps being checked (every 500 ms) and stays connected throughout.
    String bystanderVersion = get("bystander").getMetadata().getResourceVersion();
    // fixed on purpose: no write is expected, so no condition could end the wait
    Wait.quietPeriod(Duration.ofSeconds(2));
    assertConnected(get("bystander"));
    assertThat(get("bystander").getMetadata().getResourceVersion()).isEqualTo(bystanderVersion);

    Vcsim replacement = extra(Vcsim.builder().credentials(USER, PASS_B));
    edit(
        "outage",
        vc -> {
          vc.getSpec().url = replacement.url().toString();
          return vc;
        });
    eventually(PATIENCE)
        .untilAsserted(
            () -> {
              VCenter vc = get("outage");
              assertConnected(vc);
              assertThat(vc.getStatus().observedGeneration)
                  .isEqualTo(vc.getMetadata().getGeneration());
              assertThat(replacement.sessionCount()).isEqualTo(1);
            });
  }

  @Test
  void aMissingSecretIsNamedAndItsCreationConnects() {
    create("late-secret", simB, "creds-late", null);
    eventually(PATIENCE)
        .untilAsserted(
            () -> {
              Condition c = connected(get("late-secret"));
              assertThat(c.getReason()).isEqualTo("SecretMissing");
              assertThat(c.getMessage()).contains(OPERATOR_NS + "/creds-late");
            });
    secret("creds-late", Map.of("username", USER, "password", PASS_B));
    eventually(PATIENCE).untilAsserted(() -> assertConnected(get("late-secret")));
  }

  // ---------------------------------------------------------------- helpers

  /** What the simulator says about itself, read through a client of the test's own. */
  private static AboutInfo about(Vcsim sim) {
    try (SoapVsphereClient c =
        SoapVsphereClient.builder(sim.url())
            .credentials(new Credentials(USER, "unused"))
            .tls(TlsTrust.insecure())
            .build()) {
      return c.about();
    }
  }

  private Vcsim extra(VcsimBuilder builder) {
    Vcsim sim = builder.start();
    extraSims.add(sim);
    return sim;
  }

  private void create(String name, Vcsim sim, String secret, VCenterTls tls) {
    kube.resource(new VCenter(name, new VCenterSpec(sim.url().toString(), secret, tls))).create();
  }

  private VCenter get(String name) {
    return kube.resources(VCenter.class).withName(name).get();
  }

  private void edit(String name, UnaryOperator<VCenter> change) {
    eventually(PATIENCE)
        .ignoreExceptions()
        .untilAsserted(() -> kube.resources(VCenter.class).withName(name).edit(change));
  }

  private void secret(String name, Map<String, String> values) {
    Map<String, String> data = new java.util.HashMap<>();
    values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes())));
    kube.resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(OPERATOR_NS)
                .endMetadata()
                .withData(data)
                .build())
        .createOr(NonDeletingOperation::update);
  }

  private List<String> eventReasons(String uid) {
    // VCenters are cluster-scoped: their Events live in default, the only namespace a server
    // accepts
    return kube.resources(Event.class).inNamespace("default").list().getItems().stream()
        .filter(e -> e.getRegarding() != null && uid.equals(e.getRegarding().getUid()))
        .map(Event::getReason)
        .toList();
  }

  private static Condition connected(VCenter vc) {
    return condition(vc, "Connected");
  }

  private static Condition ready(VCenter vc) {
    return condition(vc, "Ready");
  }

  private static Condition condition(VCenter vc, String type) {
    assertThat(vc).isNotNull();
    assertThat(vc.getStatus()).isNotNull();
    Optional<Condition> c =
        vc.getStatus().conditions.stream().filter(x -> type.equals(x.getType())).findFirst();
    assertThat(c).as(type).isPresent();
    return c.get();
  }

  private static void assertConnected(VCenter vc) {
    Condition c = connected(vc);
    assertThat(c.getStatus()).as(c.getMessage()).isEqualTo("True");
    assertThat(c.getReason()).isEqualTo("Connected");
    assertThat(ready(vc).getStatus()).isEqualTo("True");
  }
}
