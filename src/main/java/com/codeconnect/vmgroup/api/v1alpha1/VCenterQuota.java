package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/** Limits on what one namespace's groups may hold on one vCenter; an unset limit is no limit. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VCenterQuota {
  @Min(0)
  @JsonPropertyDescription("Most VMs the namespace's groups may have on this vCenter.")
  public Integer maxVms;

  @Min(0)
  @JsonPropertyDescription("Most virtual CPUs in total over those VMs.")
  public Integer maxCpus;

  @Min(0)
  @JsonPropertyDescription("Most memory in total over those VMs, in GiB.")
  public Integer maxMemoryGiB;

  public VCenterQuota() {}

  public VCenterQuota(Integer maxVms, Integer maxCpus, Integer maxMemoryGiB) {
    this.maxVms = maxVms;
    this.maxCpus = maxCpus;
    this.maxMemoryGiB = maxMemoryGiB;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VCenterQuota q
        && Objects.equals(maxVms, q.maxVms)
        && Objects.equals(maxCpus, q.maxCpus)
        && Objects.equals(maxMemoryGiB, q.maxMemoryGiB);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxVms, maxCpus, maxMemoryGiB);
  }

  /** A quota for one namespace, overriding the VCenter's default quota there. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ForNamespace extends VCenterQuota {
    @io.fabric8.generator.annotation.Required
    @JsonPropertyDescription("The namespace this quota applies to.")
    public String namespace;

    public ForNamespace() {}

    public ForNamespace(String namespace, Integer maxVms, Integer maxCpus, Integer maxMemoryGiB) {
      super(maxVms, maxCpus, maxMemoryGiB);
      this.namespace = namespace;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ForNamespace n
          && super.equals(o)
          && Objects.equals(namespace, n.namespace);
    }

    @Override
    public int hashCode() {
      return Objects.hash(super.hashCode(), namespace);
    }
  }
}
