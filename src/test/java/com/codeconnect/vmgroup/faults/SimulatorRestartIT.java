package com.codeconnect.vmgroup.faults;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.decision.StatusBuilder;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario 3: vCenter crashes and comes back with an empty inventory (restored from an old
 * backup, rebuilt) at the same address; times are counted from the moment the new one answers. This
 * happens once with the groups in sync and once in the middle of a scale-out and a deletion. The
 * operator logs in again, rebuilds folders and VMs, keeps running, and the deletion completes: no
 * finalizer is left stuck on a VM that vanished with the old vCenter.
 */
class SimulatorRestartIT extends FaultFixture {

  @Test
  void groupsAreRebuiltAndADeletionCompletesAfterVcenterLosesItsInventory() {
    create("rs-a", 1, 1, 3);
    create("rs-b", 1, 1, 2);
    awaitConverged("rs-a");
    awaitConverged("rs-b");
    eventually(PATIENCE).until(operator::inventorySynced);

    restartSimulator();
    long start = System.nanoTime();
    // The new vCenter has its own default VMs and template; those are the ones to leave alone.
    before = VcenterAudit.snapshot(observer).vms();
    assertThat(folder("rs-a")).isEmpty();
    awaitConverged("rs-a");
    awaitConverged("rs-b");
    long rebuilt = millisSince(start);
    eventually(PATIENCE).until(() -> operator.notReadyReason() == null);

    // Again, this time while tasks run: rs-a scales out, rs-b is being deleted.
    edit("rs-a", s -> s.setReplicas(5));
    delete("rs-b");
    eventually(PATIENCE).until(() -> sim.tasksRunning() > 0);
    int tasksAtRestart = sim.tasksRunning();
    restartSimulator();
    start = System.nanoTime();
    before = VcenterAudit.snapshot(observer).vms();
    eventually(PATIENCE).until(() -> get("rs-b") == null);
    long deletedAfter = millisSince(start);
    awaitConverged("rs-a");
    long rebuiltMidFlight = millisSince(start);
    assertThat(sim.isAlive()).isTrue();
    // vCenter converging comes before the operator's next status write that clears
    // VcenterUnreachable; the condition must clear, not be clear at that instant.
    eventually(PATIENCE).until(() -> !isTrue("rs-a", StatusBuilder.DEGRADED));
    VcenterAudit.Result audit = audit();
    assertThat(audit.problems()).isEmpty();

    start = System.nanoTime();
    delete("rs-a");
    eventually(PATIENCE).until(() -> get("rs-a") == null);
    long deleted = millisSince(start);
    assertThat(VcenterAudit.snapshot(observer).ownedVms()).isEmpty();
    assertThat(observer.childFolders(root())).as("no group folder left").isEmpty();
    assertThat(VcenterAudit.snapshot(observer).vms())
        .extracting(VcenterAudit::identity)
        .as("vCenter as it came back")
        .containsExactlyInAnyOrderElementsOf(before.stream().map(VcenterAudit::identity).toList());

    FaultReport.of("simulator-restart")
        .put("faults", "restart_in_sync,restart_mid_scale_and_delete")
        .put("rounds", 2)
        .put("tasks_running_at_2nd_restart", tasksAtRestart)
        .put("recovery_in_sync_ms", rebuilt)
        .put("recovery_mid_flight_ms", rebuiltMidFlight)
        .put("deletion_done_after_restart_ms", deletedAfter)
        .put("final_delete_ms", deleted)
        .audit(audit)
        .write();
  }
}
