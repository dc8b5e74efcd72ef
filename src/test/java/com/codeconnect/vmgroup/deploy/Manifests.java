package com.codeconnect.vmgroup.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Renders kustomize overlays with {@code kubectl kustomize} and parses every document strictly into
 * Fabric8's model: an unknown field or a value of the wrong type fails the parse.
 *
 * <p>Fabric8's model classes keep unknown fields in {@code additionalProperties} through a Jackson
 * any-setter, so an ordinary parse accepts {@code spec.replica}. This mapper ignores any-setters
 * and fails on unknown properties, which makes the model behave like the API server's schema.
 */
final class Manifests {
  static final Path DEPLOY = Path.of("deploy").toAbsolutePath();

  /** The apiVersion/kind pairs a manifest may contain, and the model class each parses into. */
  static final Map<String, Class<? extends HasMetadata>> MODEL =
      Map.ofEntries(
          Map.entry("v1/Namespace", Namespace.class),
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
          Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
          Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
          Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
          Map.entry(
              "apiextensions.k8s.io/v1/CustomResourceDefinition", CustomResourceDefinition.class));

  /**
   * Kinds without a Fabric8 model class: parsed as generic resources and checked field by field in
   * the tests. Only the Prometheus Operator's ServiceMonitor (deploy/monitoring).
   */
  static final Map<String, String> GENERIC = Map.of("monitoring.coreos.com/v1/ServiceMonitor", "");

  private static final YAMLMapper STRICT = strictMapper();

  private Manifests() {}

  private static YAMLMapper strictMapper() {
    YAMLMapper mapper = new YAMLMapper();
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    mapper.disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    mapper.setAnnotationIntrospector(
        new JacksonAnnotationIntrospector() {
          @Override
          public Boolean hasAnySetter(Annotated a) {
            return Boolean.FALSE; // no additionalProperties: unknown fields are errors
          }
        });
    return mapper;
  }

  /** The output of {@code kubectl kustomize deploy/<overlay>}; skips the test without kubectl. */
  static String render(String overlay) {
    assumeTrue(
        kubectlAvailable(),
        "kubectl is not on the PATH: skipping the rendering of deploy/" + overlay);
    Path dir = DEPLOY.resolve(overlay);
    try {
      Process p =
          new ProcessBuilder("kubectl", "kustomize", dir.toString())
              .redirectErrorStream(false)
              .start();
      p.getOutputStream().close();
      byte[] out;
      byte[] err;
      try (InputStream stdout = p.getInputStream();
          InputStream stderr = p.getErrorStream()) {
        out = stdout.readAllBytes();
        err = stderr.readAllBytes();
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl kustomize " + dir + " did not finish in 60s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(
            "kubectl kustomize "
                + dir
                + " failed ("
                + p.exitValue()
                + "): "
                + new String(err, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("could not run kubectl kustomize " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static volatile Boolean kubectl;

  static boolean kubectlAvailable() {
    if (kubectl == null) {
      boolean found = false;
      String path = System.getenv("PATH");
      if (path != null) {
        for (String dir : path.split(java.io.File.pathSeparator)) {
          if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
            found = true;
            break;
          }
        }
      }
      kubectl = found;
    }
    return kubectl;
  }

  /** Parses every document of a multi-document YAML stream strictly (see the class comment). */
  static List<HasMetadata> parseAll(String yaml) {
    List<HasMetadata> resources = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = STRICT.readerFor(JsonNode.class).readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        resources.add(parse(doc));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not YAML: " + e.getMessage(), e);
    }
    return resources;
  }

  static HasMetadata parse(JsonNode doc) {
    String apiVersion = doc.path("apiVersion").asText("");
    String kind = doc.path("kind").asText("");
    String type = apiVersion + "/" + kind;
    String name = doc.path("metadata").path("name").asText("?");
    Class<? extends HasMetadata> model = MODEL.get(type);
    try {
      if (model != null) {
        return STRICT.treeToValue(doc, model);
      }
      if (GENERIC.containsKey(type)) {
        return STRICT
            .copy()
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector())
            .treeToValue(doc, GenericKubernetesResource.class);
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          type + " " + name + " is not a valid object: " + e.getOriginalMessage(), e);
    }
    throw new IllegalArgumentException(
        type
            + " "
            + name
            + " has no model here; add it to Manifests.MODEL (or GENERIC) on purpose");
  }

  static <T extends HasMetadata> List<T> ofType(List<HasMetadata> all, Class<T> type) {
    return all.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T one(List<HasMetadata> all, Class<T> type) {
    List<T> found = ofType(all, type);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }
}
