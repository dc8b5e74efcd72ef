package com.codeconnect.vmgroup.demo;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupStatus;
import com.codeconnect.vmgroup.app.OperatorRuntime;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.TlsChoice;
import com.codeconnect.vmgroup.vsphere.VcenterConnection;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.soap.SoapClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The seed's walkthrough, played against the simulator and (when no cluster is configured) an
 * embedded API server: create the three samples, see vg-2 fail on its template, fix it, scale,
 * delete everything. Prints the `kubectl get vg` table and the vCenter folders after each step.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Plays the seed's walkthrough against the vCenter simulator and an embedded Kubernetes"
            + " API (or the cluster of the current kubeconfig).")
public final class DemoCommand implements Callable<Integer> {
  static final String FIXED_TEMPLATE = "vm-operator-template";
  private static final Credentials DEMO_CREDENTIALS =
      new Credentials("administrator@vsphere.local", "demo-password");

  @Option(
      names = "--vcsim",
      defaultValue = "${env:VCSIM_BINARY:-target/vcsim/vcsim}",
      description =
          "Simulator launcher (scripts/build-vcsim.sh builds it). Default: ${DEFAULT-VALUE}")
  Path vcsim;

  @Option(
      names = "--api",
      defaultValue = "auto",
      description =
          "Kubernetes API: embedded, cluster (current kubeconfig or in-cluster), or auto (cluster"
              + " when one is configured). Default: ${DEFAULT-VALUE}")
  String api;

  @Option(
      names = "--namespace",
      defaultValue = "default",
      description = "Namespace for the samples. Default: ${DEFAULT-VALUE}")
  String namespace;

  @Option(
      names = "--step-timeout",
      defaultValue = "120",
      description = "Seconds to wait for each step to converge. Default: ${DEFAULT-VALUE}")
  int stepTimeoutSeconds;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    System.setProperty("vcsim.binary", vcsim.toString());
    boolean embedded = useEmbedded();
    section("starting the vCenter simulator (govmomi vcsim, TLS with its own CA)");
    try (Vcsim sim = Vcsim.builder().tls(true).start();
        EmbeddedKubernetes mock = embedded ? EmbeddedKubernetes.start() : null;
        KubernetesClient kube = embedded ? mock.client() : new KubernetesClientBuilder().build();
        VsphereClient vc =
            new SoapClients()
                .connect(
                    new VcenterConnection(
                        sim.url(),
                        () -> DEMO_CREDENTIALS,
                        TlsChoice.CaBundle.file(sim.certificate()),
                        VcenterConnection.DEFAULT_TIMEOUT,
                        VcenterConnection.DEFAULT_KEEP_ALIVE))) {
      out.println("vCenter " + sim.url() + ": " + vc.about().fullName());
      out.println(
          "Kubernetes API: "
              + (embedded ? "embedded (Fabric8 mock server, CRUD mode)" : "current cluster")
              + " at "
              + kube.getMasterUrl());

      section("$ kubectl create -f deploy/crd/vmgroups.vm.codeconnect.vmworld.com-v1.yml");
      EmbeddedKubernetes.installCrd(kube);
      out.println(
          "customresourcedefinition.apiextensions.k8s.io/vmgroups.vm.codeconnect.vmworld.com created");
      section("$ kubectl get vg");
      if (groups(kube).isEmpty()) {
        out.println("No resources found in " + namespace + " namespace.");
      }

      OperatorSettings settings =
          OperatorSettings.defaults().withResyncInterval(Duration.ofSeconds(5));
      try (OperatorRuntime operator = OperatorRuntime.start(kube, vc, settings)) {
        String root = "/DC0/vm/" + settings.rootFolder();
        boolean ok =
            step(
                    kube,
                    vc,
                    root,
                    "$ kubectl create -f deploy/samples/  (vg-1, vg-2 with template doesNotExist, vg-3)",
                    () -> {
                      for (String name : List.of("vg-1", "vg-2", "vg-3")) {
                        kube.resource(sample(name)).inNamespace(namespace).create();
                      }
                    },
                    gs ->
                        running(gs, "vg-1")
                            && running(gs, "vg-3")
                            && phase(gs, "vg-2", VmGroupStatus.PHASE_ERROR))
                && step(
                    kube,
                    vc,
                    root,
                    "$ kubectl patch vg vg-2 --type merge -p '{\"spec\":{\"template\":\""
                        + FIXED_TEMPLATE
                        + "\"}}'",
                    () -> edit(kube, "vg-2", g -> g.getSpec().setTemplate(FIXED_TEMPLATE)),
                    gs -> running(gs, "vg-1") && running(gs, "vg-2") && running(gs, "vg-3"))
                && step(
                    kube,
                    vc,
                    root,
                    "$ kubectl scale vg vg-1 --replicas 5",
                    () -> edit(kube, "vg-1", g -> g.getSpec().setReplicas(5)),
                    gs -> running(gs, "vg-1") && current(gs, "vg-1") == 5)
                && step(
                    kube,
                    vc,
                    root,
                    "$ kubectl patch vg vg-1 --type merge -p '{\"spec\":{\"replicas\":2}}'",
                    () -> edit(kube, "vg-1", g -> g.getSpec().setReplicas(2)),
                    gs -> running(gs, "vg-1") && current(gs, "vg-1") == 2)
                && step(
                    kube,
                    vc,
                    root,
                    "$ kubectl apply -f deploy/samples/vg-web-userdata-secret.yaml -f"
                        + " deploy/samples/vg-web.yaml  (cloud-init from a Secret, two networks,"
                        + " static addresses, a 40 GiB boot disk and a data disk)",
                    () -> {
                      kube.resource(sampleSecret("vg-web-userdata-secret"))
                          .inNamespace(namespace)
                          .create();
                      kube.resource(sample("vg-web")).inNamespace(namespace).create();
                    },
                    gs -> running(gs, "vg-web"))
                && showDevices(vc, root + "/" + namespace + "-vg-web")
                && step(
                    kube,
                    vc,
                    root,
                    "$ kubectl delete vg --all -A",
                    () -> kube.resources(VmGroup.class).inAnyNamespace().delete(),
                    List::isEmpty);
        section(
            ok ? "demo finished: every step converged" : "demo FAILED: a step did not converge");
        return ok ? 0 : 1;
      }
    }
  }

  private boolean useEmbedded() {
    return switch (api) {
      case "embedded" -> true;
      case "cluster" -> false;
      case "auto" ->
          System.getenv("KUBECONFIG") == null
              && System.getenv("KUBERNETES_SERVICE_HOST") == null
              && !Files.exists(Path.of(System.getProperty("user.home"), ".kube", "config"));
      default ->
          throw new picocli.CommandLine.ParameterException(
              new picocli.CommandLine(this), "--api must be embedded, cluster or auto");
    };
  }

  private boolean step(
      KubernetesClient kube,
      VsphereClient vc,
      String root,
      String title,
      Runnable action,
      Predicate<List<VmGroup>> done)
      throws InterruptedException {
    section(title);
    Instant start = Instant.now();
    action.run();
    Instant deadline = start.plusSeconds(stepTimeoutSeconds);
    List<VmGroup> groups = groups(kube);
    while (!done.test(groups) && Instant.now().isBefore(deadline)) {
      Thread.sleep(250);
      groups = groups(kube);
    }
    boolean converged = done.test(groups);
    out.printf(
        "%s after %.1f s%n%n",
        converged ? "converged" : "NOT converged",
        Duration.between(start, Instant.now()).toMillis() / 1000.0);
    out.println("$ kubectl get vg -A");
    out.print(groups.isEmpty() ? "No resources found\n" : Tables.vmGroups(groups));
    out.println();
    out.println("vCenter:");
    out.print(Tables.vcenter(vc, root));
    return converged;
  }

  /** What vCenter shows of a group's VMs' networks, addresses and disks. */
  private boolean showDevices(VsphereClient vc, String groupFolderPath) {
    out.println();
    out.println("vCenter, the VMs' devices:");
    out.print(Tables.vmDevices(vc, groupFolderPath));
    return true;
  }

  private List<VmGroup> groups(KubernetesClient kube) {
    return kube.resources(VmGroup.class).inAnyNamespace().list().getItems();
  }

  private void edit(
      KubernetesClient kube, String name, java.util.function.Consumer<VmGroup> change) {
    kube.resources(VmGroup.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            g -> {
              change.accept(g);
              return g;
            });
  }

  private io.fabric8.kubernetes.api.model.Secret sampleSecret(String name) {
    try (InputStream in =
        DemoCommand.class.getClassLoader().getResourceAsStream("samples/" + name + ".yaml")) {
      return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
          in, io.fabric8.kubernetes.api.model.Secret.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private VmGroup sample(String name) {
    try (InputStream in =
        DemoCommand.class.getClassLoader().getResourceAsStream("samples/" + name + ".yaml")) {
      return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(in, VmGroup.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static VmGroup find(List<VmGroup> groups, String name) {
    return groups.stream()
        .filter(g -> g.getMetadata().getName().equals(name))
        .findFirst()
        .orElse(null);
  }

  private static boolean phase(List<VmGroup> groups, String name, String phase) {
    VmGroup g = find(groups, name);
    return g != null && g.getStatus() != null && phase.equals(g.getStatus().getPhase());
  }

  private static boolean running(List<VmGroup> groups, String name) {
    VmGroup g = find(groups, name);
    return phase(groups, name, VmGroupStatus.PHASE_RUNNING)
        && g.getStatus().getObservedGeneration() != null
        && g.getStatus().getObservedGeneration().equals(g.getMetadata().getGeneration())
        && current(groups, name) == g.getSpec().getReplicas();
  }

  private static int current(List<VmGroup> groups, String name) {
    VmGroup g = find(groups, name);
    return g == null || g.getStatus() == null || g.getStatus().getCurrentReplicas() == null
        ? -1
        : g.getStatus().getCurrentReplicas();
  }

  private void section(String title) {
    out.println();
    out.println("=== " + title);
  }
}
