package com.codeconnect.vmgroup.bench;

import com.codeconnect.vmgroup.testing.DeployedJvm;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The scale model (docs/benchmarks.md, "Scale model"): the real operator on the in-memory vCenter
 * at thousands of VMs, its own cost measured apart from the vCenter's and the API server's. The
 * operator and the fake run in a child JVM with the Deployment's JVM options ({@link
 * ScaleOperatorProcess}), the API server (Fabric8's mock, CRUD mode) in this one; the fake accounts
 * the CPU its calls take, and a second child holds the fake alone to weigh its VMs.
 */
@Command(
    name = "bench.sh --scenarios scale-model",
    mixinStandardHelpOptions = true,
    description = "The operator's own CPU, memory and API traffic per VM at fleet sizes")
public final class ScaleModel implements Callable<Integer> {
  static final String SCENARIO = "scale-model";

  @Option(names = "--scenarios", defaultValue = SCENARIO, description = "must be " + SCENARIO)
  String scenarios;

  @Option(
      names = "--sizes",
      defaultValue = "1000,5000,20000",
      split = ",",
      description = "fleet sizes in VMs (default: ${DEFAULT-VALUE})")
  List<Integer> sizes;

  @Option(names = "--group-size", defaultValue = "10", description = "VMs per VmGroup")
  int groupSize;

  @Option(
      names = "--budget",
      defaultValue = "200",
      description =
          "the operator's task budget (its own default is 8: at 20,000 VMs and 2.2 s a clone that"
              + " alone is 92 minutes; default here: ${DEFAULT-VALUE})")
  int budget;

  @Option(
      names = "--rounds",
      defaultValue = "0",
      description =
          "instead of --budget, a budget of ceil(VMs / rounds) at each size, so every size"
              + " converges in the same number of task rounds (each group's work has the same"
              + " shape); 0: --budget at every size")
  int rounds;

  @Option(names = "--clone-ms", defaultValue = "2000", description = "a clone's duration")
  long cloneMs;

  @Option(
      names = "--power-ms",
      defaultValue = "200",
      description = "a power-on's (also power-off's, destroy's) duration; a clone powers on too")
  long powerMs;

  @Option(names = "--reconfigure-ms", defaultValue = "100", description = "a reconfigure's")
  long reconfigureMs;

  @Option(names = "--steady", defaultValue = "60", description = "quiet window in seconds")
  int steadySeconds;

  @Option(
      names = "--settle",
      defaultValue = "6",
      description = "seconds without an API write before the quiet window (Event series: 5 s)")
  int settleSeconds;

  @Option(names = "--resync", defaultValue = "60", description = "the operator's resync, seconds")
  int resyncSeconds;

  @Option(names = "--reconcile-threads", defaultValue = "10", description = "JOSDK's pool")
  int reconcileThreads;

  @Option(
      names = "--warmup",
      defaultValue = "0",
      description = "seconds of warm-up (a fleet of the same shape converged and deleted) first")
  int warmupSeconds;

  @Option(
      names = "--container-memory",
      defaultValue = "384",
      description =
          "the container memory limit in MiB the operator is sized for (its heap is half of it,"
              + " as MaxRAMPercentage=50 makes it; default: ${DEFAULT-VALUE})")
  long containerMiB;

  @Option(
      names = "--jvm-args",
      defaultValue = "",
      description = "the operator process's JVM options instead of the Deployment's")
  String jvmArgs;

  @Option(
      names = "--profile",
      description = "record the operator process with JFR and log where its Java threads were")
  boolean profile;

  @Option(names = "--timeout", defaultValue = "1800", description = "seconds allowed per wait")
  int timeoutSeconds;

  private final PrintStream out;
  private final PrintStream log;
  private final Report report = new Report();

  ScaleModel(PrintStream out, PrintStream log) {
    this.out = out;
    this.log = log;
  }

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  public static int run(PrintStream out, PrintStream log, String... args) {
    return new CommandLine(new ScaleModel(out, log)).setUsageHelpWidth(100).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    if (!scenarios.equals(SCENARIO)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), SCENARIO + " runs alone; the other scenarios are Benchmark's");
    }
    Path dir = Files.createTempDirectory("vmgroup-scale");
    List<String> jvm = jvmOptions();
    log.printf("[scale] logs in %s; operator JVM options %s%n", dir, jvm);
    List<ScaleRun.Result> results = new ArrayList<>();
    boolean failed = false;
    try {
      for (int vms : sizes) {
        ScaleRun.Setup setup =
            new ScaleRun.Setup(
                (vms + groupSize - 1) / groupSize,
                groupSize,
                rounds > 0 ? (vms + rounds - 1) / rounds : budget,
                cloneMs,
                powerMs,
                reconfigureMs,
                resyncSeconds,
                reconcileThreads,
                steadySeconds,
                settleSeconds,
                warmupSeconds,
                timeoutSeconds,
                jvm,
                containerMiB,
                profile,
                dir);
        ScaleRun.Result r = new ScaleRun(setup, log).run();
        results.add(r);
        new ScaleFigures(report, r, containerMiB).add();
      }
    } catch (Exception e) {
      failed = true;
      log.println("scale model aborted: " + e);
      e.printStackTrace(log);
    }
    if (!results.isEmpty()) {
      targets(results);
    }
    report.print(out);
    return failed || report.hasNaN() ? 1 : 0;
  }

  /**
   * The Deployment's JVM options, less its class-data-sharing archive (made for the jar; the child
   * runs from the test classpath, which an archive can't hold), with Main's common-pool setting.
   */
  private List<String> jvmOptions() throws java.io.IOException {
    List<String> jvm = new ArrayList<>();
    if (!jvmArgs.isBlank()) {
      jvm.addAll(Arrays.asList(jvmArgs.trim().split("\\s+")));
    } else {
      DeployedJvm.read(DeployedJvm.DEPLOYMENT).options().stream()
          .filter(o -> !o.startsWith("-XX:SharedArchiveFile="))
          .forEach(jvm::add);
    }
    jvm.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
    jvm.add("-DLOG_LEVEL=WARN");
    return jvm;
  }

  /** The verdicts over all sizes: linear cost, memory at 20,000, a silent steady state. */
  private void targets(List<ScaleRun.Result> results) {
    ScaleRun.Result small = results.get(0);
    ScaleRun.Result large = results.get(results.size() - 1);
    double perVmSmall = small.operatorCpu() / small.setup().vms();
    double perVmLarge = large.operatorCpu() / large.setup().vms();
    double growth = perVmLarge / perVmSmall;
    report.figure("scale_cpu_per_vm_growth", growth);
    report.row(
        "7 targets",
        String.format(
            "operator CPU per VM at %d / at %d VMs", large.setup().vms(), small.setup().vms()),
        Report.fmt(growth),
        "<= 1.3",
        Report.verdict(growth <= 1.3));
    double rss = ScaleFigures.operatorRssMiB(large);
    report.row(
        "7 targets",
        String.format(
            "operator RSS at %d VMs (process RSS less the fake's heap), container %d MiB",
            large.setup().vms(), containerMiB),
        Report.fmt(rss) + " MiB",
        "< 512 MiB" + (large.setup().vms() == 20000 ? "" : " (at 20000 VMs)"),
        Report.verdict(rss < 512));
    report.figure("scale_container_memory_mib", containerMiB);
    if (large != small) {
      // what one more VM costs, without the fixed part every per-VM figure above carries
      int more = large.setup().vms() - small.setup().vms();
      double heapSlope =
          (large.gc().s("heap_used_bytes") - small.gc().s("heap_used_bytes")) / 1024 / more
              - (large.fakeHeapMiB() - small.fakeHeapMiB()) * 1024 / more;
      double rssSlope = (rss - ScaleFigures.operatorRssMiB(small)) * 1024 / more;
      report.figure("scale_operator_heap_per_added_vm_kib", heapSlope);
      report.figure("scale_operator_rss_per_added_vm_kib", rssSlope);
      report.row(
          "7 targets",
          String.format(
              "operator heap / RSS per VM added from %d to %d VMs",
              small.setup().vms(), large.setup().vms()),
          Report.fmt(heapSlope) + " / " + Report.fmt(rssSlope) + " KiB",
          "",
          "");
    }
    String silent =
        results.stream()
            .map(
                r ->
                    r.setup().vms()
                        + ": "
                        + ScaleFigures.steadyCalls(r)
                        + " / "
                        + ScaleRun.Result.writes(r.steadyApi()))
            .collect(Collectors.joining(", "));
    boolean allSilent =
        results.stream()
            .allMatch(
                r ->
                    ScaleFigures.steadyCalls(r) == 0 && ScaleRun.Result.writes(r.steadyApi()) == 0);
    report.row(
        "7 targets",
        "steady state: vCenter calls / API writes (by size)",
        silent,
        "0 / 0",
        Report.verdict(allSilent));
  }
}
