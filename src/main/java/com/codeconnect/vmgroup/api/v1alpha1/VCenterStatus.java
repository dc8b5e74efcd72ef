package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator last saw of this vCenter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VCenterStatus {
  public static final String SESSION_ACTIVE = "Active";
  public static final String SESSION_NONE = "None";

  @JsonPropertyDescription(
      "Connected (a session works) and Ready (usable by the operator), each with a reason:"
          + " Connected, Unreachable, CredentialsRejected, CertificateRejected, SecretMissing,"
          + " InvalidSpec or Error, and a message naming the cause.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("Product name vCenter reports, e.g. VMware vCenter Server 8.0.2.")
  public String product;

  @JsonPropertyDescription("vCenter version, e.g. 8.0.2.")
  public String version;

  @JsonPropertyDescription("vSphere API version vCenter serves.")
  public String apiVersion;

  @JsonPropertyDescription("vCenter's instance UUID: tells two endpoints of one vCenter apart.")
  public String instanceUuid;

  @JsonPropertyDescription(
      "The operator's session: Active (logged in, last checked working) or None.")
  public String session;

  @JsonPropertyDescription("When the current working session was first confirmed (RFC 3339).")
  public String lastConnected;

  @JsonPropertyDescription("Number of VmGroups whose VMs are on this vCenter.")
  public Integer groups;

  @JsonPropertyDescription(
      "Per namespace with groups here: VMs, vCPUs and memory in use (clones in progress"
          + " included) and the quota in force.")
  public List<QuotaUsage> quotaUsage;

  /** A copy to change, or an empty status for null. */
  public static VCenterStatus copyOf(VCenterStatus s) {
    VCenterStatus c = new VCenterStatus();
    if (s == null) {
      return c;
    }
    c.conditions = new ArrayList<>(s.conditions == null ? List.of() : s.conditions);
    c.observedGeneration = s.observedGeneration;
    c.product = s.product;
    c.version = s.version;
    c.apiVersion = s.apiVersion;
    c.instanceUuid = s.instanceUuid;
    c.session = s.session;
    c.lastConnected = s.lastConnected;
    c.groups = s.groups;
    c.quotaUsage = s.quotaUsage;
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VCenterStatus s
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(product, s.product)
        && Objects.equals(version, s.version)
        && Objects.equals(apiVersion, s.apiVersion)
        && Objects.equals(instanceUuid, s.instanceUuid)
        && Objects.equals(session, s.session)
        && Objects.equals(lastConnected, s.lastConnected)
        && Objects.equals(groups, s.groups)
        && Objects.equals(quotaUsage, s.quotaUsage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, version, session);
  }
}
