package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.OperatorProcess.sum;
import static com.codeconnect.vmgroup.testing.OperatorProcess.value;
import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.demo.EmbeddedKubernetes;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.testing.Groups;
import com.codeconnect.vmgroup.testing.OperatorProcess;
import com.codeconnect.vmgroup.testing.Wait;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.soap.SoapVsphereClient;
import com.codeconnect.vmgroup.vsphere.soap.TlsTrust;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A whole life of one group against the operator jar as the Deployment runs it (its JVM options,
 * its memory limit, {@code LOG_FORMAT=json}): create, scale, a password change in vCenter, the
 * rotated Secret, delete. Along the way {@code /metrics} must show the real state (read from
 * vCenter through a separate session and from the API server), and afterwards every log line must
 * be JSON, every line about the group must carry its namespace and name, and neither password may
 * appear in the logs, the Events or the status.
 */
class OperatorRunIT {
  static final String USER = "administrator@vsphere.local";
  // Letters that survive any escaping (JSON, XML, URL) plus characters that would not: a leak in
  // any encoding still contains the word.
  static final String SECRET_WORD = "Zorblax";
  static final String FIRST = "k7&" + SECRET_WORD + "<One>!";
  static final String SECOND = "m9\"" + SECRET_WORD + "%Two#";
  static final String NS = "logscan";
  static final String GROUP = "lgscan";

  /** The jar in a JVM sized like the pod (C1 only, its memory limit): slower than in-process. */
  static final Duration PATIENCE = Duration.ofSeconds(90);

  /** A check scrapes /metrics from the process: a slower poll than {@link Wait#POLL}. */
  static final Duration POLL = Duration.ofMillis(250);

  @Test
  void aFullRunHasRealMetricsJsonLogsWithTheGroupOnEveryLineAboutItAndNoPassword()
      throws Exception {
    try (Vcsim sim = Vcsim.builder().credentials(USER, FIRST).start();
        EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
      EmbeddedKubernetes.installCrd(api.client());
      KubernetesClient kube = api.client();
      Path passwordFile = Files.createTempFile("vc-pass", "");
      Files.writeString(passwordFile, FIRST + "\n");
      AtomicReference<Credentials> observerLogin =
          new AtomicReference<>(new Credentials(USER, FIRST));
      List<String> statuses = new ArrayList<>();
      String output;
      try (SoapVsphereClient observer =
              SoapVsphereClient.builder(sim.url())
                  .credentials(observerLogin::get)
                  .tls(TlsTrust.system())
                  .build();
          OperatorProcess operator =
              OperatorProcess.builder()
                  .deploymentJvm()
                  .apiServer(kube.getMasterUrl().toString())
                  .env(
                      Map.of(
                          "VC_HOST",
                          sim.url().toString(),
                          "VC_USER",
                          USER,
                          "VC_PASS_FILE",
                          passwordFile.toString(),
                          "LOG_FORMAT",
                          "json",
                          "LOG_LEVEL",
                          "DEBUG"))
                  .args("--resync-interval=2s")
                  .start()) {
        operator.awaitOk("/readyz", eventually(PATIENCE, POLL));

        // create: the gauges follow vCenter and the group's status
        groups(kube).create(GROUP, 1, 1, 2, Folders.TEMPLATE);
        awaitReady(kube, observer, 2, statuses);
        eventually(PATIENCE, POLL)
            .untilAsserted(
                () -> {
                  String m = operator.body("/metrics");
                  assertThat(
                          value(
                              m,
                              "vmgroup_managed_vms{power_state=\"poweredOn\",vcenter=\"default\"}"))
                      .isEqualTo(poweredOn(observer).size())
                      .isEqualTo(2.0);
                  assertThat(
                          value(
                              m,
                              "vmgroup_managed_vms{power_state=\"poweredOff\",vcenter=\"default\"}"))
                      .isZero();
                  assertThat(value(m, "vmgroup_groups{ready=\"true\"}")).isEqualTo(1.0);
                  assertThat(value(m, "vmgroup_groups{ready=\"false\"}")).isZero();
                  assertThat(value(m, "vmgroup_groups{ready=\"unknown\"}")).isZero();
                  assertThat(value(m, "vcenter_tasks_started_total{kind=\"Clone\"}"))
                      .isEqualTo(2.0);
                  // a clone carries size and power state; a lagging view may add other tasks
                  assertThat(sum(m, "vcenter_tasks_started_total")).isGreaterThanOrEqualTo(2.0);
                  assertThat(value(m, "vcenter_tasks_running{vcenter=\"default\"}")).isZero();
                  assertThat(value(m, "vcenter_session_state{state=\"valid\",vcenter=\"default\"}"))
                      .isEqualTo(1.0);
                  assertThat(
                          value(m, "vcenter_session_state{state=\"rejected\",vcenter=\"default\"}"))
                      .isZero();
                  assertThat(value(m, "vmgroup_inventory_synced{vcenter=\"default\"}"))
                      .isEqualTo(1.0);
                });

        // scale up
        groups(kube).scale(GROUP, 3);
        awaitReady(kube, observer, 3, statuses);
        eventually(PATIENCE, POLL)
            .untilAsserted(
                () -> {
                  String m = operator.body("/metrics");
                  assertThat(
                          value(
                              m,
                              "vmgroup_managed_vms{power_state=\"poweredOn\",vcenter=\"default\"}"))
                      .isEqualTo(3.0);
                  assertThat(value(m, "vcenter_tasks_started_total{kind=\"Clone\"}"))
                      .isEqualTo(3.0);
                });

        // The password changes in vCenter and every session ends; a scale makes the operator call
        // vCenter at once, log in again with the old password and be refused.
        sim.setCredentials(USER, SECOND);
        observerLogin.set(new Credentials(USER, SECOND));
        sim.terminateSessions();
        groups(kube).scale(GROUP, 4);
        eventually(PATIENCE, POLL)
            .untilAsserted(
                () -> {
                  Condition degraded = condition(kube, StatusBuilder.DEGRADED);
                  assertThat(degraded.getReason()).isEqualTo("CredentialsRejected");
                  statuses.add(Serialization.asJson(group(kube).getStatus()));
                  String m = operator.body("/metrics");
                  assertThat(
                          value(m, "vcenter_session_state{state=\"rejected\",vcenter=\"default\"}"))
                      .isEqualTo(1.0);
                  assertThat(value(m, "vcenter_session_state{state=\"valid\",vcenter=\"default\"}"))
                      .isZero();
                  assertThat(value(m, "vmgroup_groups{ready=\"false\"}")).isEqualTo(1.0);
                  assertThat(value(m, "vmgroup_groups{ready=\"true\"}")).isZero();
                  assertThat(operator.status("/readyz")).as("readiness").isEqualTo(503);
                  assertThat(operator.body("/readyz")).contains("vCenter");
                });

        // The mounted Secret is rotated: no restart, the next login uses it.
        Files.writeString(passwordFile, SECOND + "\n");
        awaitReady(kube, observer, 4, statuses);
        eventually(PATIENCE, POLL)
            .untilAsserted(
                () -> {
                  String m = operator.body("/metrics");
                  assertThat(value(m, "vcenter_session_state{state=\"valid\",vcenter=\"default\"}"))
                      .isEqualTo(1.0);
                  assertThat(
                          value(
                              m,
                              "vmgroup_managed_vms{power_state=\"poweredOn\",vcenter=\"default\"}"))
                      .isEqualTo(4.0);
                  assertThat(operator.status("/readyz")).as("readiness").isEqualTo(200);
                  assertThat(value(m, "vmgroup_groups{ready=\"true\"}")).isEqualTo(1.0);
                });

        // delete: nothing left to count
        groups(kube).delete(GROUP);
        eventually(PATIENCE, POLL)
            .untilAsserted(
                () -> {
                  assertThat(group(kube)).isNull();
                  assertThat(observer.findByInventoryPath(Folders.path(NS, GROUP))).isEmpty();
                  String m = operator.body("/metrics");
                  assertThat(sum(m, "vmgroup_managed_vms")).isZero();
                  assertThat(sum(m, "vmgroup_groups")).isZero();
                  assertThat(value(m, "vcenter_tasks_running{vcenter=\"default\"}")).isZero();
                  assertThat(value(m, "vcenter_tasks_started_total{kind=\"Destroy\"}"))
                      .isEqualTo(4.0);
                });

        String events =
            Serialization.asJson(kube.resources(Event.class).inNamespace(NS).list().getItems());
        // the group's clones are one Event naming the latest VM cloned (see EventRecorder.step)
        assertThat(events)
            .as("the Events")
            .contains("\"reason\":\"Clone\"")
            .containsPattern("cloning VM 'lgscan-\\d+'")
            .doesNotContain(SECRET_WORD);
        assertThat(String.join("\n", statuses))
            .as("the status as it went")
            .contains("CredentialsRejected")
            .doesNotContain(SECRET_WORD);

        assertThat(operator.stop(Duration.ofSeconds(30))).as("stopped after SIGTERM").isTrue();
        output = operator.output();
      }

      // kept for a look after a failure
      Files.writeString(OperatorProcess.BUILD_DIR.resolve("operator-run-it.log"), output);
      assertThat(output).as("the operator's output").doesNotContain(SECRET_WORD);
      List<JsonNode> lines = jsonLines(output);
      List<JsonNode> aboutTheGroup =
          lines.stream().filter(l -> l.path("formattedMessage").asText().contains(GROUP)).toList();
      // The Events of the run are logged too: clones, power-ons, the rejected login, destroys.
      assertThat(aboutTheGroup).as("log lines about the group").hasSizeGreaterThan(10);
      assertThat(aboutTheGroup)
          .allSatisfy(
              l -> {
                assertThat(l.at("/mdc/resource.namespace").asText()).as(l.toString()).isEqualTo(NS);
                assertThat(l.at("/mdc/resource.name").asText()).as(l.toString()).isEqualTo(GROUP);
              });
      // JOSDK's reconcile threads work on one group at a time, and this run has one group.
      assertThat(lines)
          .filteredOn(l -> l.path("threadName").asText().startsWith("ReconcilerExecutor"))
          .isNotEmpty()
          .allSatisfy(
              l ->
                  assertThat(l.at("/mdc/resource.name").asText())
                      .as(l.toString())
                      .isEqualTo(GROUP));
      // The refused login is about every group, though its message names none: the MDC does.
      assertThat(lines)
          .filteredOn(l -> l.at("/mdc/resource.name").asText().equals(GROUP))
          .anySatisfy(
              l -> {
                assertThat(l.path("level").asText()).isEqualTo("WARN");
                assertThat(l.path("formattedMessage").asText()).contains("CredentialsRejected");
                assertThat(l.at("/mdc/resource.namespace").asText()).isEqualTo(NS);
              });
      assertThat(lines)
          .anySatisfy(l -> assertThat(l.path("formattedMessage").asText()).startsWith("stopping"));
    }
  }

  /** Every line of the output as JSON: a line that isn't a JSON object fails the test. */
  private static List<JsonNode> jsonLines(String output) {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> parsed = new ArrayList<>();
    output
        .lines()
        .forEach(
            line -> {
              JsonNode node;
              try {
                node = json.readTree(line);
              } catch (Exception e) {
                throw new AssertionError("not a JSON log line: " + line, e);
              }
              assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
              assertThat(node.path("level").asText()).as(line).isNotEmpty();
              assertThat(node.has("mdc")).as(line).isTrue();
              parsed.add(node);
            });
    assertThat(parsed).as("log lines").isNotEmpty();
    return parsed;
  }

  private static void awaitReady(
      KubernetesClient kube, SoapVsphereClient observer, int replicas, List<String> statuses) {
    eventually(PATIENCE, POLL)
        .untilAsserted(
            () -> {
              assertThat(poweredOn(observer)).hasSize(replicas);
              VmGroup g = group(kube);
              statuses.add(Serialization.asJson(g.getStatus()));
              // the VMs can be on before the reconcile that started them has written its status
              assertThat(g.getStatus()).as("status").isNotNull();
              assertThat(g.getStatus().getReadyReplicas()).isEqualTo(replicas);
              assertThat(condition(kube, StatusBuilder.READY).getStatus()).isEqualTo("True");
            });
  }

  private static List<VmInfo> poweredOn(SoapVsphereClient observer) {
    return Folders.vmsOf(observer, NS, GROUP).stream()
        .filter(Folders::owned)
        .filter(vm -> vm.powerState() == PowerState.POWERED_ON)
        .toList();
  }

  private static Groups groups(KubernetesClient kube) {
    return Groups.in(kube, NS);
  }

  private static VmGroup group(KubernetesClient kube) {
    return groups(kube).get(GROUP);
  }

  private static Condition condition(KubernetesClient kube, String type) {
    VmGroup g = group(kube);
    assertThat(g.getStatus()).isNotNull();
    Condition c = StatusBuilder.find(g.getStatus().getConditions(), type);
    assertThat(c).as(type).isNotNull();
    return c;
  }
}
