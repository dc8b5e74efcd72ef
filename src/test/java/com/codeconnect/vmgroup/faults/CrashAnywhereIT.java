package com.codeconnect.vmgroup.faults;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.demo.VcsimBuilder;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.testing.OperatorProcess;
import com.codeconnect.vmgroup.testing.Wait;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario 1: the operator runs as its own process (the jar, as users start it) and is
 * killed with SIGKILL at random moments while it converges 10 groups of 10 VMs, then started again,
 * round after round. Three kills in four wait for a vCenter task to be running; the others land
 * anywhere, start-up included. Between rounds some groups are resized, so later rounds still land
 * in the middle of clones, power-offs and destroys; vCenter's tasks take a second and keep running
 * after the kill. At the end every group has exactly its replicas, with no duplicate and no
 * leftover, and deleting all groups (killed twice more while deleting) gives vCenter back as it
 * was.
 *
 * <p>{@code -Dfaults.rounds} sets the number of kills while converging (5 by default, 20 in the
 * issue), {@code -Dfaults.seed} replays a run.
 */
class CrashAnywhereIT extends FaultFixture {
  static final int ROUNDS = Integer.getInteger("faults.rounds", 5);
  static final long SEED = Long.getLong("faults.seed", System.currentTimeMillis());
  static final int GROUPS = 10;
  static final int REPLICAS = 10;
  static final int DELETE_KILLS = 2;

  /** A kill lands this long after the process started: during start-up or while it works. */
  static final Duration EARLIEST = Duration.ofMillis(500);

  static final Duration LATEST = Duration.ofSeconds(9);

  private final Random random = new Random(SEED);
  private Path kubeconfig;
  private int starts;

  @Override
  protected VcsimBuilder simulator() {
    return Vcsim.builder()
        .cloneDelay(Duration.ofSeconds(1))
        .powerDelay(Duration.ofMillis(200))
        .reconfigureDelay(Duration.ofMillis(100))
        .destroyDelay(Duration.ofMillis(200))
        .taskJitter(0.5);
  }

  /** How many groups converge while the kills land. */
  protected int groupCount() {
    return GROUPS;
  }

  protected int replicas() {
    return REPLICAS;
  }

  protected int rounds() {
    return ROUNDS;
  }

  /** What the group names and the fault reports start with. */
  protected String prefix() {
    return "cr";
  }

  /** Creates the {@code i}-th group, at 1 CPU and 1 GiB. */
  protected void createGroup(String name, int i) {
    create(name, 1, 1, replicas());
  }

  /** The fault reports' name. */
  protected String report() {
    return "crash-anywhere";
  }

  /** No operator in this JVM: it runs as a process of its own. */
  @Override
  protected void startOperator() {
    kubeconfig = OperatorProcess.kubeconfig(kube.getMasterUrl().toString());
  }

  private OperatorProcess launch() {
    starts++;
    return OperatorProcess.builder()
        .kubeconfig(kubeconfig)
        .vcenter(sim.url(), CREDENTIALS.user(), CREDENTIALS.password())
        // A test that restarts it twenty times cares about start-up more than peak speed.
        .jvmOptions(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"))
        .log(
            OperatorProcess.BUILD_DIR.resolve(
                "faults/" + report() + "/operator-" + starts + ".log"))
        .grace(Duration.ofSeconds(30))
        // a readiness check must not hold back a kill for long
        .httpTimeout(Duration.ofSeconds(2))
        .start();
  }

  @Test
  void killedAtRandomMomentsItLosesNothingDuplicatesNothingAndCleansUp() {
    System.out.printf("faults.seed=%d faults.rounds=%d%n", SEED, rounds());
    List<String> names =
        IntStream.range(0, groupCount()).mapToObj(i -> prefix() + "-" + i).toList();
    for (int i = 0; i < names.size(); i++) {
      createGroup(names.get(i), i);
    }

    int withTasks = 0;
    long unmarkedAtKills = 0;
    int beforeReady = 0;
    List<String> rounds = new ArrayList<>();
    for (int round = 1; round <= rounds(); round++) {
      if (round > 1) {
        // Keep work for the next life: scale two groups, resize the VMs of two others (power
        // off, reconfigure, power on each).
        for (int k = 0; k < 4; k++) {
          String g = names.get(random.nextInt(groupCount()));
          int replicas = replicas() / 2 + random.nextInt(replicas());
          int cpu = 1 + random.nextInt(2);
          edit(
              g,
              s -> {
                if (s.getReplicas() == replicas() || random.nextBoolean()) {
                  s.setReplicas(replicas);
                } else {
                  s.setCpu(cpu == s.getCpu() ? 3 - cpu : cpu);
                }
              });
        }
      }
      // Most kills wait for vCenter tasks to run; some land anywhere, start-up included.
      KillReport kill =
          random.nextInt(4) == 0 ? killAtRandom(launch(), LATEST) : killMidTask(launch());
      withTasks += kill.tasksRunning() > 0 ? 1 : 0;
      beforeReady += kill.ready() ? 0 : 1;
      VcenterAudit.Snapshot atKill = VcenterAudit.snapshot(observer);
      long owned = atKill.ownedVms().size();
      // VMs made for a group that carry no markers yet: deployed, not yet marked (never a clone,
      // which carries them from its start)
      Set<MoRef> foreign = before.stream().map(VmInfo::ref).collect(Collectors.toSet());
      long unmarked =
          atKill.vms().stream()
              .filter(vm -> !foreign.contains(vm.ref()) && !Folders.owned(vm))
              .count();
      unmarkedAtKills += unmarked;
      rounds.add(
          kill.atMillis() + "ms/" + kill.tasksRunning() + "t/" + owned + "vm/" + unmarked + "u");
      System.out.printf(
          "round %d: killed at %d ms (ready=%s, %d vCenter tasks running), %d owned VMs,"
              + " %d unmarked%n",
          round, kill.atMillis(), kill.ready(), kill.tasksRunning(), owned, unmarked);
    }

    for (String g : names) {
      edit(
          g,
          s -> {
            s.setReplicas(replicas());
            s.setCpu(1);
          });
    }
    long start = System.nanoTime();
    VcenterAudit.Result audit;
    try (OperatorProcess last = launch()) {
      names.forEach(this::awaitConverged);
      long converged = millisSince(start);
      audit = audit();
      assertThat(audit.problems()).as("vCenter after %d kills", rounds()).isEmpty();
      assertThat(last.alive()).isTrue();
      FaultReport.of(report() + "-converge")
          .put("rounds", rounds())
          .put("kills_with_tasks_running", withTasks)
          .put("kills_before_ready", beforeReady)
          .put("unmarked_vms_at_kills", unmarkedAtKills)
          .put("recovery_ms", converged)
          .put("vms", groupCount() * replicas())
          .put("seed", SEED)
          .put("kills", String.join(",", rounds))
          .audit(audit)
          .write();
    }

    // Delete everything, and crash twice more while deleting.
    for (String g : names) {
      delete(g);
    }
    start = System.nanoTime();
    List<String> deleteKills = new ArrayList<>();
    for (int k = 0; k < DELETE_KILLS; k++) {
      KillReport kill = killMidTask(launch());
      deleteKills.add(kill.atMillis() + "ms/" + kill.tasksRunning() + "t");
    }
    try (OperatorProcess last = launch()) {
      eventually(Duration.ofMinutes(3)).until(() -> names.stream().allMatch(g -> get(g) == null));
    }
    long deleted = millisSince(start);
    VcenterAudit.Snapshot end = VcenterAudit.snapshot(observer);
    assertThat(end.vms())
        .extracting(VcenterAudit::identity)
        .as("vCenter as before the test")
        .containsExactlyInAnyOrderElementsOf(before.stream().map(VcenterAudit::identity).toList());
    assertThat(observer.childFolders(root())).as("no group folder left").isEmpty();
    FaultReport.of(report() + "-delete")
        .put("rounds", DELETE_KILLS)
        .put("recovery_ms", deleted)
        .put("kills", String.join(",", deleteKills))
        .put("vms_left", end.vms().size() - before.size())
        .put("foreign_touched", foreignTouched(end))
        .write();
  }

  private record KillReport(long atMillis, boolean ready, int tasksRunning) {}

  /**
   * Kills the operator once it is ready, a random moment later, as soon as vCenter runs a task for
   * it (or after a few seconds without one: nothing left to do).
   */
  private KillReport killMidTask(OperatorProcess operator) {
    eventually(Duration.ofSeconds(60)).until(() -> operator.ready() || !operator.alive());
    long at = operator.millisSinceStart() + random.nextInt(1500);
    Wait.fast(Duration.ofSeconds(10))
        .until(
            () ->
                !operator.alive()
                    || (operator.millisSinceStart() >= at
                        && (sim.tasksRunning() > 0 || operator.millisSinceStart() >= at + 4000)));
    return kill(operator);
  }

  private KillReport killAtRandom(OperatorProcess operator, Duration latest) {
    long at =
        EARLIEST.toMillis() + (long) (random.nextDouble() * (latest.minus(EARLIEST).toMillis()));
    // The kill waits for its moment; the process runs meanwhile.
    Wait.fast(latest.plusSeconds(5))
        .until(() -> operator.millisSinceStart() >= at || !operator.alive());
    return kill(operator);
  }

  private KillReport kill(OperatorProcess operator) {
    assertThat(operator.alive())
        .as("the operator died on its own:%n%s", operator.output())
        .isTrue();
    boolean ready = operator.ready();
    int tasks = sim.tasksRunning();
    operator.kill();
    return new KillReport(operator.millisSinceStart(), ready, tasks);
  }

  private int foreignTouched(VcenterAudit.Snapshot end) {
    List<String> now = end.vms().stream().map(VcenterAudit::identity).toList();
    return (int)
        before.stream().map(VcenterAudit::identity).filter(id -> !now.contains(id)).count();
  }
}
