package com.codeconnect.vmgroup.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders the API reference (Markdown) from the generated CRD, so the reference says exactly what
 * the schema enforces and can't drift from it: the build regenerates and compares it like the CRD.
 */
public final class ApiReference {
  private ApiReference() {}

  /** One document for several kinds, in the order given. */
  public static String render(List<CustomResourceDefinition> crds) {
    StringBuilder md = new StringBuilder();
    for (CustomResourceDefinition crd : crds) {
      md.append(render(crd));
    }
    return md.toString();
  }

  public static String render(CustomResourceDefinition crd) {
    StringBuilder md = new StringBuilder();
    var spec = crd.getSpec();
    md.append("# API reference: ").append(spec.getNames().getKind()).append("\n\n");
    md.append(
        "Generated from the CRD (`deploy/crd/`), which is generated from the Java model in"
            + " `src/main/java/com/codeconnect/vmgroup/api/`; `mvn process-classes"
            + " -Dcrd.update=true` refreshes both. `kubectl explain "
            + spec.getNames().getSingular()
            + ".spec` shows the same"
            + " descriptions.\n\n");
    md.append("| | |\n|---|---|\n");
    md.append("| Group | `").append(spec.getGroup()).append("` |\n");
    md.append("| Kind | `").append(spec.getNames().getKind()).append("` |\n");
    md.append("| Plural | `").append(spec.getNames().getPlural()).append("` |\n");
    if (spec.getNames().getShortNames() != null && !spec.getNames().getShortNames().isEmpty()) {
      md.append("| Short names | `")
          .append(String.join("`, `", spec.getNames().getShortNames()))
          .append("` |\n");
    }
    md.append("| Scope | ").append(spec.getScope()).append(" |\n\n");
    for (CustomResourceDefinitionVersion version : spec.getVersions()) {
      version(md, spec.getGroup(), version);
    }
    return md.toString();
  }

  private static void version(
      StringBuilder md, String group, CustomResourceDefinitionVersion version) {
    md.append("## ").append(group).append("/").append(version.getName()).append("\n\n");
    if (version.getSubresources() != null) {
      List<String> sub = new ArrayList<>();
      if (version.getSubresources().getStatus() != null) {
        sub.add("`status`");
      }
      if (version.getSubresources().getScale() != null) {
        sub.add(
            "`scale` (spec: `"
                + version.getSubresources().getScale().getSpecReplicasPath()
                + "`, status: `"
                + version.getSubresources().getScale().getStatusReplicasPath()
                + "`)");
      }
      md.append("Subresources: ").append(String.join(", ", sub)).append("\n\n");
    }
    if (version.getAdditionalPrinterColumns() != null
        && !version.getAdditionalPrinterColumns().isEmpty()) {
      md.append("`kubectl get` columns: ");
      md.append(
          String.join(
              ", ",
              version.getAdditionalPrinterColumns().stream()
                  .map(c -> c.getName() + " (`" + c.getJsonPath() + "`)")
                  .toList()));
      md.append("\n\n");
    }
    Map<String, JSONSchemaProps> top = version.getSchema().getOpenAPIV3Schema().getProperties();
    for (String section : List.of("spec", "status")) {
      JSONSchemaProps props = top.get(section);
      if (props == null) {
        continue;
      }
      md.append("### ").append(section).append("\n\n");
      if (props.getDescription() != null) {
        md.append(props.getDescription()).append("\n\n");
      }
      md.append("| Field | Type | Required | Rules | Description |\n");
      md.append("|---|---|---|---|---|\n");
      fields(md, section, props);
      md.append("\n");
      rules(md, section, props);
    }
  }

  private static void fields(StringBuilder md, String path, JSONSchemaProps schema) {
    if (schema.getProperties() == null) {
      return;
    }
    Set<String> required =
        schema.getRequired() == null ? Set.of() : Set.copyOf(schema.getRequired());
    for (var e : schema.getProperties().entrySet()) {
      String field = path + "." + e.getKey();
      JSONSchemaProps p = e.getValue();
      md.append("| `")
          .append(field)
          .append("` | ")
          .append(type(p))
          .append(" | ")
          .append(required.contains(e.getKey()) ? "yes" : "")
          .append(" | ")
          .append(constraints(p))
          .append(" | ")
          .append(cell(p.getDescription()))
          .append(" |\n");
      fields(md, field, p);
      if (p.getItems() != null && p.getItems().getSchema() != null) {
        fields(md, field + "[]", p.getItems().getSchema());
      }
    }
  }

  /** The CEL rules, listed with the object they sit on: they usually span several fields. */
  private static void rules(StringBuilder md, String path, JSONSchemaProps schema) {
    List<String> lines = new ArrayList<>();
    collectRules(lines, path, schema);
    if (!lines.isEmpty()) {
      md.append("Rules checked by the API server (CEL `x-kubernetes-validations`):\n\n");
      lines.forEach(l -> md.append(l).append("\n"));
      md.append("\n");
    }
  }

  private static void collectRules(List<String> lines, String path, JSONSchemaProps schema) {
    if (schema.getXKubernetesValidations() != null) {
      for (ValidationRule rule : schema.getXKubernetesValidations()) {
        lines.add(
            "- `"
                + path
                + "`: "
                + rule.getMessage()
                + " (`"
                + rule.getRule().replace("|", "\\|")
                + "`)");
      }
    }
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((k, v) -> collectRules(lines, path + "." + k, v));
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      collectRules(lines, path + "[]", schema.getItems().getSchema());
    }
  }

  private static String type(JSONSchemaProps p) {
    if (Boolean.TRUE.equals(p.getXKubernetesIntOrString())) {
      return "integer or string";
    }
    if ("array".equals(p.getType()) && p.getItems() != null && p.getItems().getSchema() != null) {
      return "array of " + p.getItems().getSchema().getType();
    }
    return p.getType() == null ? "" : p.getType();
  }

  private static String constraints(JSONSchemaProps p) {
    List<String> c = new ArrayList<>();
    if (p.getMinimum() != null) {
      c.add("≥ " + p.getMinimum().longValue());
    }
    if (p.getMaximum() != null) {
      c.add("≤ " + p.getMaximum().longValue());
    }
    if (p.getMinItems() != null) {
      c.add("at least " + p.getMinItems() + " items");
    }
    if (p.getMaxItems() != null) {
      c.add("at most " + p.getMaxItems() + " items");
    }
    if (p.getMaxLength() != null) {
      c.add("at most " + p.getMaxLength() + " characters");
    }
    if (p.getPattern() != null) {
      c.add("pattern `" + p.getPattern().replace("|", "\\|") + "`");
    }
    if (p.getEnum() != null && !p.getEnum().isEmpty()) {
      c.add(
          "one of "
              + String.join(", ", p.getEnum().stream().map(v -> "`" + v.asText() + "`").toList()));
    }
    if (p.getMaxProperties() != null) {
      c.add("at most " + p.getMaxProperties() + " entries");
    }
    if (p.getXKubernetesValidations() != null && !p.getXKubernetesValidations().isEmpty()) {
      c.add("CEL rule (below)");
    }
    // a list of strings or a map's values: their own bounds, which no row of their own shows
    JSONSchemaProps item = p.getItems() == null ? null : p.getItems().getSchema();
    if (item != null
        && (item.getProperties() == null || item.getProperties().isEmpty())
        && !constraints(item).isEmpty()) {
      c.add("each item: " + constraints(item));
    }
    JSONSchemaProps value =
        p.getAdditionalProperties() == null ? null : p.getAdditionalProperties().getSchema();
    if (value != null && !constraints(value).isEmpty()) {
      c.add("each value: " + type(value) + ", " + constraints(value));
    }
    return String.join("; ", c);
  }

  private static String cell(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
  }
}
