package com.codeconnect.vmgroup;

import com.codeconnect.vmgroup.api.v1alpha1.VCenter;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.app.OperatorRuntime;
import com.codeconnect.vmgroup.config.ConfigException;
import com.codeconnect.vmgroup.config.OperatorOptions;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.config.VcenterOptions;
import com.codeconnect.vmgroup.controller.vcenter.VCenterSettings;
import com.codeconnect.vmgroup.demo.DemoCommand;
import com.codeconnect.vmgroup.observability.HealthServer;
import com.codeconnect.vmgroup.observability.VcenterMetrics;
import com.codeconnect.vmgroup.vsphere.AboutInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.soap.SoapClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the operator against the cluster of the current kubeconfig (or in-cluster) and vCenter. */
@Command(
    name = "vmgroup-operator",
    mixinStandardHelpOptions = true,
    version = "vmgroup-operator 0.1.0",
    description = "Keeps VmGroup resources and their vSphere VMs in the declared state.",
    subcommands = {DemoCommand.class})
public final class Main implements Callable<Integer> {
  /**
   * Below two processors (a pod limited to one CPU, a 2-core machine) the common ForkJoinPool has
   * parallelism 1, and CompletableFuture then runs every async step on a new thread. The JDK's
   * HttpClient, which both the SOAP client and the Kubernetes client use, completes each call with
   * such a step: a 1,000-VM burst started over 15,000 threads. Two workers are plenty for those
   * steps. Set before anything touches CompletableFuture, hence first in this class; an explicit -D
   * on the command line wins.
   */
  static final String COMMON_POOL_PARALLELISM =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  static {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null
        && Runtime.getRuntime().availableProcessors() < 3) {
      System.setProperty(COMMON_POOL_PARALLELISM, "2");
    }
  }

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Mixin VcenterOptions vcenter = new VcenterOptions();
  @Mixin OperatorOptions operator = new OperatorOptions();

  @picocli.CommandLine.Option(
      names = "--health-port",
      defaultValue = "${env:HEALTH_PORT:-8080}",
      description =
          "Port of /healthz, /readyz and /metrics (0: any free port, -1: off). Env: HEALTH_PORT."
              + " Default: ${DEFAULT-VALUE}")
  int healthPort;

  @picocli.CommandLine.Option(
      names = "--vcenter-resources",
      defaultValue = "${env:VCENTER_RESOURCES:-false}",
      description =
          "Handle VCenter resources (needs their CRD, the RBAC of deploy/vcenters and"
              + " POD_NAMESPACE). Env: VCENTER_RESOURCES. Default: ${DEFAULT-VALUE}")
  boolean vcenterResources;

  @picocli.CommandLine.Option(
      names = "--operator-namespace",
      defaultValue = "${env:POD_NAMESPACE}",
      description =
          "The operator's namespace: VCenter resources' Secrets and ConfigMaps are read there."
              + " Env: POD_NAMESPACE")
  String operatorNamespace;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this instead of main). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main()).setUsageHelpWidth(100);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ConfigException) {
            commandLine.getErr().println("error: " + e.getMessage());
            return 2;
          }
          throw e;
        });
    return cli.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    checkLogFormat(System.getenv("LOG_FORMAT"));
    OperatorSettings settings = operator.toSettings();
    if (vcenterResources && (operatorNamespace == null || operatorNamespace.isBlank())) {
      throw new ConfigException(
          "POD_NAMESPACE (--operator-namespace)", "is required with VCENTER_RESOURCES");
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // With VCenter resources, the operator's own vCenter is optional: groups then need a VCenter.
    VsphereClient client =
        vcenterResources && !vcenter.configured()
            ? null
            : new SoapClients(new VcenterMetrics(registry)).connect(vcenter.connection());
    AtomicReference<OperatorRuntime> running = new AtomicReference<>();
    // Started first, so liveness answers while the caches sync.
    HealthServer health =
        healthPort < 0
            ? null
            : HealthServer.start(
                healthPort,
                () -> running.get() != null && running.get().notReadyReason() == null,
                () ->
                    running.get() == null
                        ? "starting"
                        : String.valueOf(running.get().notReadyReason()),
                registry);
    if (client != null) {
      checkVcenter(client);
    }
    KubernetesClient kube = new KubernetesClientBuilder().build();
    OperatorRuntime runtime =
        OperatorRuntime.start(kube, client, settings, registry, vcenterResources(kube));
    running.set(runtime);
    log.info(
        "operator started: vCenter {}, namespaces {}",
        client == null ? "none of its own (VCenter resources only)" : vcenter.sdkUrl(),
        settings.namespaces().isEmpty() ? "all" : settings.namespaces());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping: no new reconciles; vCenter tasks keep running");
                  runtime.close();
                  if (client != null) {
                    client.close();
                  }
                  if (health != null) {
                    health.close();
                  }
                  kube.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * logback picks its appender by including logback-$LOG_FORMAT.xml; with any other value there is
   * no appender and the operator would run without a single log line.
   */
  static void checkLogFormat(String value) {
    if (value != null && !value.isBlank() && !value.equals("text") && !value.equals("json")) {
      throw new ConfigException("LOG_FORMAT", "must be text or json");
    }
  }

  /**
   * The VCenter controller's settings, or null when it is off. It is opt-in: its informers need
   * RBAC the default install doesn't grant (Secrets in the operator's namespace), and the seed's
   * setup (one vCenter from the environment) must keep working exactly as it did.
   */
  private VCenterSettings vcenterResources(KubernetesClient kube) {
    if (!vcenterResources) {
      return null;
    }
    if (!kube.supports(VCenter.class)) {
      throw new ConfigException(
          "VCENTER_RESOURCES (--vcenter-resources)",
          "needs the VCenter CRD (deploy/crd/vcenters." + VmGroup.GROUP + "-v1.yml)");
    }
    return VCenterSettings.defaults(operatorNamespace.trim());
  }

  /**
   * Logs what vCenter says about itself, so a wrong host or certificate shows up at start. The
   * operator keeps running either way: groups report the problem in their conditions and it
   * recovers once vCenter does.
   */
  private static void checkVcenter(VsphereClient client) {
    try {
      AboutInfo about = client.about();
      log.info("vCenter: {} (API {})", about.fullName(), about.apiVersion());
    } catch (VsphereException e) {
      log.warn("vCenter not usable yet: {}", e.getMessage());
    }
  }
}
