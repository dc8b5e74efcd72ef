package com.codeconnect.vmgroup.bench;

import com.codeconnect.vmgroup.app.OperatorRuntime;
import com.codeconnect.vmgroup.config.OperatorSettings;
import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.fake.InMemoryVcenter;
import com.codeconnect.vmgroup.vsphere.fake.TaskKind;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scale model's other process: the real operator ({@link OperatorRuntime}, as {@code Main}
 * starts it, with its metrics registry) on the in-memory vCenter, talking to the API server the
 * driver ({@link ScaleModel}) runs in its own JVM, so this process's CPU and memory are the
 * operator's plus the fake's, and the fake accounts its own CPU ({@link InMemoryVcenter#cpuNanos}).
 * With {@code mode=fake} it holds the fake alone at the same size, filled through the client as the
 * operator fills it, to measure what the fake's VMs weigh.
 *
 * <p>The driver speaks to it one line at a time on stdin; each answer is one line on stdout, {@code
 * ok key=value ...}. Everything this process does for the benchmark (the fleet check) runs on the
 * main thread, whose CPU is reported apart ({@code bench_cpu_ns}) so it can be subtracted too.
 */
public final class ScaleOperatorProcess {
  static final String NAMESPACE = "bench";
  // what starts an answer line; anything else on stdout is the JVM's
  static final String ANSWER = "@scale-ok";
  static final String ROOT = "/DC0/vm/" + OperatorSettings.DEFAULT_ROOT_FOLDER;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ScaleOperatorProcess() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    InMemoryVcenter vc =
        InMemoryVcenter.builder()
            .accountCpu(true)
            .standaloneHosts(0)
            .taskDuration(TaskKind.CLONE, millis(a, "clone_ms"))
            .taskDuration(TaskKind.POWER_ON, millis(a, "power_ms"))
            .taskDuration(TaskKind.POWER_OFF, millis(a, "power_ms"))
            .taskDuration(TaskKind.DESTROY, millis(a, "power_ms"))
            .taskDuration(TaskKind.RECONFIGURE, millis(a, "reconfigure_ms"))
            .build();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (a.get("mode").equals("fake")) {
      // answers "gc" empty first, then "fill"s: the difference is what the VMs weigh
      serve(
          in,
          out,
          vc,
          null,
          () -> fill(vc, Integer.parseInt(a.get("groups")), Integer.parseInt(a.get("replicas"))));
      return;
    }
    OperatorSettings settings =
        OperatorSettings.defaults()
            .withTaskBudget(Integer.parseInt(a.get("budget")))
            .withResyncInterval(Duration.ofSeconds(Long.parseLong(a.get("resync_s"))))
            .withReconcileThreads(Integer.parseInt(a.get("reconcile_threads")));
    // Main's registry and binders: their cost is the deployed operator's too.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // KUBECONFIG points at the driver's API server, as the footprint scenario's process is set up
    KubernetesClient kube = new KubernetesClientBuilder().build();
    OperatorRuntime runtime = OperatorRuntime.start(kube, vc, settings, registry, null);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!runtime.inventorySynced() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    serve(in, out, vc, runtime, () -> {});
    runtime.close();
    kube.close();
    // JOSDK's and the HTTP client's threads would keep the JVM; a flight recording is dumped now
    System.exit(0);
  }

  private static Duration millis(Map<String, String> a, String key) {
    return Duration.ofMillis(Long.parseLong(a.getOrDefault(key, "0")));
  }

  private static void serve(
      BufferedReader in,
      PrintStream out,
      InMemoryVcenter vc,
      OperatorRuntime runtime,
      Runnable fill)
      throws IOException {
    out.println(ANSWER + " ready=1");
    for (String line; (line = in.readLine()) != null; ) {
      String[] cmd = line.trim().split(" ");
      Map<String, Object> answer = new LinkedHashMap<>();
      switch (cmd[0]) {
        case "stats" -> stats(answer, vc, runtime);
        case "fill" -> fill.run();
        case "check" -> answer.put("right", groupsRight(vc, Integer.parseInt(cmd[1]), cmd[2]));
        case "gc" -> {
          // SerialGC: each is a full collection; twice so what the first freed is gone
          System.gc();
          System.gc();
          answer.put("heap_used_bytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage());
          stats(answer, vc, runtime);
        }
        case "quit" -> {
          out.println(ANSWER + " bye=1");
          return;
        }
        default -> answer.put("error", "unknown command " + cmd[0]);
      }
      StringBuilder sb = new StringBuilder(ANSWER);
      answer.forEach(
          (k, v) ->
              sb.append(' ')
                  .append(k)
                  .append('=')
                  .append(
                      v instanceof java.lang.management.MemoryUsage m
                          ? Long.toString(m.getUsed())
                          : String.valueOf(v).replace(' ', '_')));
      out.println(sb);
    }
  }

  private static void stats(Map<String, Object> s, InMemoryVcenter vc, OperatorRuntime runtime)
      throws IOException {
    CpuUse cpu = CpuUse.ofThisJvm();
    s.put("cpu_ns", ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos());
    s.put("fake_cpu_ns", vc.cpuNanos());
    s.put("bench_cpu_ns", THREADS.getCurrentThreadCpuTime());
    s.put("jit_s", cpu.jit());
    s.put("gc_vm_s", cpu.gcAndVm());
    s.put("reconcile_pool_s", cpu.reconcilePool());
    s.put("http_clients_s", cpu.httpClients());
    s.put("client_calls", vc.clientCallCount());
    s.put("tasks_running", vc.tasksRunning());
    s.put("heap_now_bytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage());
    s.put(
        "heap_committed_bytes",
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted());
    s.put("heap_max_bytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
    s.put("rss_kib", procStatus("VmRSS:"));
    s.put("hwm_kib", procStatus("VmHWM:"));
    if (runtime != null) {
      s.put("reconciles", runtime.reconcileCount());
      s.put("tasks_in_flight", runtime.tasksInFlight());
      s.put("inventory_current", runtime.inventoryCurrent() ? 1 : 0);
    }
    StringBuilder calls = new StringBuilder();
    vc.callCounts().forEach((k, v) -> calls.append(calls.isEmpty() ? "" : ",").append(k + ":" + v));
    s.put("calls", calls.isEmpty() ? "-" : calls);
    StringBuilder others = new StringBuilder();
    cpu.others().entrySet().stream()
        .filter(e -> e.getValue() >= 0.05)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(8)
        .forEach(
            e ->
                others
                    .append(others.isEmpty() ? "" : ",")
                    .append(e.getKey().replace(' ', '_').replace(',', ';'))
                    .append(':')
                    .append(String.format(java.util.Locale.ROOT, "%.2f", e.getValue())));
    s.put("other_threads", others.isEmpty() ? "-" : others);
  }

  private static long procStatus(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /**
   * Groups named {@code prefix-...} whose folder holds exactly {@code replicas} of the operator's
   * VMs, all running with 1 vCPU and 1 GiB: read in one look under the fake's lock, without client
   * calls.
   */
  private static int groupsRight(InMemoryVcenter vc, int replicas, String prefix) {
    MoRef root = vc.admin().find(ROOT).orElse(null);
    if (root == null) {
      return 0;
    }
    int right = 0;
    for (Map.Entry<String, List<VmInfo>> folder : vc.admin().vmsByChildFolder(root).entrySet()) {
      if (!folder.getKey().startsWith(NAMESPACE + "-" + prefix + "-")) {
        continue;
      }
      List<VmInfo> vms = folder.getValue();
      long good =
          vms.stream()
              .filter(vm -> vm.extraConfig().containsKey(Ownership.OWNER_UID))
              .filter(
                  vm ->
                      vm.powerState() == PowerState.POWERED_ON
                          && vm.cpu() == 1
                          && vm.memoryMiB() == 1024)
              .count();
      if (good == replicas && vms.size() == replicas) {
        right++;
      }
    }
    return right;
  }

  /**
   * The fake as the operator leaves it after converging: a folder per group, its VMs cloned through
   * the client with the operator's markers and powered on, every task done and kept.
   */
  private static void fill(InMemoryVcenter vc, int groups, int replicas) {
    MoRef vmFolder = vc.findByInventoryPath("/DC0/vm").orElseThrow();
    MoRef root = vc.createFolder(vmFolder, OperatorSettings.DEFAULT_ROOT_FOLDER);
    VmInfo template = vc.findVmsByName(vmFolder, "vm-operator-template").get(0);
    MoRef pool = vc.resourcePools(vc.datacenters().get(0).ref()).get(0).ref();
    List<TaskRef> tasks = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      String name = String.format("g-%05d", g);
      MoRef folder = vc.createFolder(root, NAMESPACE + "-" + name);
      String uid = java.util.UUID.randomUUID().toString();
      for (int i = 0; i < replicas; i++) {
        Map<String, String> markers = new LinkedHashMap<>();
        markers.putAll(Ownership.markers(uid, NAMESPACE, name, i));
        markers.put(Ownership.SOURCE_HASH, "0123456789abcdef");
        markers.put(Ownership.SPEC_HASH, "fedcba9876543210");
        tasks.add(
            vc.cloneVm(
                new CloneRequest(
                    template.ref(),
                    folder,
                    pool,
                    null,
                    name + "-" + i,
                    1,
                    1024,
                    Map.copyOf(markers),
                    null,
                    true)));
      }
    }
    // the driver starts this mode with zero task durations: every task is done at the next look
    vc.tasks(tasks);
  }
}
