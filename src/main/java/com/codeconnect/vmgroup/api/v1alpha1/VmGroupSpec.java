package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The declared shape of a group: how many VMs, how big, cloned from what. */
@ValidationRule(value = SpecRules.PLACEMENT_FIXED, message = SpecRules.PLACEMENT_FIXED_MESSAGE)
@ValidationRule(
    value = "!has(oldSelf.vcenter) || (has(self.vcenter) && self.vcenter == oldSelf.vcenter)",
    message =
        "vcenter can't change or be removed once set: the VMs would be left behind; create a new"
            + " group instead")
@ValidationRule(value = SpecRules.CORES_DIVIDE_CPU, message = SpecRules.CORES_DIVIDE_CPU_MESSAGE)
@ValidationRule(
    value = SpecRules.ADDRESSES_NEED_BOOTSTRAP,
    message = SpecRules.ADDRESSES_NEED_BOOTSTRAP_MESSAGE)
@ValidationRule(value = SpecRules.LINKED_DISK_FIXED, message = SpecRules.LINKED_DISK_FIXED_MESSAGE)
@ValidationRule(
    value = SpecRules.DEADLINE_AFTER_MIN_READY,
    message = SpecRules.DEADLINE_AFTER_MIN_READY_MESSAGE)
@ValidationRule(value = SpecRules.ONE_SOURCE, message = SpecRules.ONE_SOURCE_MESSAGE)
@ValidationRule(
    value = SpecRules.LIBRARY_CLONES_FULL,
    message = SpecRules.LIBRARY_CLONES_FULL_MESSAGE)
@ValidationRule(
    value = SpecRules.DOMAIN_NETWORKS_MATCH,
    message = SpecRules.DOMAIN_NETWORKS_MATCH_MESSAGE)
public class VmGroupSpec {
  public static final int MIN_CPU = 1;

  /** vSphere's limit of virtual CPUs per VM (hardware version 20). */
  public static final int MAX_CPU = 768;

  /** vSphere's limit of network adapters per VM. */
  public static final int MAX_NETWORKS = 10;

  /**
   * Extra disks per VM: they go on the boot disk's SCSI controller, which has 15 units besides its
   * own, one of them the boot disk's.
   */
  public static final int MAX_EXTRA_DISKS = 14;

  @Required
  @Min(MIN_CPU)
  @Max(MAX_CPU)
  @JsonPropertyDescription(
      "Number of virtual CPUs of each VM, 1 to 768 (vSphere's limit; the host must have as many"
          + " logical CPUs).")
  private Integer cpu;

  @Required
  @ValidationRule(value = SpecRules.MEMORY_RULE, message = SpecRules.MEMORY_RULE_MESSAGE)
  @JsonPropertyDescription(
      "Memory of each VM: a whole number of GiB (1 to 24576), or a quantity such as 1536Mi or"
          + " 16Gi. It must come to a multiple of 4 MiB and at most 24 TiB (vSphere's limits);"
          + " k, M, G and T count powers of 10 (16G is not a multiple of 4 MiB), Ki, Mi, Gi and"
          + " Ti powers of 2. kubectl get shows it as written.")
  private IntOrString memory;

  @Required
  @Min(0)
  @SpecReplicas
  @JsonPropertyDescription(
      "Number of VMs in the group. 0 scales the group to zero and keeps its folder.")
  private Integer replicas;

  @Pattern("\\S")
  @JsonPropertyDescription(
      "VM or template to clone from: a name, searched in the whole datacenter and required to be"
          + " unique there, or an inventory path such as /DC0/vm/templates/ubuntu (a path"
          + " without a leading slash is taken relative to the datacenter's VM folder). Exactly"
          + " one of template and source is set.")
  private String template;

  @JsonPropertyDescription(
      "Where VMs come from instead of a template of the inventory: a content library item."
          + " Exactly one of template and source is set.")
  private SourceSpec source;

  /** What happens to the VMs when the group is deleted. */
  public enum DeletionPolicy {
    /** Power off and destroy the group's VMs and its folder. */
    Delete,
    /** Leave VMs and folder in vCenter and remove the operator's ownership markers. */
    Retain
  }

  @JsonPropertyDescription(
      "Delete (default): deleting the group powers off and destroys its VMs and folder. Retain:"
          + " they stay in vCenter as ordinary VMs (the operator's markers are removed).")
  private DeletionPolicy deletionPolicy;

  /** How a VM is cloned from the template. */
  public enum CloneMode {
    /** An independent copy of the template's disks. */
    full,
    /** Disks that share the template's current snapshot: fast to create, small on disk. */
    linked
  }

  @JsonPropertyDescription(
      "full (default): each VM gets its own copy of the template's disks. linked: VMs share the"
          + " template's current snapshot as a read-only base (fast, thin); the template must have"
          + " a snapshot. Changing it replaces the VMs like a template change.")
  private CloneMode cloneMode;

  @JsonPropertyDescription(
      "How existing VMs follow a change of template, cloneMode, cpu, memory, coresPerSocket,"
          + " bootstrap, networks or extraDisks. Default:"
          + " RollingUpdate with maxUnavailable 1 and maxSurge 0: one VM at a time, no extra VMs,"
          + " and a replaced VM's successor gets its name.")
  private UpdateStrategy updateStrategy;

  @JsonPropertyDescription(
      "Where the VMs go: datacenter, cluster or resource pool, datastore and root folder, each"
          + " defaulting to the operator's setting and fixed once the group exists; or failure"
          + " domains to spread the VMs over, and an anti-affinity rule, which can change.")
  private PlacementSpec placement;

  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Name of the VCenter resource whose vCenter holds the VMs; it must allow the group's"
          + " namespace. Default: the one VCenter that allows the namespace, else the operator's"
          + " own vCenter (its environment settings). Can be set later (to pin a group to where its"
          + " VMs are), not changed or removed once set.")
  private String vcenter;

  @Min(1)
  @Max(MAX_CPU)
  @JsonPropertyDescription(
      "Cores per virtual socket; cpu must be a multiple of it (cpu 8 with coresPerSocket 4 is"
          + " two sockets of four cores), as guest OS licences and NUMA layouts may need. Not set:"
          + " the template's. A change replaces the VMs (following updateStrategy).")
  private Integer coresPerSocket;

  @JsonPropertyDescription(
      "How each VM's guest OS is set up at first boot: at most one of cloudInit, linuxPrep and"
          + " sysprep. Not set: the guest boots as the template left it. A change (also of a"
          + " referenced Secret's content) replaces the VMs (following updateStrategy).")
  private BootstrapSpec bootstrap;

  @Size(max = MAX_NETWORKS)
  @JsonPropertyDescription(
      "The VMs' network adapters in order, at most 10 (vSphere's limit): the first entry is the"
          + " first adapter. The template's adapters are connected to these networks in order,"
          + " missing ones added (vmxnet3) and surplus ones removed. Not set: the template's"
          + " adapters as they are. A change replaces the VMs (following updateStrategy).")
  private List<NetworkSpec> networks;

  @JsonPropertyDescription(
      "The boot disk (the template's first disk). Not set: as in the template. Growing it"
          + " doesn't replace the VMs.")
  private DiskSpec disk;

  @Size(max = MAX_EXTRA_DISKS)
  @JsonPropertyDescription(
      "Disks added to each VM after the template's, in order, at most 14 (they share the boot"
          + " disk's SCSI controller). A change replaces the VMs (following updateStrategy).")
  private List<ExtraDiskSpec> extraDisks;

  @JsonPropertyDescription(
      "When a running VM counts as ready, for status.readyReplicas, the Ready condition,"
          + " status.vms[].ready, rollouts and healthCheck. Not set: powered on with the spec's"
          + " CPU and memory. Not a property of the VMs: changing it replaces none.")
  private ReadinessSpec readiness;

  @JsonPropertyDescription(
      "Replaces VMs that stay not ready too long (spec.readiness), with a brake for many at once."
          + " Not set: no VM is replaced for not being ready. Never acts on a paused group, nor"
          + " while vCenter can't be reached (a VM whose state is unknown is not unhealthy).")
  private HealthCheckSpec healthCheck;

  @Min(0)
  @Max(MAX_MIN_READY_SECONDS)
  @JsonPropertyDescription(
      "Seconds a new VM must have been ready before it counts as available, as in a Deployment:"
          + " a rollout takes the next old VM down (within maxUnavailable) only once new ones are"
          + " available. 0 to 86400; default 0.")
  private Integer minReadySeconds;

  @Min(1)
  @JsonPropertyDescription(
      "Seconds the group may go without progress (a new VM becoming available, an old one"
          + " replaced) while it isn't all ready and up to date; then the rollout stops, as in a"
          + " Deployment: Progressing=False and Degraded with reason ProgressDeadlineExceeded, the"
          + " old VMs are kept running and VMs of the new spec that never became ready are not"
          + " replaced (spec.healthCheck). Progress, or a new spec, starts the clock again; so"
          + " does deleting a failed VM in vCenter. Must be more than minReadySeconds. Not set:"
          + " no deadline.")
  private Integer progressDeadlineSeconds;

  /** A day: longer than any boot, and short enough to notice a mistake in units. */
  public static final int MAX_MIN_READY_SECONDS = 86400;

  @Size(max = NativeMetadata.MAX_TAGS)
  @JsonPropertyDescription(
      "vSphere tags attached to every VM, each as category/tag (one '/'; names as in vCenter, at"
          + " most 255 characters each), at most 32. Kept in sync in place, without replacing"
          + " VMs: a tag removed by hand comes back, a tag added by hand is left alone, and one"
          + " removed from this list is detached where the operator attached it. A category or"
          + " tag that doesn't exist is reported (Degraded, TagNotFound) and not created; no tag"
          + " is attached or detached until it exists. Needs vSphere Tagging > Assign or Unassign"
          + " vSphere Tag on the VMs.")
  private List<
          @Pattern(NativeMetadata.TAG_PATTERN) @Size(max = NativeMetadata.MAX_TAG_LENGTH) String>
      tags;

  @Size(max = NativeMetadata.MAX_ATTRIBUTES)
  @ValidationRule(
      value = NativeMetadata.ATTRIBUTE_NAMES,
      message = NativeMetadata.ATTRIBUTE_NAMES_MESSAGE)
  @ValidationRule(
      value = NativeMetadata.RESERVED_ATTRIBUTE,
      message = NativeMetadata.RESERVED_ATTRIBUTE_MESSAGE)
  @JsonPropertyDescription(
      "vSphere custom attributes set on every VM: name to value (values are strings, quote"
          + " numbers), at most 32, names and values up to 255 characters. Set in place, without"
          + " replacing VMs: a value changed by hand is set back. A missing attribute definition is"
          + " created for VMs; attributes not listed here are never changed, and one removed from"
          + " here keeps its last value on the VMs (the operator no longer manages it). Every VM"
          + " also gets the attribute vmgroup = <namespace>/<name> (reserved). Needs Global >"
          + " Set custom attribute on the VMs and, to create a definition, Global > Manage custom"
          + " attributes.")
  private Map<String, @Size(max = NativeMetadata.MAX_ATTRIBUTE_LENGTH) String> customAttributes;

  public VmGroupSpec() {}

  /** A spec in the seed's terms: memory in whole GiB. */
  public VmGroupSpec(Integer cpu, Integer memoryGiB, Integer replicas, String template) {
    this(cpu, memoryGiB == null ? null : new IntOrString(memoryGiB), replicas, template);
  }

  public VmGroupSpec(Integer cpu, IntOrString memory, Integer replicas, String template) {
    this.cpu = cpu;
    this.memory = memory;
    this.replicas = replicas;
    this.template = template;
  }

  public Integer getCpu() {
    return cpu;
  }

  public void setCpu(Integer cpu) {
    this.cpu = cpu;
  }

  /** As written: whole GiB, or a quantity string; {@link #memoryMiB} is what it comes to. */
  public IntOrString getMemory() {
    return memory;
  }

  public void setMemory(IntOrString memory) {
    this.memory = memory;
  }

  /**
   * The memory in MiB: what vSphere, the hashes and the quota count. Only for a valid spec; throws
   * IllegalArgumentException with the validator's message otherwise.
   */
  public long memoryMiB() {
    return MemoryQuantity.toMiB(memory);
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public String getTemplate() {
    return template;
  }

  public void setTemplate(String template) {
    this.template = template;
  }

  public SourceSpec getSource() {
    return source;
  }

  public void setSource(SourceSpec source) {
    this.source = source;
  }

  /** The content library item VMs are deployed from, or null when they are cloned. */
  public ContentLibrarySpec contentLibrary() {
    return source == null ? null : source.getContentLibrary();
  }

  /** Where VMs come from, as messages and tables name it. */
  public String sourceName() {
    ContentLibrarySpec library = contentLibrary();
    return library == null
        ? template
        : "content library item '"
            + library.getItem()
            + "' of library '"
            + library.getLibrary()
            + "'";
  }

  public List<String> getTags() {
    return tags;
  }

  public void setTags(List<String> tags) {
    this.tags = tags;
  }

  public Map<String, String> getCustomAttributes() {
    return customAttributes;
  }

  public void setCustomAttributes(Map<String, String> customAttributes) {
    this.customAttributes = customAttributes;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  public CloneMode getCloneMode() {
    return cloneMode;
  }

  public void setCloneMode(CloneMode cloneMode) {
    this.cloneMode = cloneMode;
  }

  /** The clone mode in force: full unless the spec says otherwise. */
  public CloneMode effectiveCloneMode() {
    return cloneMode == null ? CloneMode.full : cloneMode;
  }

  public PlacementSpec getPlacement() {
    return placement;
  }

  public void setPlacement(PlacementSpec placement) {
    this.placement = placement;
  }

  public String getVcenter() {
    return vcenter;
  }

  public void setVcenter(String vcenter) {
    this.vcenter = vcenter;
  }

  public UpdateStrategy getUpdateStrategy() {
    return updateStrategy;
  }

  public void setUpdateStrategy(UpdateStrategy updateStrategy) {
    this.updateStrategy = updateStrategy;
  }

  public Integer getCoresPerSocket() {
    return coresPerSocket;
  }

  public void setCoresPerSocket(Integer coresPerSocket) {
    this.coresPerSocket = coresPerSocket;
  }

  public BootstrapSpec getBootstrap() {
    return bootstrap;
  }

  public void setBootstrap(BootstrapSpec bootstrap) {
    this.bootstrap = bootstrap;
  }

  public List<NetworkSpec> getNetworks() {
    return networks;
  }

  public void setNetworks(List<NetworkSpec> networks) {
    this.networks = networks;
  }

  public DiskSpec getDisk() {
    return disk;
  }

  public void setDisk(DiskSpec disk) {
    this.disk = disk;
  }

  public List<ExtraDiskSpec> getExtraDisks() {
    return extraDisks;
  }

  public void setExtraDisks(List<ExtraDiskSpec> extraDisks) {
    this.extraDisks = extraDisks;
  }

  public ReadinessSpec getReadiness() {
    return readiness;
  }

  public void setReadiness(ReadinessSpec readiness) {
    this.readiness = readiness;
  }

  public HealthCheckSpec getHealthCheck() {
    return healthCheck;
  }

  public void setHealthCheck(HealthCheckSpec healthCheck) {
    this.healthCheck = healthCheck;
  }

  public Integer getMinReadySeconds() {
    return minReadySeconds;
  }

  public void setMinReadySeconds(Integer minReadySeconds) {
    this.minReadySeconds = minReadySeconds;
  }

  /** minReadySeconds in force: 0 unless the spec says otherwise. */
  public int effectiveMinReadySeconds() {
    return minReadySeconds == null ? 0 : minReadySeconds;
  }

  public Integer getProgressDeadlineSeconds() {
    return progressDeadlineSeconds;
  }

  public void setProgressDeadlineSeconds(Integer progressDeadlineSeconds) {
    this.progressDeadlineSeconds = progressDeadlineSeconds;
  }

  /** The boot disk size the spec asks for in GiB, or null to keep the template's. */
  public Integer bootDiskGiB() {
    return disk == null ? null : disk.getSizeGiB();
  }

  /** The policy in force: Delete unless the spec says otherwise. */
  public DeletionPolicy effectiveDeletionPolicy() {
    return deletionPolicy == null ? DeletionPolicy.Delete : deletionPolicy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VmGroupSpec s
        && Objects.equals(deletionPolicy, s.deletionPolicy)
        && Objects.equals(cloneMode, s.cloneMode)
        && Objects.equals(updateStrategy, s.updateStrategy)
        && Objects.equals(placement, s.placement)
        && Objects.equals(vcenter, s.vcenter)
        && Objects.equals(cpu, s.cpu)
        && Objects.equals(memory, s.memory)
        && Objects.equals(replicas, s.replicas)
        && Objects.equals(template, s.template)
        && Objects.equals(source, s.source)
        && Objects.equals(coresPerSocket, s.coresPerSocket)
        && Objects.equals(bootstrap, s.bootstrap)
        && Objects.equals(networks, s.networks)
        && Objects.equals(disk, s.disk)
        && Objects.equals(extraDisks, s.extraDisks)
        && Objects.equals(readiness, s.readiness)
        && Objects.equals(healthCheck, s.healthCheck)
        && Objects.equals(minReadySeconds, s.minReadySeconds)
        && Objects.equals(progressDeadlineSeconds, s.progressDeadlineSeconds)
        && Objects.equals(tags, s.tags)
        && Objects.equals(customAttributes, s.customAttributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        cpu,
        memory,
        replicas,
        template,
        source,
        deletionPolicy,
        cloneMode,
        updateStrategy,
        placement,
        vcenter,
        coresPerSocket,
        bootstrap,
        networks,
        disk,
        extraDisks,
        readiness,
        healthCheck,
        minReadySeconds,
        progressDeadlineSeconds,
        tags,
        customAttributes);
  }

  @Override
  public String toString() {
    return "VmGroupSpec{cpu="
        + cpu
        + ", memory="
        + MemoryQuantity.text(memory)
        + ", replicas="
        + replicas
        + ", template="
        + template
        + (source == null ? "" : ", source=" + source)
        + ", deletionPolicy="
        + deletionPolicy
        + ", cloneMode="
        + cloneMode
        + ", updateStrategy="
        + updateStrategy
        + ", placement="
        + placement
        + ", vcenter="
        + vcenter
        + (coresPerSocket == null ? "" : ", coresPerSocket=" + coresPerSocket)
        + (bootstrap == null ? "" : ", bootstrap=" + bootstrap)
        + (networks == null ? "" : ", networks=" + networks)
        + (disk == null ? "" : ", disk=" + disk)
        + (extraDisks == null ? "" : ", extraDisks=" + extraDisks)
        + (readiness == null ? "" : ", readiness=" + readiness)
        + (healthCheck == null ? "" : ", healthCheck=" + healthCheck)
        + (minReadySeconds == null ? "" : ", minReadySeconds=" + minReadySeconds)
        + (progressDeadlineSeconds == null
            ? ""
            : ", progressDeadlineSeconds=" + progressDeadlineSeconds)
        + (tags == null ? "" : ", tags=" + tags)
        + (customAttributes == null ? "" : ", customAttributes=" + customAttributes)
        + "}";
  }
}
