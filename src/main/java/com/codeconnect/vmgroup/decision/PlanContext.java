package com.codeconnect.vmgroup.decision;

import com.codeconnect.vmgroup.api.v1alpha1.ReadinessSpec;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What {@link ReplicaPlan} needs to know besides the spec and the VMs: which running VMs count as
 * available, whether the rollout has stopped, and the failure domains.
 *
 * @param available whether a VM that runs and has no task in flight counts as available; the plan
 *     asks it nothing else
 * @param rolloutStopped no old VM is replaced and no surge VM made (progressDeadlineSeconds passed
 *     without progress, see {@link RolloutProgress}); clones for missing indices go on
 * @param domains where each VM is and which domains take new VMs
 */
public record PlanContext(
    Predicate<VmInfo> available, boolean rolloutStopped, FailureDomains.Layout domains) {

  /** The plan as before readiness: every running VM is available, nothing stopped, no domains. */
  public static final PlanContext NONE =
      new PlanContext(vm -> true, false, FailureDomains.Layout.NONE);

  public PlanContext {
    domains = domains == null ? FailureDomains.Layout.NONE : domains;
  }

  /**
   * Availability by readiness, as a Deployment counts it: ready for at least minReadySeconds. A VM
   * being resized serves at its old size and counts at once (a rollout of CPU or memory would
   * otherwise wait for VMs that only it can resize). A VM without a verdict, or whose state is
   * unknown, doesn't count: the plan then takes no other VM down on its account.
   *
   * <p>With readiness powerOn, no initial delay and minReadySeconds 0 this is {@link #NONE}'s
   * predicate, so such a group plans exactly as before.
   *
   * @param verdicts the verdict per VM name, from {@link Readiness#evaluate}
   */
  public static Predicate<VmInfo> availability(
      ReadinessSpec readiness,
      int minReadySeconds,
      Map<String, Readiness.Verdict> verdicts,
      Instant now) {
    boolean plain =
        (readiness == null
                || (readiness.effectiveMode() == ReadinessSpec.Mode.powerOn
                    && readiness.effectiveInitialDelaySeconds() == 0))
            && minReadySeconds == 0;
    if (plain) {
      return NONE.available();
    }
    return vm -> available(verdicts.get(vm.name()), minReadySeconds, now);
  }

  /** Whether a verdict makes its VM available now. */
  public static boolean available(Readiness.Verdict v, int minReadySeconds, Instant now) {
    if (v == null || !v.known()) {
      return false;
    }
    if (v.resizing()) {
      return true;
    }
    return v.ready() && !now.isBefore(v.since().plusSeconds(minReadySeconds));
  }

  /**
   * When the next ready VM becomes available by minReadySeconds passing, or null: the caller looks
   * again then, as nothing in vCenter will change to wake it.
   */
  public static Instant nextAvailable(
      Map<String, Readiness.Verdict> verdicts, int minReadySeconds, Instant now) {
    return verdicts.values().stream()
        .filter(v -> v != null && v.known() && v.ready() && !v.resizing())
        .map(v -> v.since().plusSeconds(minReadySeconds))
        .filter(at -> at.isAfter(now))
        .min(Instant::compareTo)
        .orElse(null);
  }
}
