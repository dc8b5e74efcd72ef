package com.codeconnect.vmgroup.bench;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** One size's rows and {@code key=value} figures of the scale model. */
final class ScaleFigures {
  private final Report report;
  private final ScaleRun.Result r;
  private final long containerMiB;
  private final String scenario;
  private final String key;
  private final int vms;

  ScaleFigures(Report report, ScaleRun.Result r, long containerMiB) {
    this.report = report;
    this.r = r;
    this.containerMiB = containerMiB;
    this.vms = r.setup().vms();
    this.scenario = "7 scale " + vms;
    this.key = "scale_" + vms + "_";
  }

  /** The operator's RSS: the process's after converge and GC, less what the fake alone weighs. */
  static double operatorRssMiB(ScaleRun.Result r) {
    return r.gc().s("rss_kib") / 1024 - r.fakeHeapMiB();
  }

  /** vCenter calls in the quiet window (feeds and logins left out, as the fake counts them). */
  static long steadyCalls(ScaleRun.Result r) {
    return (long) (r.steadyAfter().s("client_calls") - r.steadyBefore().s("client_calls"));
  }

  void add() {
    ScaleRun.Setup s = r.setup();
    row(
        String.format(
            "%d groups x %d VMs, budget %d, clone %d ms (+ power-on %d ms inside it)",
            s.groups(), s.replicas(), s.budget(), s.cloneMs(), s.powerMs()),
        "");
    figure("vms", vms);
    figure("budget", s.budget());
    converge();
    cpu();
    api();
    memory();
    steady();
  }

  private void converge() {
    ScaleRun.Setup s = r.setup();
    long rounds = (vms + s.budget() - 1) / s.budget();
    row(
        String.format(
            "ideal = ceil(%d/%d) x (clone %d + power %d ms)",
            vms, s.budget(), s.cloneMs(), s.powerMs()),
        Report.fmt(r.idealSeconds()) + " s");
    row("converge: every group's VMs running at its size in vCenter", sec(r.vcenterSeconds()));
    row("  ... and every group Ready", sec(r.readySeconds()));
    if (r.idealSeconds() > 0) {
      // zero-length tasks (a burst) have no ideal to compare with
      row("  measured (vCenter right) / ideal", Report.fmt(r.vcenterSeconds() / r.idealSeconds()));
      figure("converge_vs_ideal_ratio", r.vcenterSeconds() / r.idealSeconds());
    }
    figure("ideal_seconds", r.idealSeconds());
    figure("rounds", rounds);
    figure("converge_vcenter_seconds", r.vcenterSeconds());
    figure("converge_seconds", r.readySeconds());
  }

  private void cpu() {
    ScaleRun.Stats a = r.after();
    ScaleRun.Stats b = r.before();
    double perK = r.operatorCpu() / vms * 1000;
    row("operator CPU per 1,000 VMs converged (process less fake less harness)", sec(perK));
    row(
        String.format(
            "  process %.2f s = operator %.2f + in-memory vCenter %.2f + harness %.2f",
            r.processCpu(), r.operatorCpu(), r.fakeCpu(), r.benchCpu()),
        "");
    row(
        String.format(
            "  of the process's threads: JIT %.2f, GC/VM %.2f, reconcile pool %.2f, HTTP %.2f",
            a.s("jit_s") - b.s("jit_s"),
            a.s("gc_vm_s") - b.s("gc_vm_s"),
            a.s("reconcile_pool_s") - b.s("reconcile_pool_s"),
            a.s("http_clients_s") - b.s("http_clients_s")),
        "");
    row("  API server and driver (the other JVM), CPU", sec(r.driverCpu()));
    double reconciles = a.s("reconciles") - b.s("reconciles");
    row("reconciles per VM", Report.fmt(reconciles / vms));
    long calls = (long) (a.s("client_calls") - b.s("client_calls"));
    row("vCenter calls per VM (the fake's clientCallCount)", Report.fmt((double) calls / vms));
    figure("operator_cpu_seconds", r.operatorCpu());
    figure("operator_cpu_per_1000_vms_seconds", perK);
    figure("process_cpu_seconds", r.processCpu());
    figure("fake_cpu_seconds", r.fakeCpu());
    figure("harness_cpu_seconds", r.benchCpu());
    figure("jit_cpu_seconds", a.s("jit_s") - b.s("jit_s"));
    figure("gc_vm_cpu_seconds", a.s("gc_vm_s") - b.s("gc_vm_s"));
    figure("api_server_cpu_seconds", r.driverCpu());
    figure("reconciles_per_vm", reconciles / vms);
    figure("vcenter_calls_per_vm", (double) calls / vms);
    figure("vcenter_calls", a.raw().get("calls"));
  }

  private void api() {
    Map<String, Long> api = r.api();
    long total = api.values().stream().mapToLong(Long::longValue).sum();
    long writes = ScaleRun.Result.writes(api);
    row("API requests per VM (operator's only)", Report.fmt((double) total / vms));
    row("  of them writes per VM", Report.fmt((double) writes / vms));
    row(
        "  by kind, per VM: "
            + api.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(
                    e ->
                        String.format(
                            Locale.ROOT, "%s %.2f", e.getKey(), (double) e.getValue() / vms))
                .collect(Collectors.joining(", ")),
        "");
    figure("api_requests_per_vm", (double) total / vms);
    figure("api_writes_per_vm", (double) writes / vms);
    api.forEach(
        (kind, n) ->
            figure(
                "api_" + kind.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + "_per_vm",
                (double) n / vms));
  }

  private void memory() {
    double heap = r.gc().s("heap_used_bytes") / (1 << 20);
    double operatorHeap = heap - r.fakeHeapMiB();
    double rss = r.gc().s("rss_kib") / 1024;
    double operatorRss = operatorRssMiB(r);
    double peak = r.gc().s("hwm_kib") / 1024;
    row(
        String.format(
            "heap after GC %.1f MiB, less the fake's VMs %.1f MiB = operator",
            heap, r.fakeHeapMiB()),
        Report.fmt(operatorHeap) + " MiB");
    row("  operator heap per VM", Report.fmt(operatorHeap * 1024 / vms) + " KiB");
    row(
        String.format(
            "RSS %.1f MiB (peak %.1f), less the fake's heap = operator (container %d MiB)",
            rss, peak, containerMiB),
        Report.fmt(operatorRss) + " MiB");
    row("  operator RSS per VM", Report.fmt(operatorRss * 1024 / vms) + " KiB");
    double committed = r.gc().s("heap_committed_bytes") / (1 << 20);
    row(
        String.format(
            "  heap committed %.1f MiB (max %.0f MiB, the fake's share included); RSS not heap",
            committed, r.gc().s("heap_max_bytes") / (1 << 20)),
        Report.fmt(rss - committed) + " MiB");
    figure("heap_committed_mib", committed);
    figure("rss_not_heap_mib", rss - committed);
    figure("heap_after_gc_mib", heap);
    figure("fake_heap_mib", r.fakeHeapMiB());
    figure("fake_alone_rss_mib", r.fakeRssMiB());
    figure("operator_heap_mib", operatorHeap);
    figure("operator_heap_per_vm_kib", operatorHeap * 1024 / vms);
    figure("rss_mib", rss);
    figure("rss_peak_mib", peak);
    figure("operator_rss_mib", operatorRss);
    figure("operator_rss_per_vm_kib", operatorRss * 1024 / vms);
  }

  private void steady() {
    ScaleRun.Stats a = r.steadyAfter();
    ScaleRun.Stats b = r.steadyBefore();
    double minutes = r.steadySeconds() / 60;
    double cpu =
        a.nsSince(b, "cpu_ns") - a.nsSince(b, "fake_cpu_ns") - a.nsSince(b, "bench_cpu_ns");
    long calls = steadyCalls(r);
    long writes = ScaleRun.Result.writes(r.steadyApi());
    long requests = r.steadyApi().values().stream().mapToLong(Long::longValue).sum();
    double reconciles = a.s("reconciles") - b.s("reconciles");
    row(
        String.format("steady %.0f s: operator CPU per minute", r.steadySeconds()),
        sec(cpu / minutes));
    row(
        "  vCenter calls / API writes / API requests / reconciles",
        calls + " / " + writes + " / " + requests + " / " + (long) reconciles);
    figure("steady_cpu_per_minute_seconds", cpu / minutes);
    figure("steady_vcenter_calls", calls);
    figure("steady_api_writes", writes);
    figure("steady_api_requests", requests);
    figure("steady_reconciles", (long) reconciles);
  }

  private static String sec(double s) {
    return Report.fmt(s) + " s";
  }

  private void row(String what, String measured) {
    report.row(scenario, what, measured);
  }

  private void figure(String name, double v) {
    report.figure(key + name, v);
  }

  private void figure(String name, long v) {
    report.figure(key + name, v);
  }

  private void figure(String name, String v) {
    report.figure(key + name, v);
  }
}
