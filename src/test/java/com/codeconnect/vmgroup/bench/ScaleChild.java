package com.codeconnect.vmgroup.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The driver's handle on a {@link ScaleOperatorProcess}: started with the given JVM options on the
 * benchmark's own classpath, asked one command at a time, its log in a file.
 */
final class ScaleChild implements AutoCloseable {
  private final Process process;
  private final PrintWriter in;
  private final BufferedReader out;
  private final Path log;

  private ScaleChild(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.in =
        new PrintWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts the process and waits for its first answer (the operator's inventory synced). */
  static ScaleChild start(
      List<String> jvmOptions, List<String> args, Map<String, String> env, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add(ScaleOperatorProcess.class.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
    pb.environment().putAll(env);
    ScaleChild child = new ScaleChild(pb.start(), log);
    child.answer();
    return child;
  }

  /**
   * The classpath this class was loaded from: under {@code mvn exec:java} that is the plugin's own
   * loader over the test classpath (not {@code java.class.path}, which is Maven's); under Failsafe
   * the system class path.
   */
  static String classpath() {
    if (ScaleChild.class.getClassLoader() instanceof URLClassLoader u && u.getURLs().length > 0) {
      List<String> parts = new ArrayList<>();
      for (URL url : u.getURLs()) {
        try {
          parts.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException notAFile) {
          // only files and directories make sense on a command line
        }
      }
      return String.join(java.io.File.pathSeparator, parts);
    }
    return System.getProperty("java.class.path");
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** Sends a command and returns its answer's {@code key=value} pairs. */
  Map<String, String> ask(String command) throws IOException {
    in.println(command);
    return answer();
  }

  private Map<String, String> answer() throws IOException {
    String line = out.readLine();
    // the JVM itself may print on stdout (a flight recording's start): not an answer
    while (line != null && !line.startsWith(ScaleOperatorProcess.ANSWER)) {
      line = out.readLine();
    }
    if (line == null) {
      throw new IOException(
          "the operator process answered "
              + line
              + " (alive: "
              + process.isAlive()
              + "); its log "
              + log
              + " ends with:\n"
              + tail());
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : line.substring(ScaleOperatorProcess.ANSWER.length()).trim().split(" ")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    if (m.containsKey("error")) {
      throw new IOException("the operator process refused the command: " + m.get("error"));
    }
    return m;
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Asks it to stop (the operator closes, a flight recording is written), then makes sure. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      try {
        ask("quit");
      } catch (IOException gone) {
        // it ended on its own meanwhile
      }
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
