package com.codeconnect.vmgroup.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JVM options the Deployment runs the operator with, read from {@code
 * deploy/base/deployment.yaml} so the footprint benchmark and the tests that start the jar as the
 * Deployment does run what is shipped and can't drift from it. The image's class-data-sharing
 * archive is rebuilt for the local jar from the same class list the Dockerfile uses, and the
 * container's memory limit becomes {@code -XX:MaxRAM} (no container engine here: that makes the JVM
 * size itself as under the cgroup limit).
 */
public record DeployedJvm(List<String> options, long memoryLimitBytes) {

  public static final Path DEPLOYMENT = Path.of("deploy", "base", "deployment.yaml");
  public static final Path CLASS_LIST = Path.of("deploy", "cds", "vmgroup-operator.classlist");

  /** Where the Dockerfile writes the archive; the options name it. */
  public static final String IMAGE_ARCHIVE = "/app/vmgroup-operator.jsa";

  private static final String ARCHIVE_OPTION = "-XX:SharedArchiveFile=";

  public static DeployedJvm read(Path deployment) throws IOException {
    Deployment d;
    try (InputStream in = Files.newInputStream(deployment)) {
      d = Serialization.unmarshal(in, Deployment.class);
    }
    Container c =
        d.getSpec().getTemplate().getSpec().getContainers().stream()
            .filter(x -> x.getName().equals("operator"))
            .findFirst()
            .orElseThrow(() -> new IOException(deployment + ": no container 'operator'"));
    List<String> command = c.getCommand();
    int jar = command.indexOf("-jar");
    if (command.isEmpty() || jar < 1 || !command.get(0).endsWith("/java")) {
      throw new IOException(
          deployment + ": the operator's command is not 'java ... -jar': " + command);
    }
    Quantity limit =
        c.getResources() == null || c.getResources().getLimits() == null
            ? null
            : c.getResources().getLimits().get("memory");
    long bytes = limit == null ? 0 : Quantity.getAmountInBytes(limit).longValueExact();
    return new DeployedJvm(List.copyOf(command.subList(1, jar)), bytes);
  }

  /** The archive option, if the Deployment names one. */
  public boolean sharesClasses() {
    return options.stream().anyMatch(o -> o.startsWith(ARCHIVE_OPTION));
  }

  /**
   * The options for {@code java ... -jar <jar>} on this machine: the archive option points at
   * {@code archive} instead of the image's path, and the memory limit is added as MaxRAM.
   */
  public List<String> localOptions(Path archive) {
    List<String> out = new ArrayList<>();
    for (String o : options) {
      out.add(o.startsWith(ARCHIVE_OPTION) ? ARCHIVE_OPTION + archive.toAbsolutePath() : o);
    }
    if (memoryLimitBytes > 0) {
      out.add("-XX:MaxRAM=" + memoryLimitBytes);
    }
    return out;
  }

  /**
   * Dumps a static class-data-sharing archive for {@code jar} from the class list, as the
   * Dockerfile does. The archive records the jar's path, so {@code jar} must be the path the
   * operator is then started with.
   */
  public static void dumpArchive(Path java, Path classList, Path jar, Path archive, Path log)
      throws IOException, InterruptedException {
    Files.deleteIfExists(archive);
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xshare:dump",
                "-XX:SharedClassListFile=" + classList.toAbsolutePath(),
                "-XX:SharedArchiveFile=" + archive.toAbsolutePath(),
                "-cp",
                jar.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("class-data-sharing dump did not finish in 5 minutes; see " + log);
    }
    if (p.exitValue() != 0 || !Files.isRegularFile(archive)) {
      throw new IOException(
          "class-data-sharing dump failed (exit " + p.exitValue() + "): " + Files.readString(log));
    }
  }
}
