package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The hashes of the VM-shaping spec recorded on each VM (see {@link Ownership#SOURCE_HASH} and
 * {@link Ownership#SPEC_HASH}). Short hex digests: they only have to tell specs of one group apart.
 */
public record SpecHash(String source, String spec) {

  public static SpecHash of(String template, String cloneMode, int cpu, long memoryMiB) {
    String source = digest("template=" + template + "\ncloneMode=" + cloneMode);
    return new SpecHash(source, digest(source + "\ncpu=" + cpu + "\nmemoryMiB=" + memoryMiB));
  }

  public Map<String, String> markers() {
    return Map.of(Ownership.SOURCE_HASH, source, Ownership.SPEC_HASH, spec);
  }

  /** Whether the VM was cloned from this spec's template with its clone mode. */
  public boolean sameSource(VmInfo vm) {
    return source.equals(vm.extraConfig().get(Ownership.SOURCE_HASH));
  }

  /** Whether the VM was last brought to exactly this spec. */
  public boolean sameSpec(VmInfo vm) {
    return spec.equals(vm.extraConfig().get(Ownership.SPEC_HASH));
  }

  private static String digest(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
