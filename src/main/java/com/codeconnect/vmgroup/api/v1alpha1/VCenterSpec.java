package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Where a vCenter is and how to log in to it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@io.fabric8.generator.annotation.ValidationRule(
    value = VCenterSpec.DOMAINS_PLACED,
    message = VCenterSpec.DOMAINS_PLACED_MESSAGE)
public class VCenterSpec {
  static final String DOMAINS_PLACED =
      "!has(self.failureDomains) || self.failureDomains.all(d, has(d.cluster) || has(d.resourcePool))";
  static final String DOMAINS_PLACED_MESSAGE =
      "each of a VCenter's failureDomains needs a cluster or a resourcePool";

  @Required
  @Pattern("\\S")
  @JsonPropertyDescription(
      "vCenter host, host:port, or SDK URL (https://vc.example.com/sdk; http:// only for a local"
          + " simulator). A host alone means https://<host>/sdk.")
  public String url;

  @Required
  @JsonPropertyDescription(
      "Secret in the operator's namespace with the vCenter user and password, under the keys"
          + " username and password (or VC_USER and VC_PASS, as in the operator's own vc-creds"
          + " Secret). Read at every login, so a rotated Secret is used without a restart.")
  public SecretReference credentialsSecretRef;

  @JsonPropertyDescription(
      "How to trust vCenter's certificate. Default: the operator's trust store (JVM CAs), with"
          + " hostname verification.")
  public VCenterTls tls;

  @JsonPropertyDescription(
      "Where VMs go on this vCenter when a group's spec.placement doesn't say: datacenter,"
          + " resource pool, datastore and root folder.")
  public VCenterDefaults defaults;

  @io.fabric8.generator.annotation.Min(1)
  @io.fabric8.generator.annotation.Max(256)
  @JsonPropertyDescription(
      "vCenter tasks the operator runs at once on this vCenter, across all groups. Default: 8.")
  public Integer taskBudget;

  @JsonPropertyDescription(
      "Namespaces whose VmGroups may use this vCenter. Not set: none (a group can't use it even"
          + " by naming it).")
  public AllowedNamespaces allowedNamespaces;

  @JsonPropertyDescription(
      "Limits for each allowed namespace on this vCenter (VMs, vCPUs, memory), checked before"
          + " cloning or growing a VM. Not set: no limit.")
  public VCenterQuota quota;

  @JsonPropertyDescription("Limits for particular namespaces, in place of spec.quota there.")
  public java.util.List<VCenterQuota.ForNamespace> namespaceQuotas;

  @io.fabric8.generator.annotation.Size(max = 256)
  @JsonPropertyDescription(
      "Networks that groups on this vCenter may connect VMs to (spec.networks), each a network"
          + " name or inventory path such as /DC0/network/DC0_DVPG0; a name allows the network of"
          + " that name wherever it is. Not set: any network. A group naming another one is"
          + " Degraded/NetworkNotAllowed and gets no VMs.")
  public java.util.List<String> allowedNetworks;

  @io.fabric8.generator.annotation.Size(max = FailureDomainSpec.MAX_DOMAINS)
  @io.fabric8.generator.annotation.ValidationRule(
      value = PlacementSpec.UNIQUE_DOMAINS,
      message = PlacementSpec.UNIQUE_DOMAINS_MESSAGE)
  @JsonPropertyDescription(
      "Failure domains defined once for every group on this vCenter: a group lists them by name"
          + " alone in spec.placement.failureDomains ({name: fd-a}). Each needs a cluster or a"
          + " resourcePool. A change reaches new and replaced VMs only; no VM is moved.")
  public java.util.List<FailureDomainSpec> failureDomains;

  public VCenterSpec() {}

  public VCenterSpec(String url, String credentialsSecret, VCenterTls tls) {
    this.url = url;
    this.credentialsSecretRef = new SecretReference(credentialsSecret);
    this.tls = tls;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VCenterSpec s
        && Objects.equals(url, s.url)
        && Objects.equals(credentialsSecretRef, s.credentialsSecretRef)
        && Objects.equals(tls, s.tls)
        && Objects.equals(defaults, s.defaults)
        && Objects.equals(taskBudget, s.taskBudget)
        && Objects.equals(allowedNamespaces, s.allowedNamespaces)
        && Objects.equals(quota, s.quota)
        && Objects.equals(namespaceQuotas, s.namespaceQuotas)
        && Objects.equals(allowedNetworks, s.allowedNetworks)
        && Objects.equals(failureDomains, s.failureDomains);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, credentialsSecretRef, tls, defaults, taskBudget);
  }

  /** The tasks in flight at once on this vCenter. */
  public int effectiveTaskBudget() {
    return taskBudget == null ? DEFAULT_TASK_BUDGET : taskBudget;
  }

  public static final int DEFAULT_TASK_BUDGET = 8;

  /** True when some namespace has a quota here. */
  public boolean hasQuotas() {
    return quota != null || (namespaceQuotas != null && !namespaceQuotas.isEmpty());
  }

  /** The quota in force for a namespace: its own entry, else the default, else none (null). */
  public VCenterQuota quotaFor(String namespace) {
    if (namespaceQuotas != null) {
      for (VCenterQuota.ForNamespace q : namespaceQuotas) {
        if (namespace.equals(q.namespace)) {
          return q;
        }
      }
    }
    return quota;
  }

  /** A Secret in the operator's namespace. */
  public static class SecretReference {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Secret, in the operator's namespace.")
    public String name;

    public SecretReference() {}

    public SecretReference(String name) {
      this.name = name;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SecretReference r && Objects.equals(name, r.name);
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(name);
    }
  }
}
