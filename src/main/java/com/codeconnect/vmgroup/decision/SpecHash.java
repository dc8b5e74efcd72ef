package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.AddressPoolSpec;
import com.codeconnect.vmgroup.api.v1alpha1.BootstrapSpec;
import com.codeconnect.vmgroup.api.v1alpha1.ExtraDiskSpec;
import com.codeconnect.vmgroup.api.v1alpha1.NetworkSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The hashes of the VM-shaping spec recorded on each VM (see {@link Ownership#SOURCE_HASH} and
 * {@link Ownership#SPEC_HASH}). Short hex digests: they only have to tell specs of one group apart.
 *
 * <p>The source hash covers what only a new VM can take: template and clone mode, and, when set,
 * coresPerSocket, the bootstrap (its inline user-data, or the content of the Secret it reads), the
 * networks with their address pools, and the extra disks. Those fields are appended to the text
 * hashed only when present, so a spec without them hashes exactly as before they existed and an
 * upgrade replaces no VM. The boot disk size is left out: a larger one is grown in place ({@link
 * Ownership#BOOT_DISK_GIB}).
 *
 * <p>Also left out, and never to be added: readiness, healthCheck, minReadySeconds,
 * progressDeadlineSeconds, placement.antiAffinity and placement.failureDomains. None is a property
 * a VM is cloned with: readiness and health are how the operator judges a running VM, the
 * anti-affinity rule lives in the cluster, and a VM's failure domain is fixed by its index and
 * recorded on it ({@link FailureDomains#MARKER}). In the hash they would replace every VM of a
 * group that adds a health check or a domain, and a hash of a group without them must stay what it
 * was, so an upgrade replaces nothing. The same holds for tags and custom attributes, which are
 * applied to running VMs in place.
 */
public record SpecHash(String source, String spec, String contentVersion) {

  public SpecHash(String source, String spec) {
    this(source, spec, null);
  }

  /**
   * The same hashes, with the version of the content library item the spec deploys from (null when
   * it wasn't looked up, or the group clones a template).
   */
  public SpecHash withContentVersion(String version) {
    return new SpecHash(source, spec, version);
  }

  public static SpecHash of(String template, String cloneMode, int cpu, long memoryMiB) {
    return of(template, cloneMode, "", cpu, memoryMiB);
  }

  /**
   * The hashes of a (valid) spec.
   *
   * @param bootstrapDigest {@link #contentDigest} of the value of the Secret key spec.bootstrap
   *     reads; null when it reads none. A change of it replaces the VMs, so it must be passed
   *     wherever the hash is computed.
   * @throws IllegalArgumentException when the bootstrap reads a Secret and no digest is given: a
   *     hash without it would differ from one with it, and tell VMs apart that aren't
   */
  public static SpecHash of(VmGroupSpec spec, String bootstrapDigest) {
    BootstrapSpec bootstrap = spec.getBootstrap();
    if (bootstrap != null && bootstrap.secretRef() != null && bootstrapDigest == null) {
      throw new IllegalArgumentException(
          "spec.bootstrap reads " + bootstrap.secretRef() + ": pass the digest of its content");
    }
    var library = spec.contentLibrary();
    return of(
        library == null
            ? spec.getTemplate()
            : "contentLibrary:" + library.getLibrary() + "/" + library.getItem(),
        spec.effectiveCloneMode().name(),
        shape(spec, bootstrapDigest),
        spec.getCpu(),
        spec.memoryMiB());
  }

  /** A digest of a Secret value (or any content) for {@link #of(VmGroupSpec, String)}. */
  public static String contentDigest(byte[] content) {
    return digest(content);
  }

  private static SpecHash of(
      String template, String cloneMode, String shape, int cpu, long memoryMiB) {
    String text = "template=" + template + "\ncloneMode=" + cloneMode;
    String source = digest(shape.isEmpty() ? text : text + "\n" + shape);
    return new SpecHash(source, digest(source + "\ncpu=" + cpu + "\nmemoryMiB=" + memoryMiB));
  }

  /**
   * The fields that only a new VM takes, one line each, in a fixed order; empty when none is set.
   * Defaults are written out (thin for an extra disk), so spelling one out changes nothing.
   */
  static String shape(VmGroupSpec spec, String bootstrapDigest) {
    List<String> lines = new ArrayList<>();
    if (spec.getCoresPerSocket() != null) {
      lines.add("coresPerSocket=" + spec.getCoresPerSocket());
    }
    BootstrapSpec b = spec.getBootstrap();
    if (b != null && b.getCloudInit() != null) {
      lines.add(
          b.getCloudInit().getUserData() != null
              ? "bootstrap=cloudInit userData=" + digest(b.getCloudInit().getUserData())
              : "bootstrap=cloudInit userDataSecretRef="
                  + ref(b.getCloudInit().getUserDataSecretRef())
                  + " content="
                  + bootstrapDigest);
    } else if (b != null && b.getLinuxPrep() != null) {
      lines.add(
          "bootstrap=linuxPrep domain="
              + b.getLinuxPrep().getDomain()
              + " timeZone="
              + b.getLinuxPrep().getTimeZone());
    } else if (b != null && b.getSysprep() != null) {
      lines.add(
          "bootstrap=sysprep unattendSecretRef="
              + ref(b.getSysprep().getUnattendSecretRef())
              + " content="
              + bootstrapDigest);
    }
    List<NetworkSpec> networks = spec.getNetworks() == null ? List.of() : spec.getNetworks();
    for (int i = 0; i < networks.size(); i++) {
      NetworkSpec n = networks.get(i);
      lines.add("network[" + i + "]=" + n.getName());
      AddressPoolSpec a = n.getAddresses();
      if (a != null) {
        lines.add(
            "network["
                + i
                + "].addresses=ranges"
                + a.getRanges()
                + " cidrs"
                + a.getCidrs()
                + " prefix="
                + a.getPrefix()
                + " gateway="
                + a.getGateway()
                + " dns"
                + a.getDnsServers()
                + " search"
                + a.getSearchDomains());
      }
    }
    List<ExtraDiskSpec> disks = spec.getExtraDisks() == null ? List.of() : spec.getExtraDisks();
    for (int i = 0; i < disks.size(); i++) {
      ExtraDiskSpec d = disks.get(i);
      lines.add(
          "extraDisk[" + i + "]=" + d.getSizeGiB() + "GiB " + d.effectiveProvisioning().name());
    }
    return String.join("\n", lines);
  }

  public Map<String, String> markers() {
    return contentVersion == null
        ? Map.of(Ownership.SOURCE_HASH, source, Ownership.SPEC_HASH, spec)
        : Map.of(
            Ownership.SOURCE_HASH,
            source,
            Ownership.SPEC_HASH,
            spec,
            Ownership.CONTENT_VERSION,
            contentVersion);
  }

  /**
   * Whether the VM was cloned from this spec's template, clone mode and other clone-only fields,
   * and, when the content library item's version is known, deployed from that version.
   */
  public boolean sameSource(VmInfo vm) {
    return source.equals(vm.extraConfig().get(Ownership.SOURCE_HASH))
        && (contentVersion == null
            || contentVersion.equals(vm.extraConfig().get(Ownership.CONTENT_VERSION)));
  }

  /** Whether the VM was last brought to exactly this spec. */
  public boolean sameSpec(VmInfo vm) {
    return spec.equals(vm.extraConfig().get(Ownership.SPEC_HASH));
  }

  private static String ref(com.codeconnect.vmgroup.api.v1alpha1.SecretKeyRef r) {
    return r.getName() + "/" + r.getKey();
  }

  private static String digest(String text) {
    return digest(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String digest(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
