package com.codeconnect.vmgroup.it;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.app.OperatorRuntime;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.demo.VcsimBuilder;
import com.codeconnect.vmgroup.testing.Closing;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.testing.Groups;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.TlsChoice;
import com.codeconnect.vmgroup.vsphere.VcenterConnection;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.soap.SoapClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A simulator, an API server and the operator, started once per test class. Assertions look at
 * vCenter through a second client of their own ({@link #observer}), never at the operator's status
 * alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OperatorFixture {
  static final String ROOT = Folders.ROOT;
  static final String TEMPLATE = Folders.TEMPLATE;

  protected Vcsim sim;
  protected ApiServer api;
  protected KubernetesClient kube;
  protected Groups groups;
  protected VsphereClient operatorClient;
  protected VsphereClient observer;
  protected OperatorRuntime operator;
  protected final String namespace =
      getClass().getSimpleName().toLowerCase().replace("it", "") + "-ns";

  /** The API server this class runs against. */
  protected abstract ApiServer startApiServer();

  protected OperatorSettings settings() {
    return OperatorSettings.defaults().withResyncInterval(Duration.ofSeconds(1));
  }

  protected VcsimBuilder simulator() {
    return Vcsim.builder();
  }

  @BeforeAll
  void startAll() {
    sim = simulator().start();
    api = startApiServer();
    kube = api.client();
    groups = Groups.in(kube, namespace).createNamespace();
    operatorClient = client(operatorCredentials());
    observer = client(() -> observerCredentials);
    operator = startOperator();
  }

  /** The operator as this class runs it: by default the seed's setup, one vCenter from settings. */
  protected OperatorRuntime startOperator() {
    return OperatorRuntime.start(kube, operatorClient, settings());
  }

  @AfterAll
  void stopAll() {
    Closing.all(operator, operatorClient, observer, api, sim);
  }

  /** What the test's own vCenter session logs in with; tests that rotate passwords change it. */
  protected volatile Credentials observerCredentials =
      new Credentials("administrator@vsphere.local", "it-password");

  /** What the operator logs in with. */
  protected Supplier<Credentials> operatorCredentials() {
    Credentials fixed = new Credentials("administrator@vsphere.local", "it-password");
    return () -> fixed;
  }

  /** How long one vCenter call (SOAP or REST) of the operator's and the test's clients may take. */
  protected Duration callTimeout() {
    return VcenterConnection.DEFAULT_TIMEOUT;
  }

  /** A SOAP client with its REST sibling, as the operator's factory makes them. */
  protected VsphereClient client(Supplier<Credentials> credentials) {
    return new SoapClients()
        .connect(
            new VcenterConnection(
                sim.url(),
                credentials,
                new TlsChoice.SystemTrustStore(),
                callTimeout(),
                VcenterConnection.DEFAULT_KEEP_ALIVE));
  }

  protected VmGroup create(String name, int cpu, int memory, int replicas, String template) {
    return groups.create(name, cpu, memory, replicas, template);
  }

  protected VmGroup get(String name) {
    return groups.get(name);
  }

  /** Like `kubectl edit`: read, change, write; a conflict with the operator's write is retried. */
  protected void edit(String name, Consumer<VmGroupSpec> change) {
    groups.edit(name, change);
  }

  /** `kubectl scale`: the scale subresource where the API server has one, else spec.replicas. */
  protected void scale(String name, int replicas) {
    if (api.hasScaleSubresource()) {
      kube.resources(VmGroup.class).inNamespace(namespace).withName(name).scale(replicas);
    } else {
      groups.scale(name, replicas);
    }
  }

  protected String folderPath(String group) {
    return Folders.path(namespace, group);
  }

  /** The VMs in a group's folder as vCenter has them now (owned or not). */
  protected List<VmInfo> vmsOf(String group) {
    return Folders.vmsOf(observer, namespace, group);
  }

  /** Instance UUID by name of the group's own VMs: tells resized VMs from replacements. */
  protected Map<String, String> uuids(String group) {
    return vmsOf(group).stream()
        .filter(Folders::owned)
        .collect(Collectors.toMap(VmInfo::name, VmInfo::instanceUuid));
  }

  /** The VMs in the folder at this inventory path; none when there is no such folder. */
  protected List<VmInfo> vmsAt(String folderPath) {
    return Folders.vmsAt(observer, folderPath);
  }

  protected Optional<MoRef> folder(String group) {
    return observer.findByInventoryPath(folderPath(group));
  }

  /** Every VM in the inventory: to prove that nothing else was touched. */
  protected List<VmInfo> allVms() {
    List<VmInfo> all = new ArrayList<>();
    for (NamedRef dc : observer.datacenters()) {
      collect(observer.datacenter(dc.ref()).vmFolder(), all);
    }
    return all;
  }

  private void collect(MoRef folder, List<VmInfo> into) {
    into.addAll(observer.vmsInFolder(folder));
    for (NamedRef child : observer.childFolders(folder)) {
      collect(child.ref(), into);
    }
  }
}
