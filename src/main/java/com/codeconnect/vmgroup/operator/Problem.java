package com.codeconnect.vmgroup.operator;

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
    VcenterError(true);

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
