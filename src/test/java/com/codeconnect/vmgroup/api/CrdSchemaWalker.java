package com.codeconnect.vmgroup.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a kube-apiserver's structural-schema validation would say about an object, for the subset of
 * OpenAPI the CRD uses: type, required, minimum/maximum, pattern, enum, lengths, items, properties
 * and additionalProperties (with maxProperties). Unknown fields are pruned (not errors) and nulls
 * count as absent, as on a real server. CEL rules can't be evaluated here; {@link #celRules} lists
 * them so tests can show that each one exists.
 *
 * <p>Each violation is {@code "<path> <keyword>"}, e.g. {@code "spec.cpu maximum"}.
 */
public final class CrdSchemaWalker {
  private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private CrdSchemaWalker() {}

  public static List<String> violations(JSONSchemaProps schema, JsonNode object) {
    List<String> out = new ArrayList<>();
    walk(schema, object, "", out);
    return out;
  }

  /** Every x-kubernetes-validations rule in the schema, as {@code "<path> <rule>"}. */
  public static List<String> celRules(JSONSchemaProps schema) {
    List<String> out = new ArrayList<>();
    rules(schema, "", out);
    return out;
  }

  private static void rules(JSONSchemaProps s, String path, List<String> out) {
    if (s == null) {
      return;
    }
    if (s.getXKubernetesValidations() != null) {
      for (ValidationRule r : s.getXKubernetesValidations()) {
        out.add((path.isEmpty() ? "." : path) + " " + r.getRule());
      }
    }
    if (s.getProperties() != null) {
      s.getProperties().forEach((k, v) -> rules(v, join(path, k), out));
    }
    if (s.getItems() != null && s.getItems().getSchema() != null) {
      rules(s.getItems().getSchema(), path + "[]", out);
    }
  }

  private static void walk(JSONSchemaProps s, JsonNode v, String path, List<String> out) {
    if (s == null || v == null || v.isNull() || v.isMissingNode()) {
      return;
    }
    String where = path.isEmpty() ? "." : path;
    if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
      if (!v.isIntegralNumber() && !v.isTextual()) {
        out.add(where + " type");
      }
      return;
    }
    String type = s.getType();
    if (type != null && !hasType(type, v)) {
      out.add(where + " type");
      return; // the other keywords assume the type
    }
    if (s.getEnum() != null && !s.getEnum().isEmpty() && !s.getEnum().contains(v)) {
      out.add(where + " enum");
    }
    if (v.isNumber()) {
      double d = v.doubleValue();
      if (s.getMinimum() != null
          && (d < s.getMinimum()
              || (Boolean.TRUE.equals(s.getExclusiveMinimum()) && d == s.getMinimum()))) {
        out.add(where + " minimum");
      }
      if (s.getMaximum() != null
          && (d > s.getMaximum()
              || (Boolean.TRUE.equals(s.getExclusiveMaximum()) && d == s.getMaximum()))) {
        out.add(where + " maximum");
      }
    }
    if (v.isTextual()) {
      String text = v.textValue();
      long length = text.codePointCount(0, text.length());
      if (s.getPattern() != null && !Pattern.compile(s.getPattern()).matcher(text).find()) {
        out.add(where + " pattern");
      }
      if (s.getMaxLength() != null && length > s.getMaxLength()) {
        out.add(where + " maxLength");
      }
      if (s.getMinLength() != null && length < s.getMinLength()) {
        out.add(where + " minLength");
      }
    }
    if (v.isObject()) {
      if (s.getMaxProperties() != null && v.size() > s.getMaxProperties()) {
        out.add(where + " maxProperties");
      }
      if (s.getRequired() != null) {
        for (String r : s.getRequired()) {
          JsonNode child = v.get(r);
          if (child == null || child.isNull()) {
            out.add(where + " required");
            break;
          }
        }
      }
      Map<String, JSONSchemaProps> props = s.getProperties();
      var fields = v.fields();
      while (fields.hasNext()) {
        var f = fields.next();
        JSONSchemaProps child = props == null ? null : props.get(f.getKey());
        if (child == null
            && s.getAdditionalProperties() != null
            && s.getAdditionalProperties().getSchema() != null) {
          child = s.getAdditionalProperties().getSchema();
        }
        walk(child, f.getValue(), join(path, f.getKey()), out);
      }
    }
    if (v.isArray()) {
      if (s.getMaxItems() != null && v.size() > s.getMaxItems()) {
        out.add(where + " maxItems");
      }
      if (s.getMinItems() != null && v.size() < s.getMinItems()) {
        out.add(where + " minItems");
      }
      if (s.getItems() != null && s.getItems().getSchema() != null) {
        for (int i = 0; i < v.size(); i++) {
          walk(s.getItems().getSchema(), v.get(i), path + "[" + i + "]", out);
        }
      }
    }
  }

  /**
   * The API server decodes JSON numbers into int64 when they have no fraction or exponent and fit,
   * else into float64; "integer" accepts the first, and floats that are whole and exact (up to
   * 2^53).
   */
  private static boolean hasType(String type, JsonNode v) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "boolean" -> v.isBoolean();
      case "number" -> v.isNumber();
      case "integer" -> {
        if (v.isIntegralNumber()) {
          BigInteger b = v.bigIntegerValue();
          yield b.compareTo(INT64_MIN) >= 0 && b.compareTo(INT64_MAX) <= 0;
        }
        yield v.isFloatingPointNumber()
            && v.doubleValue() == Math.rint(v.doubleValue())
            && Math.abs(v.doubleValue()) <= (1L << 53);
      }
      default -> true;
    };
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
