package com.codeconnect.vmgroup.faults;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.app.OperatorRuntime;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.decision.Naming;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import com.codeconnect.vmgroup.demo.EmbeddedKubernetes;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.demo.VcsimBuilder;
import com.codeconnect.vmgroup.testing.Closing;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.testing.Groups;
import com.codeconnect.vmgroup.testing.Wait;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.soap.SoapVsphereClient;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A simulator (optionally behind a {@link TcpProxy}), Fabric8's mock API server and the operator in
 * this JVM, started once per class. Assertions read vCenter through {@link #observer}, a session of
 * the test's own that never goes through the proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FaultFixture {
  static final String ROOT = Folders.ROOT;
  static final String TEMPLATE = Folders.TEMPLATE;

  /**
   * How long a condition may take here: longer than {@link Wait#PATIENCE}, as tasks take time, the
   * resync is the production one and the operator is recovering from a fault.
   */
  static final Duration PATIENCE = Duration.ofSeconds(90);

  static final Credentials CREDENTIALS =
      new Credentials("administrator@vsphere.local", "faults-password");

  protected Vcsim sim;
  protected TcpProxy proxy;
  protected EmbeddedKubernetes api;
  protected KubernetesClient kube;
  protected Groups groups;
  protected SoapVsphereClient operatorClient;
  protected SoapVsphereClient observer;
  protected OperatorRuntime operator;

  /** Every VM before the test: none of them is the operator's, all must stay as they are. */
  protected List<VmInfo> before;

  protected final String namespace =
      getClass().getSimpleName().toLowerCase().replace("it", "") + "-ns";

  /** Tasks take time, as in vCenter, so faults can land while they run. */
  protected VcsimBuilder simulator() {
    return Vcsim.builder()
        .cloneDelay(Duration.ofMillis(300))
        .powerDelay(Duration.ofMillis(100))
        .reconfigureDelay(Duration.ofMillis(50))
        .destroyDelay(Duration.ofMillis(100))
        .taskJitter(0.3);
  }

  /** The production defaults, so no fault is hidden by a test-only short resync. */
  protected OperatorSettings settings() {
    return OperatorSettings.defaults();
  }

  /** True to put a {@link TcpProxy} between the operator and the simulator. */
  protected boolean throughProxy() {
    return false;
  }

  /** The operator's --vc-timeout. */
  protected Duration vcenterTimeout() {
    return Duration.ofSeconds(60);
  }

  @BeforeAll
  void startAll() {
    sim = simulator().start();
    if (throughProxy()) {
      proxy = TcpProxy.start(sim.url().getPort());
    }
    api = EmbeddedKubernetes.start();
    kube = api.client();
    EmbeddedKubernetes.installCrd(kube);
    // two people edit the same groups in ConflictingEditsIT: more tries than by default
    groups = Groups.in(kube, namespace).triesOnConflict(20).createNamespace();
    observer = client(sim.url(), Duration.ofSeconds(60));
    before = VcenterAudit.snapshot(observer).vms();
    startOperator();
  }

  /** Starts the operator with a new vCenter session (the first time, or after a stop). */
  protected void startOperator() {
    operatorClient = client(proxy != null ? proxy.sdkUrl() : sim.url(), vcenterTimeout());
    operator = OperatorRuntime.start(kube, operatorClient, settings());
  }

  /** Stops the operator as a SIGTERM would: no new reconciles, a logout. */
  protected void stopOperator() {
    Closing.all(operator, operatorClient);
  }

  @AfterAll
  void stopAll() {
    if (sim != null && !sim.output().isBlank()) {
      // Panics and log lines of the simulator explain many a failure.
      System.out.println("simulator output:\n" + sim.output());
    }
    Closing.all(operator, operatorClient, observer, proxy, api, sim);
  }

  protected static SoapVsphereClient client(URI url, Duration timeout) {
    return SoapVsphereClient.builder(url).credentials(CREDENTIALS).timeout(timeout).build();
  }

  /**
   * Kills the simulator and starts a new one with an empty inventory (default VMs and the template
   * only) at the same address, as when vCenter crashes and is restored from an old backup.
   */
  protected void restartSimulator() {
    int port = sim.url().getPort();
    System.out.println("simulator output before the restart:\n" + sim.output());
    sim.kill();
    sim = simulator().port(port).start();
  }

  // ---------------------------------------------------------------- Kubernetes side

  protected VmGroup create(String name, int cpu, int memory, int replicas) {
    return groups.create(name, cpu, memory, replicas, TEMPLATE);
  }

  protected VmGroup get(String name) {
    return groups.get(name);
  }

  /** Like `kubectl edit`: read, change, write; a conflict with the operator's write is retried. */
  protected void edit(String name, Consumer<VmGroupSpec> change) {
    groups.edit(name, change);
  }

  protected void delete(String name) {
    groups.delete(name);
  }

  protected Condition condition(String group, String type) {
    VmGroup g = get(group);
    return g == null || g.getStatus() == null
        ? null
        : StatusBuilder.find(g.getStatus().getConditions(), type);
  }

  protected boolean isTrue(String group, String type) {
    Condition c = condition(group, type);
    return c != null && "True".equals(c.getStatus());
  }

  protected List<Event> events(String group) {
    return kube.resources(Event.class).inNamespace(namespace).list().getItems().stream()
        .filter(e -> e.getRegarding() != null && group.equals(e.getRegarding().getName()))
        .toList();
  }

  // ---------------------------------------------------------------- vCenter side

  protected String folderPath(String group) {
    return Folders.path(namespace, group);
  }

  protected Optional<MoRef> folder(String group) {
    return observer.findByInventoryPath(folderPath(group));
  }

  /** The VMs in a group's folder as vCenter has them now (owned or not). */
  protected List<VmInfo> vmsOf(String group) {
    return Folders.vmsOf(observer, namespace, group);
  }

  /** The group's VMs that are powered on with the declared size, as vCenter has them now. */
  protected List<VmInfo> ready(String group, int cpu, int memoryGiB) {
    return vmsOf(group).stream()
        .filter(Folders::owned)
        .filter(vm -> vm.powerState() == PowerState.POWERED_ON)
        .filter(vm -> vm.cpu() == cpu && vm.memoryMiB() == memoryGiB * 1024L)
        .toList();
  }

  /**
   * Waits until vCenter holds exactly the group's replicas, ready, each under a name of the group's
   * pattern. Usually that is indexes 0..n-1, but not always: a VM half-way through its removal
   * (powered off, not yet destroyed) when the spec grows again is kept and repaired, while a lower
   * index may already be gone, and nothing renames VMs afterwards.
   */
  protected void awaitConverged(String group) {
    eventually(PATIENCE)
        .untilAsserted(
            () -> {
              VmGroup g = get(group);
              VmGroupSpec s = g.getSpec();
              List<VmInfo> owned = vmsOf(group).stream().filter(Folders::owned).toList();
              List<String> names = owned.stream().map(VmInfo::name).toList();
              assertThat(names)
                  .as("%s in vCenter (status: %s)", group, g.getStatus())
                  .hasSize(s.getReplicas())
                  .doesNotHaveDuplicates()
                  .allSatisfy(n -> assertThat(Naming.indexOf(group, n)).isPresent());
              assertThat(ready(group, s.getCpu(), (int) (s.memoryMiB() / 1024)))
                  .hasSize(s.getReplicas());
            });
  }

  /** Audits vCenter against the live groups; {@code also} are VMs the test itself added. */
  protected VcenterAudit.Result audit(Set<MoRef> also) {
    List<VcenterAudit.Group> live = new ArrayList<>();
    for (VmGroup g : groups.list()) {
      if (g.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      live.add(
          new VcenterAudit.Group(
              g.getMetadata().getUid(),
              Naming.folderName(namespace, g.getMetadata().getName()),
              g.getSpec().getReplicas(),
              g.getSpec().getCpu(),
              g.getSpec().memoryMiB()));
    }
    return VcenterAudit.audit(VcenterAudit.snapshot(observer), before, ROOT, live, also);
  }

  protected VcenterAudit.Result audit() {
    return audit(Set.of());
  }

  /** Clones the template as someone other than the operator would: no markers. */
  protected VmInfo foreignClone(MoRef folder, String name) {
    MoRef template = observer.findByInventoryPath("/DC0/vm/" + TEMPLATE).orElseThrow();
    NamedRef dc = observer.datacenters().get(0);
    MoRef pool = observer.findByInventoryPath("/DC0/host/DC0_C0/Resources").orElseThrow();
    assertThat(dc.name()).isEqualTo("DC0");
    TaskInfo done =
        finish(
            observer.cloneVm(
                new CloneRequest(template, folder, pool, null, name, 1, 32, Map.of())));
    assertThat(done.state()).as("foreign clone %s", name).isEqualTo(TaskInfo.State.SUCCESS);
    return eventually(PATIENCE)
        .until(
            () ->
                observer.vmsInFolder(folder).stream()
                    .filter(vm -> vm.name().equals(name))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  /** The operator's root folder, created here if the operator hasn't yet. */
  protected MoRef root() {
    return observer
        .findByInventoryPath(ROOT)
        .orElseGet(
            () -> {
              MoRef vmFolder = observer.datacenter(observer.datacenters().get(0).ref()).vmFolder();
              try {
                return observer.createFolder(vmFolder, ROOT.substring(ROOT.lastIndexOf('/') + 1));
              } catch (VsphereException.DuplicateName raced) {
                return observer.findByInventoryPath(ROOT).orElseThrow();
              }
            });
  }

  protected TaskInfo finish(TaskRef task) {
    return eventually(PATIENCE).until(() -> observer.tasks(List.of(task)).get(0), TaskInfo::done);
  }

  protected static Set<MoRef> refs(List<VmInfo> vms) {
    Set<MoRef> refs = new HashSet<>();
    vms.forEach(vm -> refs.add(vm.ref()));
    return refs;
  }

  protected static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
