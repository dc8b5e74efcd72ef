package com.codeconnect.vmgroup.bench;

import com.codeconnect.vmgroup.demo.Vcsim;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * CPU seconds used so far by the simulator's process and by this JVM, with the JVM's threads split
 * into the parts a burst's profile asks about: the JIT compilers and the GC/VM threads (start-up
 * costs a long-running operator has paid before its burst), the embedded API server (vert.x), the
 * reconcile pool (JOSDK's threads are named {@code pool-N-thread-M} between reconciles; the
 * benchmark's own pools are named otherwise), and the HTTP clients' threads (the SOAP client's and
 * the Kubernetes client's). Read from /proc (Linux); NaN elsewhere. Taken before and after a phase;
 * {@link #minus} gives the phase's. Against 2 x the phase's length on a 2-core machine the sum says
 * whether the phase was CPU-bound, and whose CPU it was.
 */
record CpuUse(
    double simulator,
    double jvm,
    double jit,
    double gcAndVm,
    double apiServer,
    double reconcilePool,
    double httpClients,
    java.util.Map<String, Double> others) {

  // USER_HZ: 100 on every Linux this runs on (the kernel's ABI, independent of its tick rate)
  private static final double TICKS = 100.0;

  static CpuUse now(Vcsim sim) {
    return now(sim.cpuTime().map(CpuUse::seconds).orElse(Double.NaN));
  }

  /** This JVM alone (no simulator: that part is 0), as the scale model's operator process reads. */
  static CpuUse ofThisJvm() {
    return now(0);
  }

  private static CpuUse now(double simulator) {
    double jvm =
        ProcessHandle.current().info().totalCpuDuration().map(CpuUse::seconds).orElse(Double.NaN);
    double jit = 0;
    double gc = 0;
    double api = 0;
    double pool = 0;
    double http = 0;
    java.util.Map<String, Double> others = new java.util.HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path t : tasks) {
        String stat;
        try {
          stat = Files.readString(t.resolve("stat"));
        } catch (IOException ended) {
          continue; // the thread ended meanwhile
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields 14 and 15 of stat (utime, stime), counted from after the name
        double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
        if (name.contains("CompilerThre")) {
          jit += cpu;
        } else if (name.startsWith("GC Thread")
            || name.startsWith("G1 ")
            || name.equals("VM Thread")) {
          gc += cpu;
        } else if (name.startsWith("vert.x")) {
          api += cpu;
        } else if (name.startsWith("pool-") || name.startsWith("ReconcilerExec")) {
          pool += cpu;
        } else if (name.startsWith("HttpClient") || name.startsWith("JdkHttpClient")) {
          http += cpu;
        } else {
          others.merge(name.replaceAll("[0-9]+", "N"), cpu, Double::sum);
        }
      }
    } catch (IOException | RuntimeException noProc) {
      jit = gc = api = pool = http = Double.NaN;
    }
    return new CpuUse(simulator, jvm, jit, gc, api, pool, http, others);
  }

  /**
   * This minus an earlier reading. Threads that ended in between took their CPU with them, so the
   * parts are lower bounds; the process totals are exact.
   */
  CpuUse minus(CpuUse b) {
    return new CpuUse(
        simulator - b.simulator,
        jvm - b.jvm,
        Math.max(0, jit - b.jit),
        Math.max(0, gcAndVm - b.gcAndVm),
        Math.max(0, apiServer - b.apiServer),
        Math.max(0, reconcilePool - b.reconcilePool),
        Math.max(0, httpClients - b.httpClients),
        others.entrySet().stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    java.util.Map.Entry::getKey,
                    e -> Math.max(0, e.getValue() - b.others.getOrDefault(e.getKey(), 0.0)))));
  }

  /**
   * One line: {@code CPU over 15.2 s: simulator 9.2 s, this JVM 20.9 s (JIT 6.5, ...; the busiest
   * other threads by name)}.
   */
  String describe(double wallSeconds) {
    StringBuilder rest = new StringBuilder();
    others.entrySet().stream()
        .filter(e -> e.getValue() >= 0.05)
        .sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(6)
        .forEach(
            e -> rest.append(String.format(Locale.ROOT, ", %s %.1f", e.getKey(), e.getValue())));
    return String.format(
        Locale.ROOT,
        "CPU over %.1f s: simulator %.1f s, this JVM %.1f s (JIT compilers %.1f, GC/VM %.1f,"
            + " API server %.1f, reconcile pool %.1f, HTTP clients %.1f%s)",
        wallSeconds,
        simulator,
        jvm,
        jit,
        gcAndVm,
        apiServer,
        reconcilePool,
        httpClients,
        rest);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
