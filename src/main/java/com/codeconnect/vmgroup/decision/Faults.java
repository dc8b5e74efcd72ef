package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.vsphere.VsphereException;

/** What a fault vCenter returned means for a group: the problem its status shows. */
public final class Faults {
  private Faults() {}

  /**
   * A fault that stopped a whole reconcile (a lookup, the session): rejected credentials, an
   * unreachable vCenter, or anything else vCenter said.
   *
   * @param own whether it is the operator's own vCenter (its credentials come from VC_USER/VC_PASS)
   * @param name the VCenter resource's name otherwise
   */
  public static Problem ofReconcile(boolean own, String name, VsphereException e) {
    if (e instanceof VsphereException.InvalidLogin) {
      return new Problem(
          Problem.Reason.CredentialsRejected,
          "vCenter rejected the credentials ("
              + (own ? "VC_USER/VC_PASS" : "the Secret of VCenter '" + name + "'")
              + "): "
              + e.getMessage());
    }
    String which = own ? "vCenter" : "vCenter '" + name + "'";
    if (e instanceof VsphereException.Transport
        || e instanceof VsphereException.CertificateRejected) {
      return new Problem(
          Problem.Reason.VcenterUnreachable, which + " unreachable: " + e.getMessage());
    }
    return new Problem(
        Problem.Reason.VcenterError, which + " error " + e.faultType() + ": " + e.getMessage());
  }

  /** A fault that failed one action: the VM it was about and what vCenter said. */
  public static Problem ofAction(Action action, VsphereException e) {
    Problem.Reason reason =
        action instanceof Action.Clone ? Problem.Reason.CloneFailed : Problem.Reason.TaskFailed;
    return new Problem(
        reason,
        verb(action)
            + " '"
            + action.target()
            + "' failed: "
            + e.faultType()
            + ": "
            + e.getMessage());
  }

  /** Faults that mean "vCenter changed under us", not "this can't be done". */
  public static boolean benign(VsphereException e) {
    return e instanceof VsphereException.ManagedObjectNotFound
        || e instanceof VsphereException.InvalidPowerState
        || e instanceof VsphereException.TaskInProgress;
  }

  /** The action's kind as Events, logs and metrics name it: Clone, PowerOn, Destroy, ... */
  public static String verb(Action action) {
    return action.getClass().getSimpleName();
  }
}
