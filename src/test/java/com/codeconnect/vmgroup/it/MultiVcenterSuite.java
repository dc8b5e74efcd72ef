package com.codeconnect.vmgroup.it;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.AllowedNamespaces;
import com.codeconnect.vmgroup.api.v1alpha1.NetworkSpec;
import com.codeconnect.vmgroup.api.v1alpha1.QuotaUsage;
import com.codeconnect.vmgroup.api.v1alpha1.VCenter;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterDefaults;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterQuota;
import com.codeconnect.vmgroup.api.v1alpha1.VCenterSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.app.OperatorRuntime;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.controller.vcenter.VCenterSettings;
import com.codeconnect.vmgroup.demo.EmbeddedKubernetes;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.demo.VcsimBuilder;
import com.codeconnect.vmgroup.testing.Closing;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.testing.Groups;
import com.codeconnect.vmgroup.testing.Wait;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.soap.SoapVsphereClient;
import com.codeconnect.vmgroup.vsphere.soap.TlsTrust;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * VmGroups spread over several vCenters at once: namespaces mapped to VCenters by name and by
 * label, ambiguous or unknown mappings reported, per-namespace quotas, an outage that stays with
 * its own vCenter, credential rotation through the Secret, and a VCenter that can't be deleted
 * while groups use it. Every placement is checked in the simulators themselves, through clients of
 * the test's own. The operator's environment-configured vCenter runs alongside (the seed's setup)
 * and takes namespaces no VCenter allows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MultiVcenterSuite {
  static final String OPERATOR_NS = "vmgroup-operator-system";
  static final String USER = "administrator@vsphere.local";
  static final String PASS = "site-Secret!1";
  static final String TEMPLATE = Folders.TEMPLATE;

  /** A check logs in to the simulators anew (see ownedAt): a slower poll than {@link Wait#POLL}. */
  static final Duration POLL = Duration.ofMillis(250);

  protected Vcsim simA;
  protected Vcsim simB;
  protected Vcsim simOwn;
  protected ApiServer api;
  protected KubernetesClient kube;
  protected VsphereClient ownClient;
  protected OperatorRuntime operator;
  private final List<AutoCloseable> closing = new ArrayList<>();

  protected abstract ApiServer startApiServer();

  @BeforeAll
  void startAll() {
    simA = sim();
    simB = sim();
    simOwn = sim();
    api = startApiServer();
    kube = api.client();
    EmbeddedKubernetes.installVCenterCrd(kube);
    eventually(Duration.ofSeconds(30), Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> kube.resources(VCenter.class).list() != null);
    namespace(OPERATOR_NS, Map.of());
    secret("creds", PASS);
    for (String ns :
        List.of(
            "team-a", "team-c", "team-q", "team-d", "team-r", "team-e", "team-f", "team-dflt")) {
      namespace(ns, Map.of());
    }
    namespace("team-b", Map.of("site", "b"));
    namespace("team-x", Map.of("site", "b"));
    // site-a allows by name, site-b by label; team-x is allowed by both
    vcenter("site-a", simA, "creds", AllowedNamespaces.named("team-a", "team-x", "team-q"), null);
    vcenter(
        "site-b",
        simB,
        "creds",
        AllowedNamespaces.matching(
            new LabelSelectorBuilder().addToMatchLabels("site", "b").build()),
        null);
    ownClient = client(simOwn, PASS);
    operator = startOperator();
  }

  private OperatorRuntime startOperator() {
    return OperatorRuntime.start(
        kube,
        ownClient,
        OperatorSettings.defaults().withResyncInterval(Duration.ofSeconds(1)),
        null,
        VCenterSettings.defaults(OPERATOR_NS)
            .withCheckInterval(Duration.ofSeconds(1))
            .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
            .withCallTimeout(Duration.ofSeconds(5)));
  }

  @AfterAll
  void stopAll() {
    Closing.all(operator, ownClient, api);
    Closing.all(closing);
  }

  @Test
  void eachNamespacesGroupsLandOnItsVCenterAndOthersOnTheOperatorsOwn() {
    create("team-a", "web", 2, null);
    create("team-b", "web", 2, null);
    create("team-c", "web", 1, null);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> {
              assertThat(ownedIn(simA, "team-a", "web")).hasSize(2);
              assertThat(ownedIn(simB, "team-b", "web")).hasSize(2);
              assertThat(ownedIn(simOwn, "team-c", "web")).hasSize(1);
              assertReady("team-a", "web");
              assertReady("team-b", "web");
              assertReady("team-c", "web");
            });
    // nothing on the wrong vCenter
    assertThat(folderIn(simB, "team-a", "web")).isFalse();
    assertThat(folderIn(simOwn, "team-a", "web")).isFalse();
    assertThat(folderIn(simA, "team-b", "web")).isFalse();
    assertThat(folderIn(simOwn, "team-b", "web")).isFalse();
    assertThat(folderIn(simA, "team-c", "web")).isFalse();
    assertThat(folderIn(simB, "team-c", "web")).isFalse();
    assertThat(group("team-a", "web").getStatus().getVcenter()).isEqualTo("site-a");
    assertThat(group("team-b", "web").getStatus().getVcenter()).isEqualTo("site-b");
    assertThat(group("team-c", "web").getStatus().getVcenter()).isEqualTo("default");
    // the VCenter's status counts the groups on it and what their namespaces use
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> {
              // other tests put groups on site-b too: compare with what the API and vCenter say
              List<VmGroup> onB =
                  kube.resources(VmGroup.class).inAnyNamespace().list().getItems().stream()
                      .filter(g -> g.getStatus() != null)
                      .filter(g -> "site-b".equals(g.getStatus().getVcenter()))
                      .toList();
              int teamBVms =
                  onB.stream()
                      .filter(g -> g.getMetadata().getNamespace().equals("team-b"))
                      .mapToInt(g -> ownedIn(simB, "team-b", g.getMetadata().getName()).size())
                      .sum();
              VCenter b = vcenter("site-b");
              assertThat(b.getStatus().groups).isEqualTo(onB.size());
              assertThat(b.getStatus().quotaUsage)
                  .contains(new QuotaUsage("team-b", teamBVms, teamBVms, teamBVms, null));
            });
  }

  @Test
  void ambiguousUnknownAndForbiddenMappingsAreReportedAndCreateNothing() {
    create("team-x", "either", 1, null);
    create("team-x", "nowhere", 1, "site-z");
    create("team-a", "trespass", 1, "site-b");
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> {
              assertDegraded("team-x", "either", "VCenterAmbiguous", "site-a", "site-b");
              assertDegraded("team-x", "nowhere", "VCenterNotFound", "site-z");
              assertDegraded("team-a", "trespass", "VCenterNotAllowed", "team-a");
            });
    for (Vcsim sim : List.of(simA, simB, simOwn)) {
      assertThat(folderIn(sim, "team-x", "either")).isFalse();
      assertThat(folderIn(sim, "team-x", "nowhere")).isFalse();
      assertThat(folderIn(sim, "team-a", "trespass")).isFalse();
    }
    // naming one of the two resolves the ambiguity
    create("team-x", "chosen", 1, "site-b");
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(() -> assertThat(ownedIn(simB, "team-x", "chosen")).hasSize(1));
    assertThat(folderIn(simA, "team-x", "chosen")).isFalse();

    // A group never follows a changed spec.vcenter away from its VMs: the CRD's rule refuses the
    // edit, and where nothing enforces it the operator refuses to act.
    if (api.enforcesSchema()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> editGroup("team-x", "chosen", g -> g.getSpec().setVcenter("site-a")))
          .hasMessageContaining("vcenter can't change or be removed");
      return;
    }
    editGroup(
        "team-x",
        "chosen",
        g -> {
          g.getSpec().setVcenter("site-a");
          g.getSpec().setReplicas(2);
        });
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> assertDegraded("team-x", "chosen", "VCenterChanged", "site-b", "site-a"));
    // Fixed on purpose: the operator must not act on the refused change, so no condition could
    // end the wait.
    Wait.quietPeriod(Duration.ofSeconds(2));
    assertThat(ownedIn(simB, "team-x", "chosen")).hasSize(1);
    assertThat(folderIn(simA, "team-x", "chosen")).isFalse();
  }

  @Test
  void aNetworkTheVCenterDoesNotAllowCreatesNothing() {
    namespace("team-n", Map.of());
    VCenterSpec spec = new VCenterSpec(simA.url().toString(), "creds", null);
    spec.allowedNamespaces = AllowedNamespaces.named("team-n");
    spec.allowedNetworks = List.of("VM Network");
    kube.resource(new VCenter("site-n", spec)).create();
    VmGroupSpec group = new VmGroupSpec(1, 1, 1, TEMPLATE);
    group.setNetworks(List.of(new NetworkSpec("DC0_DVPG0", null)));
    Groups.in(kube, "team-n").create("fenced", group);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> assertDegraded("team-n", "fenced", "NetworkNotAllowed", "DC0_DVPG0", "site-n"));
    assertThat(folderIn(simA, "team-n", "fenced")).isFalse();

    editGroup(
        "team-n",
        "fenced",
        g -> g.getSpec().setNetworks(List.of(new NetworkSpec("VM Network", null))));
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(() -> assertThat(ownedIn(simA, "team-n", "fenced")).hasSize(1));
  }

  @Test
  void theOwnVCentersNameIsReservedWhileItExists() {
    vcenter("default", simA, "creds", AllowedNamespaces.named("team-dflt"), null);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> {
              Condition ready = condition(vcenter("default"), "Ready");
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(ready.getMessage()).contains("reserved");
            });
    create("team-dflt", "app", 1, null);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(() -> assertThat(ownedIn(simOwn, "team-dflt", "app")).hasSize(1));
    assertThat(folderIn(simA, "team-dflt", "app")).isFalse();
    assertThat(group("team-dflt", "app").getStatus().getVcenter()).isEqualTo("default");
    kube.resources(VCenter.class).withName("default").delete();
    eventually(Wait.PATIENCE, POLL).untilAsserted(() -> assertThat(vcenter("default")).isNull());
  }

  @Test
  void aQuotaOfFiveVmsStopsTheNamespaceAtFiveWithACondition() {
    editVcenter(
        "site-a",
        vc ->
            vc.getSpec().namespaceQuotas =
                List.of(new VCenterQuota.ForNamespace("team-q", 5, null, null)));
    // two groups want 7 between them: the quota is the namespace's, checked under one lock
    create("team-q", "big", 4, null);
    create("team-q", "small", 3, null);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () ->
                assertThat(
                        ownedIn(simA, "team-q", "big").size()
                            + ownedIn(simA, "team-q", "small").size())
                    .isEqualTo(5));
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> {
              List<String> reasons = new ArrayList<>();
              for (String g : List.of("big", "small")) {
                VmGroup group = group("team-q", g);
                if (group.getSpec().getReplicas() > ownedIn(simA, "team-q", g).size()) {
                  Condition degraded = condition(group, "Degraded");
                  assertThat(degraded.getMessage()).contains("team-q", "site-a", "maxVms 5");
                  reasons.add(degraded.getReason());
                }
              }
              assertThat(reasons).isNotEmpty().containsOnly("QuotaExceeded");
              QuotaUsage usage =
                  vcenter("site-a").getStatus().quotaUsage.stream()
                      .filter(u -> u.namespace.equals("team-q"))
                      .findFirst()
                      .orElseThrow();
              assertThat(usage.vms).isEqualTo(5);
              assertThat(usage.quota.maxVms).isEqualTo(5);
            });
    // it stays at 5 while the groups keep reconciling: a fixed period, as nothing may change
    Wait.quietPeriod(Duration.ofSeconds(3));
    assertThat(ownedIn(simA, "team-q", "big").size() + ownedIn(simA, "team-q", "small").size())
        .isEqualTo(5);

    editVcenter(
        "site-a",
        vc ->
            vc.getSpec().namespaceQuotas =
                List.of(new VCenterQuota.ForNamespace("team-q", 7, null, null)));
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> {
              assertThat(ownedIn(simA, "team-q", "big")).hasSize(4);
              assertThat(ownedIn(simA, "team-q", "small")).hasSize(3);
              assertReady("team-q", "big");
              assertReady("team-q", "small");
            });
  }

  @Test
  void eachVCenterHasItsOwnPlacementDefaultsAndTaskBudget() {
    Vcsim simF = sim(Vcsim.builder().credentials(USER, PASS).cloneDelay(Duration.ofMillis(400)));
    VCenterSpec spec = new VCenterSpec(simF.url().toString(), "creds", null);
    spec.allowedNamespaces = AllowedNamespaces.named("team-f");
    spec.defaults = new VCenterDefaults(null, null, null, "fleet");
    spec.taskBudget = 1;
    kube.resource(new VCenter("site-f", spec)).create();
    create("team-f", "app", 3, null);
    AtomicInteger most = new AtomicInteger();
    // every poll also samples how many tasks run at once
    eventually(Duration.ofSeconds(60), Duration.ofMillis(50))
        .until(
            () -> {
              if (ownedAt(simF, "/DC0/vm/fleet/team-f-app").size() >= 3) {
                return true;
              }
              most.accumulateAndGet(simF.tasksRunning(), Math::max);
              return false;
            });
    assertThat(ownedAt(simF, "/DC0/vm/fleet/team-f-app")).hasSize(3);
    assertThat(most.get()).as("clones running at once on site-f (budget 1)").isEqualTo(1);
    assertThat(folderIn(simF, "team-f", "app")).as("not under the default root").isFalse();
  }

  @Test
  void aStoppedVCenterLeavesTheOtherVCentersGroupsUnaffected() {
    Vcsim simD = sim();
    vcenter("site-d", simD, "creds", AllowedNamespaces.named("team-d"), null);
    create("team-d", "doomed", 1, null);
    create("team-a", "steady", 1, null);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> {
              assertThat(ownedIn(simD, "team-d", "doomed")).hasSize(1);
              assertReady("team-d", "doomed");
              assertReady("team-a", "steady");
            });

    simD.close();
    scale("team-a", "steady", 3);
    scale("team-d", "doomed", 2);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> {
              assertThat(ownedIn(simA, "team-a", "steady")).hasSize(3);
              assertReady("team-a", "steady");
              Condition degraded = condition(group("team-d", "doomed"), "Degraded");
              assertThat(degraded.getReason()).isIn("VcenterUnreachable", "VcenterError");
              assertThat(degraded.getMessage()).contains("site-d");
            });
  }

  @Test
  void aRotatedPasswordInTheSecretIsUsedWithoutARestart() {
    Vcsim simR = sim();
    secret("creds-r", PASS);
    vcenter("site-r", simR, "creds-r", AllowedNamespaces.named("team-r"), null);
    create("team-r", "app", 1, null);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(() -> assertThat(ownedIn(simR, "team-r", "app")).hasSize(1));

    String rotated = "rotated-Secret!2";
    simR.setCredentials(USER, rotated);
    simR.terminateSessions();
    scale("team-r", "app", 2);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () ->
                assertThat(condition(group("team-r", "app"), "Degraded").getReason())
                    .isEqualTo("CredentialsRejected"));
    assertThat(ownedIn(simR, "team-r", "app", rotated)).hasSize(1);

    secret("creds-r", rotated);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> {
              assertThat(ownedIn(simR, "team-r", "app", rotated)).hasSize(2);
              assertReady("team-r", "app");
            });
  }

  @Test
  void aRestartedOperatorFindsEveryGroupOnItsVCenterWithoutAFlap() {
    create("team-a", "restart-a", 2, null);
    create("team-b", "restart-b", 2, null);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> {
              assertReady("team-a", "restart-a");
              assertReady("team-b", "restart-b");
            });
    operator.close();
    operator = startOperator();
    // Groups reconcile before the VCenter controller has made its clients again: they wait for
    // them instead of reporting a problem. Checked throughout a fixed period: a condition that
    // holds at some moment would not show that it never broke.
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < until) {
      for (String[] g : new String[][] {{"team-a", "restart-a"}, {"team-b", "restart-b"}}) {
        Condition degraded = condition(group(g[0], g[1]), "Degraded");
        assertThat(degraded.getStatus()).as(degraded.getMessage()).isEqualTo("False");
      }
      Wait.quietPeriod(Duration.ofMillis(100));
    }
    scale("team-a", "restart-a", 3);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> {
              assertThat(ownedIn(simA, "team-a", "restart-a")).hasSize(3);
              assertReady("team-a", "restart-a");
            });
    assertThat(ownedIn(simB, "team-b", "restart-b")).hasSize(2);
  }

  @Test
  void aVCenterInUseIsNotDeletedUntilItsGroupsAreGone() {
    Vcsim simE = sim();
    vcenter("site-e", simE, "creds", AllowedNamespaces.named("team-e"), null);
    create("team-e", "keep", 1, null);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(() -> assertThat(ownedIn(simE, "team-e", "keep")).hasSize(1));
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(() -> assertThat(vcenter("site-e").getStatus().groups).isEqualTo(1));

    kube.resources(VCenter.class).withName("site-e").delete();
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> {
              Condition inUse = condition(vcenter("site-e"), "InUse");
              assertThat(inUse.getReason()).isEqualTo("DeletionBlocked");
              assertThat(inUse.getMessage()).contains("team-e/keep");
            });
    // Fixed on purpose: the VCenter must not go away, so no condition could end the wait.
    Wait.quietPeriod(Duration.ofSeconds(2));
    assertThat(vcenter("site-e")).isNotNull();
    // the group is still managed meanwhile: it scales on the VCenter being deleted
    scale("team-e", "keep", 2);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> {
              assertThat(ownedIn(simE, "team-e", "keep")).hasSize(2);
              assertReady("team-e", "keep");
            });
    assertThat(vcenter("site-e")).isNotNull();

    Groups.in(kube, "team-e").delete("keep");
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () -> {
              assertThat(group("team-e", "keep")).isNull();
              assertThat(folderIn(simE, "team-e", "keep")).isFalse();
              assertThat(vcenter("site-e")).isNull();
            });
  }

  // ---------------------------------------------------------------- helpers

  private Vcsim sim() {
    return sim(Vcsim.builder().credentials(USER, PASS));
  }

  private Vcsim sim(VcsimBuilder builder) {
    Vcsim sim = builder.start();
    closing.add(sim);
    return sim;
  }

  private VsphereClient client(Vcsim sim, String password) {
    return SoapVsphereClient.builder(sim.url())
        .credentials(new Credentials(USER, password))
        .tls(TlsTrust.system())
        .build();
  }

  /** The group's VMs carrying the operator's marker, as the simulator has them now. */
  private List<VmInfo> ownedIn(Vcsim sim, String ns, String group) {
    return ownedIn(sim, ns, group, PASS);
  }

  private List<VmInfo> ownedIn(Vcsim sim, String ns, String group, String password) {
    return ownedAt(sim, Folders.path(ns, group), password);
  }

  private List<VmInfo> ownedAt(Vcsim sim, String folderPath) {
    return ownedAt(sim, folderPath, PASS);
  }

  private List<VmInfo> ownedAt(Vcsim sim, String folderPath, String password) {
    try (VsphereClient c = client(sim, password)) {
      return Folders.vmsAt(c, folderPath).stream().filter(Folders::owned).toList();
    }
  }

  private boolean folderIn(Vcsim sim, String ns, String group) {
    try (VsphereClient c = client(sim, PASS)) {
      return c.findByInventoryPath(Folders.path(ns, group)).isPresent();
    }
  }

  private void namespace(String name, Map<String, String> labels) {
    Groups.in(kube, name).createNamespace(labels);
  }

  private void secret(String name, String password) {
    Map<String, String> data = new java.util.HashMap<>();
    data.put("username", Base64.getEncoder().encodeToString(USER.getBytes()));
    data.put("password", Base64.getEncoder().encodeToString(password.getBytes()));
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

  private void vcenter(
      String name, Vcsim sim, String secret, AllowedNamespaces allowed, VCenterQuota quota) {
    VCenterSpec spec = new VCenterSpec(sim.url().toString(), secret, null);
    spec.allowedNamespaces = allowed;
    spec.quota = quota;
    kube.resource(new VCenter(name, spec)).create();
  }

  private VCenter vcenter(String name) {
    return kube.resources(VCenter.class).withName(name).get();
  }

  /** Like `kubectl edit` then `kubectl wait` for the VCenter controller to have seen the edit. */
  private void editVcenter(String name, Consumer<VCenter> change) {
    VCenter edited =
        eventually(Wait.PATIENCE, POLL)
            .ignoreExceptions()
            .until(
                () ->
                    kube.resources(VCenter.class)
                        .withName(name)
                        .edit(
                            vc -> {
                              change.accept(vc);
                              return vc;
                            }),
                vc -> vc != null);
    eventually(Wait.PATIENCE, POLL)
        .untilAsserted(
            () ->
                assertThat(vcenter(name).getStatus().observedGeneration)
                    .isEqualTo(edited.getMetadata().getGeneration()));
  }

  private void create(String ns, String name, int replicas, String vcenter) {
    VmGroupSpec spec = new VmGroupSpec(1, 1, replicas, TEMPLATE);
    spec.setVcenter(vcenter);
    Groups.in(kube, ns).create(name, spec);
  }

  private VmGroup group(String ns, String name) {
    return Groups.in(kube, ns).get(name);
  }

  private void editGroup(String ns, String name, Consumer<VmGroup> change) {
    Groups.in(kube, ns).update(name, change);
  }

  private void scale(String ns, String name, int replicas) {
    Groups.in(kube, ns).scale(name, replicas);
  }

  private void assertReady(String ns, String name) {
    VmGroup g = group(ns, name);
    Condition ready = condition(g, "Ready");
    assertThat(ready.getStatus()).as(ns + "/" + name + ": " + ready.getMessage()).isEqualTo("True");
    assertThat(g.getStatus().getReadyReplicas()).isEqualTo(g.getSpec().getReplicas());
  }

  private void assertDegraded(String ns, String name, String reason, String... mentions) {
    Condition degraded = condition(group(ns, name), "Degraded");
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo(reason);
    assertThat(degraded.getMessage()).contains(mentions);
  }

  private static Condition condition(VmGroup g, String type) {
    assertThat(g).isNotNull();
    assertThat(g.getStatus()).as("status of " + g.getMetadata().getName()).isNotNull();
    return g.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " condition: " + g.getStatus()));
  }

  private static Condition condition(VCenter vc, String type) {
    assertThat(vc).isNotNull();
    assertThat(vc.getStatus()).isNotNull();
    return vc.getStatus().conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " condition: " + vc.getStatus()));
  }
}
