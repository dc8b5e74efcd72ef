package com.codeconnect.vmgroup.it;

import com.codeconnect.vmgroup.demo.EmbeddedKubernetes;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real kube-apiserver and etcd through Fabric8 kube-api-test, offline, from binaries in {@code
 * $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64/}. Tests using it are skipped when there are none
 * (this machine can't download them).
 */
final class RealApiServer implements ApiServer {
  private final KubeAPIServer server;
  private final KubernetesClient client;

  private RealApiServer(String dir, String version) {
    // Offline mode is set in code: the environment variable for it fails with a
    // ClassCastException in this version.
    server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(dir)
                .withOfflineMode(true)
                .withApiServerVersion(version)
                .withUpdateKubeConfig(false)
                .build());
    server.start();
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
            .build();
    CustomResourceDefinition crd = EmbeddedKubernetes.installCrd(client);
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(
            c ->
                c.getStatus() != null
                    && c.getStatus().getConditions() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            cond ->
                                "Established".equals(cond.getType())
                                    && "True".equals(cond.getStatus())),
            30,
            TimeUnit.SECONDS);
  }

  /** The version directory found under KUBE_API_TEST_DIR, if any. */
  static Optional<String> availableVersion() {
    String dir = System.getenv("KUBE_API_TEST_DIR");
    if (dir == null || dir.isBlank()) {
      return Optional.empty();
    }
    Path k8s = Path.of(dir, "k8s");
    if (!Files.isDirectory(k8s)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(k8s)) {
      return versions
          .filter(
              p ->
                  Files.isExecutable(p.resolve("kube-apiserver"))
                      && Files.isExecutable(p.resolve("etcd")))
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith("-linux-amd64"))
          .map(n -> n.substring(0, n.length() - "-linux-amd64".length()))
          .sorted()
          .reduce((a, b) -> b);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** For {@code @EnabledIf}: skip, don't fail, where no binaries are installed. */
  static boolean isAvailable() {
    return availableVersion().isPresent();
  }

  static RealApiServer start() {
    String version = availableVersion().orElseThrow();
    return new RealApiServer(System.getenv("KUBE_API_TEST_DIR"), version);
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public boolean hasScaleSubresource() {
    return true;
  }

  @Override
  public boolean enforcesSchema() {
    return true;
  }

  @Override
  public void close() {
    client.close();
    server.stop();
  }
}
