package com.codeconnect.vmgroup.bench;

import com.codeconnect.vmgroup.api.v1alpha1.HealthCheckSpec;
import com.codeconnect.vmgroup.api.v1alpha1.ReadinessSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.demo.GuestEdit;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.vsphere.Heartbeat;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Detection-to-replacement latency of healing: a group with heartbeat readiness and a healthCheck
 * runs on the simulator; round by round one VM's heartbeat turns red through the launcher's control
 * endpoint, and the test's own vCenter session watches (every 20 ms) for the operator's first step
 * of the replacement, the VM's power-off. Latency = (red to power-off) - unhealthyAfter: the change
 * feed's delivery, the reconcile that notices the limit passed, and the power-off task. Target:
 * within 2 s. A benchmark, not a test: it prints figures and asserts nothing.
 */
@Command(
    name = "healing-latency",
    mixinStandardHelpOptions = true,
    description = "How soon after unhealthyAfter a VM whose heartbeat went red is being replaced")
public final class HealingLatency implements Callable<Integer> {
  static final double TARGET_SECONDS = 2.0;
  static final String GROUP = "heal";

  @Option(
      names = "--scenarios",
      defaultValue = "healing",
      description = "only healing: how scripts/bench.sh chooses this program")
  String scenarios;

  @Option(names = "--replicas", defaultValue = "4", description = "VMs in the group")
  int replicas;

  @Option(names = "--rounds", defaultValue = "5", description = "VMs turned unhealthy, one by one")
  int rounds;

  @Option(
      names = "--unhealthy-after",
      defaultValue = "10",
      description = "healthCheck.unhealthyAfter in seconds (at least 10)")
  int unhealthyAfterSeconds;

  @Option(names = "--timeout", defaultValue = "300", description = "seconds allowed per wait")
  int timeoutSeconds;

  @Option(
      names = "--vcsim",
      defaultValue = "${sys:vcsim.binary:-target/vcsim/vcsim}",
      description = "the simulator launcher")
  Path vcsim;

  private final PrintStream out;
  private final PrintStream log;

  HealingLatency(PrintStream out, PrintStream log) {
    this.out = out;
    this.log = log;
  }

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  public static int run(PrintStream out, PrintStream log, String... args) {
    return new CommandLine(new HealingLatency(out, log)).setUsageHelpWidth(100).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    if (!"healing".equals(scenarios)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--scenarios healing runs alone, not with " + scenarios);
    }
    System.setProperty("vcsim.binary", vcsim.toString());
    Report report = new Report();
    List<Double> latencies = new ArrayList<>();
    try (Benchmark.Env env =
        Benchmark.Env.start(
            Vcsim.builder()
                .guestDelay(Duration.ofSeconds(1))
                .cloneDelay(Duration.ofMillis(300))
                .powerDelay(Duration.ofMillis(100)),
            OperatorSettings.defaults(),
            log)) {
      VmGroupSpec spec = new VmGroupSpec(1, 1, replicas, Benchmark.TEMPLATE);
      spec.setReadiness(new ReadinessSpec(ReadinessSpec.Mode.guestHeartbeat));
      spec.setHealthCheck(
          new HealthCheckSpec(
              unhealthyAfterSeconds + "s", "120s", new IntOrString(Math.max(1, replicas))));
      env.create(GROUP, spec);
      awaitReady(env);
      for (int round = 0; round < rounds; round++) {
        List<VmInfo> vms = env.ownedVms(GROUP);
        MoRef victim = vms.get(round % vms.size()).ref();
        long red = System.nanoTime();
        env.sim.setGuest(victim.value(), GuestEdit.of().heartbeat(Heartbeat.RED));
        long down = awaitPowerOff(env, victim);
        double latency = (down - red) / 1e9 - unhealthyAfterSeconds;
        latencies.add(latency);
        log.printf(
            "[healing] round %d: %s replaced %.2f s after unhealthyAfter%n",
            round, victim, latency);
        awaitReady(env);
      }
    }
    double p50 = percentile(latencies, 0.5);
    double max = latencies.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    report.figure("healing_latency_p50_seconds", p50);
    report.figure("healing_latency_max_seconds", max);
    report.figure("healing_rounds", latencies.size());
    report.row(
        "healing",
        "red heartbeat: replacement starts after unhealthyAfter (max of " + latencies.size() + ")",
        Report.fmt(max) + " s",
        "<= " + Report.fmt(TARGET_SECONDS) + " s",
        Report.verdict(max <= TARGET_SECONDS));
    report.print(out);
    return report.hasNaN() ? 1 : 0;
  }

  private void awaitReady(Benchmark.Env env) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      VmGroup g =
          env.kube
              .client()
              .resources(VmGroup.class)
              .inNamespace(Benchmark.NAMESPACE)
              .withName(GROUP)
              .get();
      boolean ready =
          g != null
              && g.getStatus() != null
              && Integer.valueOf(replicas).equals(g.getStatus().getReadyReplicas())
              && env.ownedVms(GROUP).stream()
                      .filter(vm -> vm.powerState() == PowerState.POWERED_ON)
                      .count()
                  == replicas;
      if (ready) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "group " + GROUP + " not ready within " + timeoutSeconds + " s");
  }

  /** When the VM was first seen powered off or gone, by the observer session. */
  private long awaitPowerOff(Benchmark.Env env, MoRef vm) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      Optional<VmInfo> now =
          env.ownedVms(GROUP).stream().filter(v -> v.ref().equals(vm)).findFirst();
      if (now.isEmpty() || now.get().powerState() != PowerState.POWERED_ON) {
        return System.nanoTime();
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(vm + " not replaced within " + timeoutSeconds + " s");
  }

  static double percentile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
  }
}
