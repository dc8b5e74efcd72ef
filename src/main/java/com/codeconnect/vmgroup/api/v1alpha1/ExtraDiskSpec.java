package com.codeconnect.vmgroup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A disk added to each VM next to the template's. */
public class ExtraDiskSpec {
  /** How a new disk's space is allocated on the datastore. */
  public enum Provisioning {
    /** Space is allocated as the guest writes. */
    thin,
    /** All space is allocated when the disk is made, zeroed on first write (lazy zeroed). */
    thick
  }

  @Required
  @Min(1)
  @Max(DiskSpec.MAX_GIB)
  @JsonPropertyDescription("Size of the disk in GiB, 1 to 63488 (vSphere's 62 TiB).")
  private Integer sizeGiB;

  @JsonPropertyDescription(
      "thin (default): space is allocated as the guest writes. thick: all of it when the disk is"
          + " made (lazily zeroed).")
  private Provisioning provisioning;

  public ExtraDiskSpec() {}

  public ExtraDiskSpec(Integer sizeGiB, Provisioning provisioning) {
    this.sizeGiB = sizeGiB;
    this.provisioning = provisioning;
  }

  public Integer getSizeGiB() {
    return sizeGiB;
  }

  public void setSizeGiB(Integer sizeGiB) {
    this.sizeGiB = sizeGiB;
  }

  public Provisioning getProvisioning() {
    return provisioning;
  }

  public void setProvisioning(Provisioning provisioning) {
    this.provisioning = provisioning;
  }

  /** The provisioning in force: thin unless the spec says otherwise. */
  public Provisioning effectiveProvisioning() {
    return provisioning == null ? Provisioning.thin : provisioning;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExtraDiskSpec d
        && Objects.equals(sizeGiB, d.sizeGiB)
        && Objects.equals(provisioning, d.provisioning);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sizeGiB, provisioning);
  }

  @Override
  public String toString() {
    return "ExtraDiskSpec{sizeGiB=" + sizeGiB + ", provisioning=" + provisioning + "}";
  }
}
