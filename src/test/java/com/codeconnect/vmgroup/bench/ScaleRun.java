package com.codeconnect.vmgroup.bench;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.demo.EmbeddedKubernetes;
import com.codeconnect.vmgroup.testing.Groups;
import com.codeconnect.vmgroup.testing.OperatorProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One size of the scale model: the fake alone (what its VMs weigh), then the operator process on a
 * fresh API server through converge, settle, a heap reading after GC, and a quiet window. The API
 * server's requests are counted by kind in this JVM, less the driver's own.
 */
final class ScaleRun {
  static final String NAMESPACE = ScaleOperatorProcess.NAMESPACE;

  /** The options of a run, as {@link ScaleModel} parsed them. */
  record Setup(
      int groups,
      int replicas,
      int budget,
      long cloneMs,
      long powerMs,
      long reconfigureMs,
      int resyncSeconds,
      int reconcileThreads,
      int steadySeconds,
      int settleSeconds,
      int warmupSeconds,
      int timeoutSeconds,
      List<String> jvmOptions,
      long containerMiB,
      boolean profile,
      Path dir) {
    int vms() {
      return groups * replicas;
    }
  }

  /** A reading of the operator process, less nothing: figures are taken as differences. */
  record Stats(Map<String, String> raw) {
    double s(String key) {
      return Double.parseDouble(raw.getOrDefault(key, "NaN"));
    }

    /** Seconds of {@code key} (nanoseconds) since {@code before}. */
    double nsSince(Stats before, String key) {
      return (s(key) - before.s(key)) / 1e9;
    }
  }

  /** What one size measured. */
  record Result(
      Setup setup,
      double idealSeconds,
      double vcenterSeconds,
      double readySeconds,
      double processCpu,
      double fakeCpu,
      double benchCpu,
      Stats before,
      Stats after,
      double driverCpu,
      Map<String, Long> api,
      Stats gc,
      double fakeHeapMiB,
      double fakeRssMiB,
      double steadySeconds,
      Stats steadyBefore,
      Stats steadyAfter,
      Map<String, Long> steadyApi) {
    double operatorCpu() {
      return processCpu - fakeCpu - benchCpu;
    }

    static long writes(Map<String, Long> api) {
      return api.entrySet().stream()
          .filter(e -> e.getKey().matches("(POST|PUT|PATCH|DELETE) .*"))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }
  }

  private final Setup setup;
  private final PrintStream log;
  // the driver's own requests, by the API server's kind, subtracted from its counts
  private final Map<String, Long> own = new TreeMap<>();

  ScaleRun(Setup setup, PrintStream log) {
    this.setup = setup;
    this.log = log;
  }

  Result run() throws Exception {
    int vms = setup.vms();
    double[] fake = fakeAlone();
    progress("fake alone at %d VMs: heap after GC %.1f MiB, RSS %.1f MiB", vms, fake[0], fake[1]);
    // The operator's heap gets its share of the container's memory as deployed; the fake's VMs
    // live in the same heap, so MaxRAM grows by twice their weight (MaxRAMPercentage=50).
    long maxRam = (setup.containerMiB() + (long) Math.ceil(2 * fake[0])) * 1024 * 1024;
    try (EmbeddedKubernetes kube = EmbeddedKubernetes.start()) {
      KubernetesClient client = kube.client();
      EmbeddedKubernetes.installCrd(client);
      Groups.in(client, NAMESPACE).createNamespace();
      Path kubeconfig = OperatorProcess.kubeconfig(client.getMasterUrl().toString(), NAMESPACE);
      List<String> jvm = new ArrayList<>(setup.jvmOptions());
      jvm.add("-XX:MaxRAM=" + maxRam);
      Path jfr = setup.dir().resolve("operator-" + vms + ".jfr");
      if (setup.profile()) {
        jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr);
      }
      List<String> args =
          List.of(
              "mode=operator",
              "budget=" + setup.budget(),
              "resync_s=" + setup.resyncSeconds(),
              "reconcile_threads=" + setup.reconcileThreads(),
              "clone_ms=" + setup.cloneMs(),
              "power_ms=" + setup.powerMs(),
              "reconfigure_ms=" + setup.reconfigureMs());
      Path childLog = setup.dir().resolve("operator-" + vms + ".log");
      progress("operator process: %s (log %s)", String.join(" ", jvm), childLog);
      Result r;
      try (ScaleChild child =
          ScaleChild.start(jvm, args, Map.of("KUBECONFIG", kubeconfig.toString()), childLog)) {
        if (setup.warmupSeconds() > 0) {
          warmUp(client, child);
        }
        r = measure(kube, child, fake);
      }
      if (setup.profile()) {
        progress(
            "profile of the operator process at %d VMs (%s):%n%s",
            vms, jfr, JfrSummary.summarize(jfr, 20));
      }
      return r;
    }
  }

  private Result measure(EmbeddedKubernetes kube, ScaleChild child, double[] fake)
      throws Exception {
    KubernetesClient client = kube.client();
    Map<String, Long> apiBefore = kube.requestsByKind();
    own.clear();
    Stats before = new Stats(child.ask("stats"));
    double driverBefore = cpuOfThisJvm();
    long start = System.nanoTime();
    createGroups(client, "g");
    progress(
        "created %d groups x %d replicas; waiting for converge", setup.groups(), setup.replicas());
    double[] converged = awaitConverged(client, child, "g", start);
    progress(
        "converged: vCenter right after %.2f s, every group Ready after %.2f s",
        converged[0], converged[1]);
    settle(kube, child);
    Stats after = new Stats(child.ask("stats"));
    double driverCpu = cpuOfThisJvm() - driverBefore;
    Map<String, Long> api = minusOwn(Benchmark.delta(apiBefore, kube.requestsByKind()));
    Stats gc = new Stats(child.ask("gc"));
    progress("after converge: %s", gc.raw());
    // the quiet window: nothing asked of the API server by the driver either
    Map<String, Long> steadyApiBefore = kube.requestsByKind();
    Stats steadyBefore = new Stats(child.ask("stats"));
    long steadyStart = System.nanoTime();
    Thread.sleep(setup.steadySeconds() * 1000L);
    Stats steadyAfter = new Stats(child.ask("stats"));
    double steadySeconds = (System.nanoTime() - steadyStart) / 1e9;
    Map<String, Long> steadyApi = Benchmark.delta(steadyApiBefore, kube.requestsByKind());
    progress("Events written, by reason: %s", eventsByReason(client));
    long rounds = (setup.vms() + setup.budget() - 1) / setup.budget();
    return new Result(
        setup,
        rounds * (setup.cloneMs() + setup.powerMs()) / 1000.0,
        converged[0],
        converged[1],
        after.nsSince(before, "cpu_ns"),
        after.nsSince(before, "fake_cpu_ns"),
        after.nsSince(before, "bench_cpu_ns"),
        before,
        after,
        driverCpu,
        api,
        gc,
        fake[0],
        fake[1],
        steadySeconds,
        steadyBefore,
        steadyAfter,
        steadyApi);
  }

  /**
   * The fake alone, filled as the operator leaves it: what its VMs add to the heap after GC (the
   * filled fake less the empty one, in one process), and that process's RSS, in MiB.
   */
  private double[] fakeAlone() throws Exception {
    List<String> jvm = new ArrayList<>(setup.jvmOptions());
    jvm.add("-XX:MaxRAM=" + (4L << 30));
    Path childLog = setup.dir().resolve("fake-" + setup.vms() + ".log");
    try (ScaleChild child =
        ScaleChild.start(
            jvm,
            List.of("mode=fake", "groups=" + setup.groups(), "replicas=" + setup.replicas()),
            Map.of(),
            childLog)) {
      Stats empty = new Stats(child.ask("gc"));
      child.ask("fill");
      Stats s = new Stats(child.ask("gc"));
      return new double[] {
        (s.s("heap_used_bytes") - empty.s("heap_used_bytes")) / (1 << 20), s.s("rss_kib") / 1024
      };
    }
  }

  /**
   * Converges and deletes a fleet of the same shape, then waits out the rest of the warm-up: what a
   * long-running operator has compiled and loaded before a burst.
   */
  private void warmUp(KubernetesClient client, ScaleChild child) throws Exception {
    long start = System.nanoTime();
    progress("warm-up: a fleet of the same shape converged and deleted");
    createGroups(client, "w");
    awaitConverged(client, child, "w", start);
    client.resources(VmGroup.class).inNamespace(NAMESPACE).delete();
    long deadline = start + TimeUnit.SECONDS.toNanos(setup.timeoutSeconds());
    while (System.nanoTime() < deadline
        && (!client.resources(VmGroup.class).inNamespace(NAMESPACE).list().getItems().isEmpty()
            || new Stats(child.ask("stats")).s("tasks_running") > 0)) {
      Thread.sleep(200);
    }
    long left = start + TimeUnit.SECONDS.toNanos(setup.warmupSeconds()) - System.nanoTime();
    progress("warm-up: done after %.1f s", (System.nanoTime() - start) / 1e9);
    if (left > 0) {
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left));
    }
  }

  private void createGroups(KubernetesClient client, String prefix) throws Exception {
    Groups groups = Groups.in(client, NAMESPACE);
    ExecutorService pool = Executors.newFixedThreadPool(4, Benchmark.named("creator"));
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int g = 0; g < setup.groups(); g++) {
        String name = String.format("%s-%05d", prefix, g);
        done.add(
            pool.submit(() -> groups.create(name, 1, 1, setup.replicas(), "vm-operator-template")));
      }
      for (Future<?> f : done) {
        f.get();
      }
      own.merge("POST vmgroups", (long) setup.groups(), Long::sum);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Seconds from {@code start} until every group's VMs run at the spec's size in the fake, and
   * until, in addition, every group is Ready for its generation. The driver lists the groups (its
   * own requests, subtracted) less often the more there are, as the listing costs the API server.
   */
  private double[] awaitConverged(
      KubernetesClient client, ScaleChild child, String prefix, long start) throws Exception {
    long deadline = start + TimeUnit.SECONDS.toNanos(setup.timeoutSeconds());
    long pause = Math.max(50, setup.groups() / 2);
    double vcenter = Double.NaN;
    while (System.nanoTime() < deadline) {
      int right =
          Integer.parseInt(child.ask("check " + setup.replicas() + " " + prefix).get("right"));
      long now = System.nanoTime();
      if (right == setup.groups()) {
        if (Double.isNaN(vcenter)) {
          vcenter = (now - start) / 1e9;
        }
        own.merge("LIST vmgroups", 1L, Long::sum);
        List<VmGroup> groups =
            client.resources(VmGroup.class).inNamespace(NAMESPACE).list().getItems();
        long ready =
            groups.stream()
                .filter(g -> g.getMetadata().getName().startsWith(prefix + "-"))
                .filter(Benchmark.Env.Checker::ready)
                .count();
        if (ready == setup.groups()) {
          return new double[] {vcenter, (System.nanoTime() - start) / 1e9};
        }
      }
      Thread.sleep(pause);
    }
    throw new IllegalStateException(
        "not converged within " + setup.timeoutSeconds() + " s; see " + child.log());
  }

  /**
   * Until the operator has nothing in flight, its inventory is current, and the API server has seen
   * no write for {@code settle} seconds (paced status writes and Event series flushes come after
   * the last group turned Ready).
   */
  private void settle(EmbeddedKubernetes kube, ScaleChild child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(setup.timeoutSeconds());
    long quietSince = System.nanoTime();
    long writes = Result.writes(kube.requestsByKind());
    while (System.nanoTime() < deadline) {
      Thread.sleep(250);
      Stats s = new Stats(child.ask("stats"));
      long w = Result.writes(kube.requestsByKind());
      boolean idle =
          s.s("tasks_in_flight") == 0 && s.s("tasks_running") == 0 && s.s("inventory_current") == 1;
      if (w != writes || !idle) {
        writes = w;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince
          >= TimeUnit.SECONDS.toNanos(setup.settleSeconds())) {
        return;
      }
    }
    throw new IllegalStateException("the operator never settled; see " + child.log());
  }

  /** Which Events the operator left: where its Event writes went (read after the window). */
  private static Map<String, Long> eventsByReason(KubernetesClient client) {
    Map<String, Long> out = new TreeMap<>();
    client
        .events()
        .v1()
        .events()
        .inNamespace(NAMESPACE)
        .list()
        .getItems()
        .forEach(e -> out.merge(e.getReason(), 1L, Long::sum));
    return out;
  }

  private Map<String, Long> minusOwn(Map<String, Long> api) {
    Map<String, Long> out = new TreeMap<>(api);
    own.forEach((k, v) -> out.computeIfPresent(k, (kk, n) -> n - v <= 0 ? null : n - v));
    return out;
  }

  private static double cpuOfThisJvm() {
    return ProcessHandle.current()
        .info()
        .totalCpuDuration()
        .map(d -> d.toNanos() / 1e9)
        .orElse(Double.NaN);
  }

  private void progress(String format, Object... args) throws IOException {
    log.printf("[scale] " + format + "%n", args);
    log.flush();
  }
}
