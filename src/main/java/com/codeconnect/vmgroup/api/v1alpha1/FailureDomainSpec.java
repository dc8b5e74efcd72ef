package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/**
 * A named place for VMs (a cluster or resource pool, with a datastore and networks of its own): the
 * group's VMs are spread evenly over its failure domains.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = FailureDomainSpec.ONE_COMPUTE,
    message = FailureDomainSpec.ONE_COMPUTE_MESSAGE)
@ValidationRule(
    value = FailureDomainSpec.REFERENCE_ALONE,
    message = FailureDomainSpec.REFERENCE_ALONE_MESSAGE)
public class FailureDomainSpec {
  /** More domains than this spread nothing further: vSphere sites rarely have more clusters. */
  public static final int MAX_DOMAINS = 16;

  static final String ONE_COMPUTE = "!(has(self.cluster) && has(self.resourcePool))";
  static final String ONE_COMPUTE_MESSAGE =
      "a failure domain has a cluster or a resourcePool, not both";
  static final String REFERENCE_ALONE =
      "has(self.cluster) || has(self.resourcePool) || (!has(self.datastore) && !has(self.networks))";
  static final String REFERENCE_ALONE_MESSAGE =
      "a failure domain without cluster or resourcePool refers to the VCenter's domain of that"
          + " name and takes everything from there: datastore and networks need a cluster or"
          + " resourcePool";

  @Required
  @Size(max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Name of the domain (a DNS label, e.g. fd-a), unique in the list; status.vms[].failureDomain"
          + " shows it. Alone, without cluster or resourcePool, it refers to the failure domain of"
          + " that name in the VCenter's spec.failureDomains.")
  private String name;

  @Size(max = 1024)
  @Pattern("\\S")
  @JsonPropertyDescription(
      "Cluster (or standalone host) whose root resource pool takes the domain's VMs: a name or an"
          + " inventory path such as /DC0/host/DC0_C0. Anti-affinity rules are kept per cluster.")
  private String cluster;

  @Size(max = 1024)
  @Pattern("\\S")
  @JsonPropertyDescription(
      "Resource pool that takes the domain's VMs, by name or inventory path such as"
          + " /DC0/host/DC0_C0/Resources/web; instead of cluster.")
  private String resourcePool;

  @Size(max = 1024)
  @Pattern("\\S")
  @JsonPropertyDescription(
      "Datastore for the domain's VMs, by name or inventory path. Default: spec.placement's"
          + " datastore, else the operator's, else the template's.")
  private String datastore;

  @Size(max = VmGroupSpec.MAX_NETWORKS)
  @JsonPropertyDescription(
      "Networks for the domain's VMs, one for each entry of spec.networks and in its order: the"
          + " i-th replaces spec.networks[i].name (the addresses stay as spec.networks says), for"
          + " clusters that reach a network through port groups of their own. Not set: the"
          + " networks of spec.networks.")
  private List<String> networks;

  public FailureDomainSpec() {}

  public FailureDomainSpec(String name) {
    this.name = name;
  }

  public FailureDomainSpec(
      String name, String cluster, String resourcePool, String datastore, List<String> networks) {
    this.name = name;
    this.cluster = cluster;
    this.resourcePool = resourcePool;
    this.datastore = datastore;
    this.networks = networks;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getCluster() {
    return cluster;
  }

  public void setCluster(String cluster) {
    this.cluster = cluster;
  }

  public String getResourcePool() {
    return resourcePool;
  }

  public void setResourcePool(String resourcePool) {
    this.resourcePool = resourcePool;
  }

  public String getDatastore() {
    return datastore;
  }

  public void setDatastore(String datastore) {
    this.datastore = datastore;
  }

  public List<String> getNetworks() {
    return networks;
  }

  public void setNetworks(List<String> networks) {
    this.networks = networks;
  }

  /** True when the entry only names a VCenter's domain. */
  public boolean reference() {
    return cluster == null && resourcePool == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FailureDomainSpec f
        && Objects.equals(name, f.name)
        && Objects.equals(cluster, f.cluster)
        && Objects.equals(resourcePool, f.resourcePool)
        && Objects.equals(datastore, f.datastore)
        && Objects.equals(networks, f.networks);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, cluster, resourcePool, datastore, networks);
  }

  @Override
  public String toString() {
    return "FailureDomainSpec{name="
        + name
        + (cluster == null ? "" : ", cluster=" + cluster)
        + (resourcePool == null ? "" : ", resourcePool=" + resourcePool)
        + (datastore == null ? "" : ", datastore=" + datastore)
        + (networks == null ? "" : ", networks=" + networks)
        + "}";
  }
}
