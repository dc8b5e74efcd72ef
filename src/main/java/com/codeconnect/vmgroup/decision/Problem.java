package com.codeconnect.vmgroup.decision;

/**
 * Why a group can't reach its desired state right now. The message names the cause and the object,
 * e.g. "template 'x' not found in datacenter 'DC0'".
 */
public record Problem(Reason reason, String message) {
  public enum Reason {
    /** The spec breaks a rule; fixed only by editing it. */
    InvalidSpec(false),
    TemplateNotFound(false),
    TemplateAmbiguous(false),
    /** cloneMode linked asks for the template's current snapshot, and it has none. */
    TemplateHasNoSnapshot(false),
    /** Datacenter, resource pool or root folder can't be resolved. */
    PlacementFailed(false),
    CloneFailed(true),
    /** A power, reconfigure or destroy task failed. */
    TaskFailed(true),
    CredentialsRejected(false),
    VcenterUnreachable(true),
    /** Any other fault vCenter returned. */
    VcenterError(true),
    /** spec.vcenter names no VCenter, or none allows the namespace. */
    VCenterNotFound(false),
    /** More than one VCenter allows the namespace and spec.vcenter doesn't choose. */
    VCenterAmbiguous(false),
    /** The VCenter doesn't allow the group's namespace. */
    VCenterNotAllowed(false),
    /** The VCenter exists but the operator has no working client for it (yet). */
    VCenterNotReady(true),
    /** The group's VMs are on another vCenter than the one it maps to now. */
    VCenterChanged(false),
    /** The namespace's quota on the vCenter stops the group short of its spec. */
    QuotaExceeded(false);

    private final boolean transientReason;

    Reason(boolean transientReason) {
      this.transientReason = transientReason;
    }

    /** True when retrying without any change may succeed. */
    public boolean isTransient() {
      return transientReason;
    }
  }
}
