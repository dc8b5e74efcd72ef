package com.codeconnect.vmgroup.api.v1alpha1;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code spec.memory}: a whole number of GiB (the seed's form) or a Kubernetes quantity string, and
 * the MiB it comes to. vSphere sizes memory in MiB, in multiples of 4 MiB, up to 24 TiB.
 */
public final class MemoryQuantity {
  public static final int MIN_GIB = 1;

  /** vSphere's limit for a VM's memory: 24 TiB. */
  public static final int MAX_GIB = 24 * 1024;

  public static final long MAX_MIB = MAX_GIB * 1024L;

  /** vSphere's granularity for a VM's memory. */
  public static final long MULTIPLE_MIB = 4;

  /**
   * The quantity forms accepted: a whole or decimal number with an optional binary or decimal unit.
   * Exponents and milli-units make no sense for memory and are left out. The CRD's CEL rule uses
   * the same expression; {@code [.]} keeps it free of backslashes, which CEL and Java would each
   * want escaped.
   */
  public static final String QUANTITY_PATTERN = "^[0-9]+([.][0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$";

  private static final Pattern QUANTITY = Pattern.compile(QUANTITY_PATTERN);
  private static final BigInteger MIB = BigInteger.valueOf(1024L * 1024L);

  private static final Map<String, BigInteger> FACTORS =
      Map.of(
          "", BigInteger.ONE,
          "Ki", BigInteger.ONE.shiftLeft(10),
          "Mi", BigInteger.ONE.shiftLeft(20),
          "Gi", BigInteger.ONE.shiftLeft(30),
          "Ti", BigInteger.ONE.shiftLeft(40),
          "k", BigInteger.TEN.pow(3),
          "M", BigInteger.TEN.pow(6),
          "G", BigInteger.TEN.pow(9),
          "T", BigInteger.TEN.pow(12));

  private MemoryQuantity() {}

  /** The MiB a valid value comes to; throws with {@link #problem}'s message for an invalid one. */
  public static long toMiB(IntOrString memory) {
    String problem = problem(memory);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return memory.getIntVal() != null
        ? memory.getIntVal() * 1024L
        : bytes(memory.getStrVal()).divide(MIB).longValueExact();
  }

  /** Null when {@code memory} is a usable size, else what is wrong, naming spec.memory. */
  public static String problem(IntOrString memory) {
    if (memory == null || (memory.getIntVal() == null && memory.getStrVal() == null)) {
      return "spec.memory is required";
    }
    Integer gib = memory.getIntVal();
    if (gib != null) {
      return gib < MIN_GIB || gib > MAX_GIB
          ? "spec.memory must be between " + MIN_GIB + " and " + MAX_GIB + " (GiB), got " + gib
          : null;
    }
    String text = memory.getStrVal();
    String quoted = "spec.memory \"" + shown(text) + "\"";
    if (!QUANTITY.matcher(text).matches()) {
      return quoted
          + " is not a quantity: write a whole number of GiB (16) or a number with a unit such as"
          + " 1536Mi or 16Gi";
    }
    String problem = sizeProblem(text);
    if (problem != null && suffix(text).isEmpty()) {
      // the likeliest mistake: "2" meant as GiB, but a quantity without a unit counts bytes
      problem += " (a quantity without a unit counts bytes: write 2Gi or 1536Mi)";
    }
    return problem == null ? null : quoted + problem;
  }

  private static String sizeProblem(String text) {
    BigDecimal exact = exactBytes(text);
    if (exact.signum() == 0 || exact.stripTrailingZeros().scale() > 0) {
      return " is not a whole, positive number of bytes";
    }
    BigInteger bytes = exact.toBigIntegerExact();
    BigInteger step = MIB.multiply(BigInteger.valueOf(MULTIPLE_MIB));
    if (bytes.compareTo(step) < 0) {
      return " is less than vSphere's smallest memory size, " + MULTIPLE_MIB + " MiB";
    }
    if (bytes.compareTo(MIB.multiply(BigInteger.valueOf(MAX_MIB))) > 0) {
      return " is more than vSphere's limit of 24 TiB (" + MAX_MIB + " MiB)";
    }
    if (bytes.mod(step).signum() != 0) {
      String suffix = suffix(text);
      BigDecimal mib = exact.divide(new BigDecimal(MIB), 2, RoundingMode.HALF_UP);
      return " comes to "
          + mib.stripTrailingZeros().toPlainString()
          + " MiB, not a multiple of "
          + MULTIPLE_MIB
          + " MiB"
          + (suffix.length() == 1
              ? " (" + suffix + " counts powers of 10, " + suffix.toUpperCase() + "i powers of 2)"
              : "");
    }
    return null;
  }

  /** The value as the user wrote it, for tables: {@code 16} or {@code 1536Mi}. */
  public static String text(IntOrString memory) {
    if (memory == null) {
      return null;
    }
    return memory.getIntVal() != null ? memory.getIntVal().toString() : memory.getStrVal();
  }

  private static BigInteger bytes(String text) {
    return exactBytes(text).toBigIntegerExact();
  }

  private static BigDecimal exactBytes(String text) {
    Matcher m = QUANTITY.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a quantity: " + text);
    }
    String suffix = m.group(2) == null ? "" : m.group(2);
    String number = text.substring(0, text.length() - suffix.length());
    return new BigDecimal(number).multiply(new BigDecimal(FACTORS.get(suffix)));
  }

  private static String suffix(String text) {
    Matcher m = QUANTITY.matcher(text);
    return m.matches() && m.group(2) != null ? m.group(2) : "";
  }

  private static String shown(String s) {
    String visible = s.replaceAll("\\p{Cntrl}", "?");
    return visible.length() <= 40 ? visible : visible.substring(0, 40) + "...";
  }
}
