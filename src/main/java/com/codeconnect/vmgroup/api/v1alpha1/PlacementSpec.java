package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** Where a group's VMs go in vCenter; each field falls back to the operator's setting. */
@ValidationRule(
    value = PlacementSpec.DOMAINS_OR_POOL,
    message = PlacementSpec.DOMAINS_OR_POOL_MESSAGE)
public class PlacementSpec {
  static final String DOMAINS_OR_POOL = "!has(self.failureDomains) || !has(self.resourcePool)";
  static final String DOMAINS_OR_POOL_MESSAGE =
      "failureDomains and resourcePool exclude each other: each failure domain says where its VMs"
          + " go";
  static final String UNIQUE_DOMAINS = "self.all(d, self.exists_one(e, e.name == d.name))";
  static final String UNIQUE_DOMAINS_MESSAGE = "failure domain names must be unique";

  /** Whether DRS keeps the group's VMs on different hosts. */
  public enum AntiAffinity {
    /** No rule: DRS places the VMs as it likes. */
    None,
    /** A rule DRS follows when it can ("should run on different hosts"). */
    Preferred,
    /** A rule DRS never breaks: a VM that can't get a host of its own doesn't power on. */
    Required
  }

  @Pattern("\\S")
  @JsonPropertyDescription(
      "Datacenter name or inventory path. Default: the operator's --datacenter (VC_DATACENTER),"
          + " else the only datacenter.")
  private String datacenter;

  @Pattern("\\S")
  @JsonPropertyDescription(
      "Cluster or host name (its root resource pool), resource pool name, or resource pool"
          + " inventory path such as /DC0/host/DC0_C0/Resources/web. Default: the operator's"
          + " --resource-pool (VC_RESOURCE_POOL), else the only resource pool.")
  private String resourcePool;

  @Pattern("\\S")
  @JsonPropertyDescription(
      "Datastore name or inventory path for the VMs' files. Default: the operator's --datastore"
          + " (VC_DATASTORE), else the template's datastore.")
  private String datastore;

  @Pattern("^[^/]+$")
  @JsonPropertyDescription(
      "Folder under the datacenter's VM folder that holds the group's folder (created when"
          + " missing). Default: the operator's --root-folder (VC_ROOT_FOLDER).")
  private String folder;

  @JsonPropertyDescription(
      "Keeps the group's VMs on different ESXi hosts through a VM-VM anti-affinity rule that the"
          + " operator keeps in each cluster holding its VMs, with exactly the group's VMs (new,"
          + " replaced and surge VMs included). None (default): no rule. Preferred: DRS keeps"
          + " them apart when it can. Required: DRS never puts two on one host, so with fewer"
          + " hosts than VMs the extra VMs don't power on. Needs a cluster with DRS enabled; on a"
          + " standalone host or without DRS the group reports AntiAffinityNotApplicable. The rule"
          + " is named vmgroup-<namespace>-<name>-<hash of the group's UID>; the operator never"
          + " touches a rule it didn't make. Can change at any time.")
  private AntiAffinity antiAffinity;

  @Size(max = FailureDomainSpec.MAX_DOMAINS)
  @ValidationRule(value = UNIQUE_DOMAINS, message = UNIQUE_DOMAINS_MESSAGE)
  @JsonPropertyDescription(
      "Places the group's VMs spread evenly over these failure domains, at most 16: the VM with"
          + " index i goes to the domain at position i modulo their number, so a replaced VM goes"
          + " back to its domain. Scale-in takes VMs first from the domain with the most. A"
          + " domain that can't take VMs (its cluster, pool, datastore or network missing) is"
          + " reported (FailureDomainUnavailable) and its VMs wait; the other domains keep theirs."
          + " Changing the list moves no VM: new and replaced VMs follow the new list (append new"
          + " domains at the end, since the position decides), and scale-in first removes VMs in"
          + " domains no longer listed. Excludes resourcePool. Unlike the other placement fields"
          + " it can change at any time.")
  private List<FailureDomainSpec> failureDomains;

  public PlacementSpec() {}

  public PlacementSpec(String datacenter, String resourcePool, String datastore, String folder) {
    this.datacenter = datacenter;
    this.resourcePool = resourcePool;
    this.datastore = datastore;
    this.folder = folder;
  }

  public String getDatacenter() {
    return datacenter;
  }

  public void setDatacenter(String datacenter) {
    this.datacenter = datacenter;
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

  public String getFolder() {
    return folder;
  }

  public void setFolder(String folder) {
    this.folder = folder;
  }

  public AntiAffinity getAntiAffinity() {
    return antiAffinity;
  }

  public void setAntiAffinity(AntiAffinity antiAffinity) {
    this.antiAffinity = antiAffinity;
  }

  /** The anti-affinity in force: None unless the spec says otherwise. */
  public AntiAffinity effectiveAntiAffinity() {
    return antiAffinity == null ? AntiAffinity.None : antiAffinity;
  }

  public List<FailureDomainSpec> getFailureDomains() {
    return failureDomains;
  }

  public void setFailureDomains(List<FailureDomainSpec> failureDomains) {
    this.failureDomains = failureDomains;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlacementSpec p
        && Objects.equals(datacenter, p.datacenter)
        && Objects.equals(resourcePool, p.resourcePool)
        && Objects.equals(datastore, p.datastore)
        && Objects.equals(folder, p.folder)
        && antiAffinity == p.antiAffinity
        && Objects.equals(failureDomains, p.failureDomains);
  }

  @Override
  public int hashCode() {
    return Objects.hash(datacenter, resourcePool, datastore, folder, antiAffinity, failureDomains);
  }

  @Override
  public String toString() {
    return "PlacementSpec{datacenter="
        + datacenter
        + ", resourcePool="
        + resourcePool
        + ", datastore="
        + datastore
        + ", folder="
        + folder
        + (antiAffinity == null ? "" : ", antiAffinity=" + antiAffinity)
        + (failureDomains == null ? "" : ", failureDomains=" + failureDomains)
        + "}";
  }
}
