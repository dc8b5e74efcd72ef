package com.codeconnect.vmgroup.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bad-input corpus: VmGroup manifests in {@code src/test/resources/bad-specs}, each with its
 * expected outcome in a comment header:
 *
 * <pre>
 * # reason: InvalidSpec                      the Degraded condition's reason
 * # message: spec.cpu must be ...            substrings of its message (one or more lines)
 * # absent: metadata.name                    a substring the message must not have (optional)
 * # detected: validation | template-lookup   offline validation, or the template lookup in vCenter
 * # schema: accepts | rejects PATH KEYWORD   what the generated CRD schema does with it
 * # apiserver: rejects metadata.name         a built-in API server rule (not the CRD schema):
 *                                            metadata.name, or spec.replicas (the scale
 *                                            subresource's replicas path must hold an int32)
 * # cel: RULE                                an x-kubernetes-validations rule that rejects it
 * # mock: unaddressable                      Fabric8's mock can't address it by name
 * </pre>
 */
public final class BadSpecCorpus {
  public static final Path DIR = Path.of("src/test/resources/bad-specs");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private BadSpecCorpus() {}

  /** One manifest and what should happen to it. */
  public record Entry(
      String file,
      String yaml,
      JsonNode json,
      String reason,
      List<String> messages,
      String absent,
      String detected,
      String schema,
      String apiServer,
      String cel,
      boolean unaddressableOnMock) {

    public String name() {
      return json.path("metadata").path("name").asText();
    }

    /** True when a real API server refuses to store it (schema, CEL or a built-in rule). */
    public boolean refusedByApiServer() {
      return schema.startsWith("rejects") || apiServer != null || cel != null;
    }

    public boolean detectedOffline() {
      return detected.equals("validation");
    }

    @Override
    public String toString() {
      return file;
    }
  }

  public static List<Entry> all() {
    try (Stream<Path> files = Files.list(DIR)) {
      List<Entry> out = new ArrayList<>();
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        out.add(read(f));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Entry read(Path f) throws IOException {
    String yaml = Files.readString(f, StandardCharsets.UTF_8);
    String reason = null;
    String absent = null;
    String detected = null;
    String schema = null;
    String apiServer = null;
    String cel = null;
    boolean unaddressable = false;
    List<String> messages = new ArrayList<>();
    for (String line : yaml.split("\n")) {
      if (!line.startsWith("# ")) {
        continue;
      }
      String h = line.substring(2);
      int colon = h.indexOf(": ");
      if (colon < 0) {
        continue;
      }
      String key = h.substring(0, colon);
      String value = h.substring(colon + 2);
      switch (key) {
        case "reason" -> reason = value;
        case "message" -> messages.add(value);
        case "absent" -> absent = value;
        case "detected" -> detected = value;
        case "schema" -> schema = value;
        case "apiserver" -> apiServer = value;
        case "cel" -> cel = value;
        case "mock" -> unaddressable = value.equals("unaddressable");
        default -> {
          // free-text notes
        }
      }
    }
    String file = f.getFileName().toString();
    if (reason == null || messages.isEmpty() || detected == null || schema == null) {
      throw new IllegalStateException(
          file + ": header needs reason, message, detected and schema lines");
    }
    JsonNode json = SERIALIZATION.unmarshal(yaml, JsonNode.class);
    return new Entry(
        file,
        yaml,
        json,
        reason,
        messages,
        absent,
        detected,
        schema,
        apiServer,
        cel,
        unaddressable);
  }
}
