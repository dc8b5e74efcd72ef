package com.codeconnect.vmgroup.vsphere.soap;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, scenario 11, in-process half: thousands of mutations of real simulator responses, and
 * hand-made attacks, through everything the client does with a body (parse, body, fault mapping,
 * UpdateSet reading, walking the tree). Each ends in a value or a {@link VsphereException}, within
 * a time limit; the attacks also run in a child JVM with the Deployment's heap, so none can exhaust
 * memory. Seeds are fixed: a failure names the case, and the same case fails again.
 */
class SoapResponseFuzzTest {
  static final long SEED = 20_201_007L;
  static final int MUTATIONS = 4000;

  /** The Deployment runs with 256 MiB and MaxRAMPercentage=75. */
  static final String CHILD_HEAP = "-Xmx192m";

  private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor();

  @AfterAll
  static void stop() {
    RUNNER.shutdownNow();
  }

  @Test
  void mutatedRecordedResponsesGiveAValueOrATypedError() throws Exception {
    List<String> files = HostileXml.recordedFiles();
    assertThat(files).hasSizeGreaterThan(20);
    List<String> failures = new ArrayList<>();
    int refused = 0;
    long start = System.nanoTime();
    for (int i = 0; i < MUTATIONS; i++) {
      String file = files.get(i % files.size());
      Random rnd = new Random(SEED * 31 + i);
      StringBuilder ops = new StringBuilder();
      byte[] body = HostileXml.mutate(HostileXml.recorded(file), rnd, ops);
      String outcome = run(() -> HostileParse.decode(body, null), 2);
      if (outcome.startsWith("VsphereException")) {
        refused++;
      } else if (!outcome.equals("OK")) {
        failures.add("case " + i + " (" + file + ", ops " + ops + "): " + outcome);
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(failures).isEmpty();
    // most mutations must actually break something, or the fuzzer isn't reaching the readers
    assertThat(refused).isGreaterThan(MUTATIONS / 3);
    System.out.printf(
        "fuzz: %d mutated responses, %d refused with a VsphereException, %d ms%n",
        MUTATIONS, refused, millis);
  }

  @Test
  void handMadeAttacksAreRefusedInTimeWithinTheDeploymentsHeap(@TempDir Path dir) throws Exception {
    String marker = "TOP-SECRET-FILE-CONTENT-4711";
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, marker);
    List<Object[]> attacks = HostileXml.attacks(secret);
    // the largest body the transport lets through, all of it one text node
    attacks.add(
        new Object[] {
          "text at the transport limit",
          HostileXml.envelope(
                  "<X xmlns=\"urn:vim25\"><returnval>"
                      + "y".repeat((32 << 20) - 400)
                      + "</returnval></X>")
              .getBytes(StandardCharsets.UTF_8)
        });
    List<String> args = new ArrayList<>();
    for (int i = 0; i < attacks.size(); i++) {
      Path f = dir.resolve(String.format("attack-%02d.xml", i));
      Files.write(f, (byte[]) attacks.get(i)[1]);
      args.add(f.toString());
    }
    List<String> lines = child(marker, args);
    assertThat(lines).hasSameSizeAs(attacks);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String[] cols = lines.get(i).split("\t", 5);
      String name = (String) attacks.get(i)[0];
      String outcome = cols[1];
      long ms = Long.parseLong(cols[2]);
      if (outcome.equals("OTHER") || cols[3].equals("LEAK") || ms > 5000) {
        failures.add(name + ": " + lines.get(i));
      }
      System.out.printf("attack %-32s %-24s %5d ms  %s%n", name, outcome, ms, cols[4]);
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void theSameAttacksInProcessGiveTypedErrorsAndQuoteNoFile(@TempDir Path dir) throws Exception {
    String marker = "TOP-SECRET-FILE-CONTENT-4711";
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, marker);
    for (Object[] attack : HostileXml.attacks(secret)) {
      byte[] body = (byte[]) attack[1];
      String outcome = run(() -> HostileParse.decode(body, marker) ? "LEAK" : null, 5);
      assertThat(outcome).as("%s", attack[0]).doesNotContain("LEAK").doesNotContain(marker);
      assertThat(outcome).as("%s", attack[0]).matches("OK|VsphereException .*");
    }
  }

  /** Runs one decode with a deadline; "OK", "ExceptionClass: message" or "TIMEOUT". */
  static String run(java.util.concurrent.Callable<?> decode, int seconds) throws Exception {
    Future<Object> f = RUNNER.submit(() -> decode.call());
    try {
      Object r = f.get(seconds, TimeUnit.SECONDS);
      return r == null || r instanceof Boolean ? "OK" : String.valueOf(r);
    } catch (TimeoutException e) {
      f.cancel(true);
      return "TIMEOUT after " + seconds + " s";
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      return (c instanceof VsphereException ? "VsphereException " : "")
          + c.getClass().getName()
          + ": "
          + c.getMessage();
    }
  }

  private static List<String> child(String marker, List<String> files)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(CHILD_HEAP);
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(HostileParse.class.getName());
    cmd.add(marker);
    cmd.addAll(files);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().filter(l -> l.startsWith("attack-")).toList();
  }
}
