package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Reads {@code spec} so that a malformed one never fails deserialization.
 *
 * <p>The informer deserializes every VmGroup of a list or watch event; one that fails (a string
 * where an integer belongs, a number past {@code int}, an unknown enum value) closes the watch and
 * fails every re-list, so the operator stops serving all groups, and a restart can't get past the
 * initial list. API servers that enforce the CRD schema refuse most such objects, but not all (a
 * replica count beyond {@code int} is a valid int64) and not every server enforces it. Jackson's
 * defaults are also too forgiving the other way: 1.5 would silently become 1 replica and {@code
 * "2"} two CPUs.
 *
 * <p>So each field is checked strictly against its Java type first, down through the model's nested
 * objects and lists ({@code spec.networks[0].addresses.prefix}); {@code memory} and the other
 * int-or-string fields take an integer or a string. A spec that passes is bound as usual; one that
 * doesn't becomes an {@link UnboundSpec}: the fields that were fine, the problems naming the others
 * (for the InvalidSpec condition), and the JSON exactly as received, which is what it serializes
 * back to, so a status write can't alter the user's spec.
 */
public final class SpecBinding extends JsonDeserializer<VmGroupSpec> {
  private static final int MAX_QUOTED = 40;

  /** Problems kept: the condition message stays readable whatever the spec holds. */
  private static final int MAX_PROBLEMS = 10;

  /**
   * The fields and their types of each model class, per mapper configuration (compared by identity;
   * a mapper keeps one). Jackson caches the deserializers it builds, not an introspection asked for
   * directly, and this runs for every VmGroup read: the informer's lists and watch events, and
   * every status write's response. Made each time, it was 14 of 123 JFR samples from the operator's
   * process start to its first status (introspection and its property collection, in 17 samples in
   * this class); a fresh JVM (C1 only, as deployed) read 200 VmGroups in 106-123 ms with it cached,
   * 115-156 ms without.
   */
  private static final Map<DeserializationConfig, Map<Class<?>, Map<String, JavaType>>> KNOWN =
      Collections.synchronizedMap(new WeakHashMap<>());

  private static Map<String, JavaType> fields(DeserializationContext ctxt, Class<?> type) {
    DeserializationConfig config = ctxt.getConfig();
    return KNOWN
        .computeIfAbsent(config, c -> new java.util.concurrent.ConcurrentHashMap<>())
        .computeIfAbsent(type, t -> introspect(config, t));
  }

  private static Map<String, JavaType> introspect(DeserializationConfig config, Class<?> type) {
    BeanDescription bean = config.introspect(config.constructType(type));
    Map<String, JavaType> known = new LinkedHashMap<>();
    for (BeanPropertyDefinition d : bean.findProperties()) {
      if (d.couldDeserialize()) {
        known.put(d.getName(), d.getPrimaryType());
      }
    }
    return Collections.unmodifiableMap(known);
  }

  @Override
  public VmGroupSpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonNode node = ctxt.readTree(p);
    return bind(node, ctxt);
  }

  private static VmGroupSpec bind(JsonNode node, DeserializationContext ctxt) throws IOException {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (!node.isObject()) {
      return new UnboundSpec()
          .received(node, List.of("spec must be an object, got " + describe(node)), Set.of("*"));
    }
    Map<String, JavaType> known = fields(ctxt, VmGroupSpec.class);
    List<String> problems = new ArrayList<>();
    Set<String> bad = new LinkedHashSet<>();
    ObjectNode usable = ctxt.getNodeFactory().objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      JavaType type = known.get(name);
      if (type == null) {
        problems.add(
            "spec."
                + bounded(name)
                + " is not a VmGroup field (known: "
                + String.join(", ", known.keySet())
                + ")");
        bad.add(name);
        continue;
      }
      if (value.isNull()) {
        continue; // as if absent: the API server prunes nulls too
      }
      int before = problems.size();
      check("spec." + name, type, value, ctxt, problems);
      if (problems.size() > before) {
        bad.add(name);
      } else {
        usable.set(name, value);
      }
    }
    if (problems.isEmpty()) {
      return ctxt.readTreeAsValue(node, VmGroupSpec.class);
    }
    if (problems.size() > MAX_PROBLEMS) {
      int more = problems.size() - MAX_PROBLEMS + 1;
      problems = new ArrayList<>(problems.subList(0, MAX_PROBLEMS - 1));
      problems.add("and " + more + " more problems");
    }
    // the fields that are fine still count, so validation reports their problems too
    UnboundSpec spec = ctxt.readTreeAsValue(usable, UnboundSpec.class);
    return spec.received(node, problems, bad);
  }

  /**
   * Adds to {@code problems} what keeps {@code value} from being a proper value of {@code type}.
   * The model's own classes and lists of them are checked field by field, so a nested value gets
   * the same strictness as a top-level one (Jackson would read {@code sizeGiB: 20.5} as 20).
   */
  private static void check(
      String field,
      JavaType type,
      JsonNode value,
      DeserializationContext ctxt,
      List<String> problems) {
    Class<?> raw = type.getRawClass();
    if (scalar(raw)) {
      String problem = scalarProblem(field, raw, value);
      if (problem != null) {
        problems.add(problem);
      }
      return;
    }
    if (type.isCollectionLikeType()) {
      if (!value.isArray()) {
        problems.add(field + " must be a list, got " + describe(value));
        return;
      }
      for (int i = 0; i < value.size(); i++) {
        JsonNode item = value.get(i);
        if (item.isNull()) {
          problems.add(field + "[" + i + "] must not be null");
        } else {
          check(field + "[" + i + "]", type.getContentType(), item, ctxt, problems);
        }
      }
      return;
    }
    if (type.isMapLikeType()) {
      // Jackson would turn a number into its text ("cost-center: 42" into "42"), which the API
      // server's schema refuses: the operator refuses it too
      if (!value.isObject()) {
        problems.add(field + " must be an object, got " + describe(value));
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String entry = field + "['" + bounded(e.getKey()) + "']";
        if (e.getValue().isNull()) {
          problems.add(entry + " must not be null");
        } else {
          check(entry, type.getContentType(), e.getValue(), ctxt, problems);
        }
      }
      return;
    }
    if (raw.getPackage() == SpecBinding.class.getPackage()) {
      if (!value.isObject()) {
        problems.add(field + " must be an object, got " + describe(value));
        return;
      }
      Map<String, JavaType> known = fields(ctxt, raw);
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        JavaType child = known.get(f.getKey());
        if (child == null) {
          problems.add(
              field
                  + "."
                  + bounded(f.getKey())
                  + " is not a field here (known: "
                  + String.join(", ", known.keySet())
                  + ")");
        } else if (!f.getValue().isNull()) {
          check(field + "." + f.getKey(), child, f.getValue(), ctxt, problems);
        }
      }
      return;
    }
    // another structured type: its own binding decides, and its message (minus the JSON
    // source excerpt, which could be large) names the problem
    try {
      ctxt.readTreeAsValue(value, type);
    } catch (JacksonException e) {
      problems.add(field + " is malformed: " + e.getOriginalMessage());
    } catch (IOException | RuntimeException e) {
      problems.add(field + " is malformed");
    }
  }

  private static boolean scalar(Class<?> raw) {
    return raw == Integer.class
        || raw == int.class
        || raw == IntOrString.class
        || raw == Long.class
        || raw == long.class
        || raw == Boolean.class
        || raw == boolean.class
        || raw == String.class
        || raw.isEnum();
  }

  /** Null when {@code value} is a proper value of the scalar type {@code raw}, else the problem. */
  private static String scalarProblem(String field, Class<?> raw, JsonNode value) {
    if (raw == Integer.class || raw == int.class) {
      if (!value.isIntegralNumber()) {
        return field + " must be an integer, got " + describe(value);
      }
      if (!value.canConvertToInt()) {
        return field + " must be an integer in the 32-bit range, got " + describe(value);
      }
      return null;
    }
    if (raw == IntOrString.class) {
      if (value.isTextual()) {
        return null;
      }
      if (!value.isIntegralNumber()) {
        return field + " must be an integer or a string, got " + describe(value);
      }
      return value.canConvertToInt()
          ? null
          : field + " must be an integer in the 32-bit range, got " + describe(value);
    }
    if (raw == Long.class || raw == long.class) {
      return value.isIntegralNumber() && value.canConvertToLong()
          ? null
          : field + " must be an integer, got " + describe(value);
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return value.isBoolean() ? null : field + " must be true or false, got " + describe(value);
    }
    if (raw == String.class) {
      return value.isTextual() ? null : field + " must be a string, got " + describe(value);
    }
    if (raw.isEnum()) {
      List<String> names =
          Arrays.stream(raw.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
      return value.isTextual() && names.contains(value.textValue())
          ? null
          : field + " must be one of " + String.join(", ", names) + ", got " + describe(value);
    }
    return null;
  }

  /** A short description of a JSON value for a message: its type and (bounded) text. */
  static String describe(JsonNode v) {
    if (v.isTextual()) {
      return "string \"" + bounded(v.textValue()) + "\"";
    }
    if (v.isNumber()) {
      return "number " + bounded(v.asText());
    }
    if (v.isBoolean()) {
      return "boolean " + v.asText();
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isObject()) {
      return "an object";
    }
    return v.getNodeType().name().toLowerCase();
  }

  private static String bounded(String s) {
    String visible = escapeControls(s);
    return visible.length() <= MAX_QUOTED ? visible : visible.substring(0, MAX_QUOTED) + "...";
  }

  private static String escapeControls(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04X", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.toString();
  }
}
