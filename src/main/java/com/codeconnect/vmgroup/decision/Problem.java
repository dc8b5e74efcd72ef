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
    /** spec.source.contentLibrary names a library or item vCenter doesn't have. */
    LibraryItemNotFound(false),
    /** ...or a name several libraries (or items of the library) share. */
    LibraryItemAmbiguous(false),
    /** The content library can't be read (its REST API fails or is unreachable). */
    LibraryUnavailable(true),
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
    QuotaExceeded(false),
    /** A pool of static addresses has fewer addresses than replicas + maxSurge. */
    AddressPoolExhausted(false),
    /** Two groups hand out addresses from overlapping pools on one network. */
    AddressPoolOverlap(false),
    /** The Secret (or its key) that spec.bootstrap reads doesn't exist. */
    BootstrapSecretMissing(false),
    /** The rendered user-data, metadata or unattend file is larger than vSphere passes on. */
    BootstrapTooLarge(false),
    /** A network of spec.networks isn't in the datacenter. */
    NetworkNotFound(false),
    /** A network name of spec.networks matches several networks: a path chooses one. */
    NetworkAmbiguous(false),
    /** A network of spec.networks isn't among the VCenter's allowedNetworks. */
    NetworkNotAllowed(false),
    /** spec.disk.sizeGiB is below the template's or a VM's boot disk: vSphere can't shrink it. */
    DiskShrinkRefused(false),
    /**
     * More VMs are unhealthy than spec.healthCheck.maxUnhealthy allows, so none is replaced: a
     * common cause would fail the new VMs too. Clears itself as VMs recover.
     */
    TooManyUnhealthy(true),
    /**
     * The group made no progress within spec.progressDeadlineSeconds: the rollout stopped, old VMs
     * are kept, new VMs that never became ready are not replaced.
     */
    ProgressDeadlineExceeded(false),
    /**
     * spec.placement.antiAffinity can't work where the VMs are: no cluster, DRS off, fewer hosts
     * than VMs for Required, or a rule of that name the operator didn't make.
     */
    AntiAffinityNotApplicable(false),
    /** A failure domain's cluster, pool, datastore or network can't be resolved now. */
    FailureDomainUnavailable(true),
    /** A failure domain the group names alone isn't among its VCenter's failureDomains. */
    FailureDomainNotFound(false),
    /**
     * A tag of spec.tags, or its category, doesn't exist (the operator creates neither); no tag of
     * the group is attached or detached until it does.
     */
    TagNotFound(false),
    /**
     * vCenter's tagging service (its REST API) failed while SOAP answered: tags wait for its
     * recovery, everything else of the group goes on.
     */
    TaggingUnavailable(true),
    /**
     * vCenter refused a custom attribute of spec.customAttributes (or the group's own), e.g. its
     * definition was deleted: the definitions are read again, and a missing one made again, at the
     * next look.
     */
    AttributesNotSet(true);

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
