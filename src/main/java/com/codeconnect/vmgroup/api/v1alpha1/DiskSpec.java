package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/** The boot disk: the template's first virtual disk. */
public class DiskSpec {
  /** vSphere's limit for one virtual disk: 62 TiB. */
  public static final int MAX_GIB = 62 * 1024;

  @Min(1)
  @Max(MAX_GIB)
  @JsonPropertyDescription(
      "Size of the boot disk in GiB (up to 63488, vSphere's 62 TiB). Set at clone and grown in"
          + " place, without replacing the VM, when raised later; the guest has to grow its"
          + " partition and file system (cloud-init's growpart does). It can't be smaller than"
          + " the template's disk, nor lowered once VMs have it (vSphere can't shrink a disk), nor"
          + " used with cloneMode linked (a linked clone's disk can't grow). Not set: the"
          + " template's size.")
  private Integer sizeGiB;

  public DiskSpec() {}

  public DiskSpec(Integer sizeGiB) {
    this.sizeGiB = sizeGiB;
  }

  public Integer getSizeGiB() {
    return sizeGiB;
  }

  public void setSizeGiB(Integer sizeGiB) {
    this.sizeGiB = sizeGiB;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DiskSpec d && Objects.equals(sizeGiB, d.sizeGiB);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(sizeGiB);
  }

  @Override
  public String toString() {
    return "DiskSpec{sizeGiB=" + sizeGiB + "}";
  }
}
