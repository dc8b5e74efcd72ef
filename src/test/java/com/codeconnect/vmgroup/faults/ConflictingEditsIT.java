package com.codeconnect.vmgroup.faults;

import static com.codeconnect.vmgroup.testing.Wait.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario 6: two people edit the same groups at once, in quick succession (replicas, CPU,
 * memory), while the operator is busy with the previous edits. Whatever spec is stored last is what
 * vCenter ends up with: the right count, the right size, no duplicates, nothing left over.
 */
class ConflictingEditsIT extends FaultFixture {
  static final List<String> GROUPS = List.of("ce-a", "ce-b", "ce-c");
  static final int EDITS_PER_USER = 6;
  static final long SEED = Long.getLong("faults.seed", 7L);

  @Test
  void rapidConflictingEditsConvergeToTheLastSpec() throws Exception {
    for (String g : GROUPS) {
      create(g, 1, 1, 2);
    }
    GROUPS.forEach(this::awaitConverged);

    AtomicInteger edits = new AtomicInteger();
    AtomicInteger whileBusy = new AtomicInteger();
    ExecutorService users = Executors.newFixedThreadPool(2);
    List<Future<?>> done = new ArrayList<>();
    long start = System.nanoTime();
    for (int u = 0; u < 2; u++) {
      Random random = new Random(SEED + u);
      done.add(
          users.submit(
              () -> {
                for (int i = 0; i < EDITS_PER_USER; i++) {
                  for (String g : GROUPS) {
                    int replicas = random.nextInt(7);
                    int cpu = 1 + random.nextInt(3);
                    int memory = 1 + random.nextInt(2);
                    if (operator.tasksInFlight() > 0) {
                      whileBusy.incrementAndGet();
                    }
                    edit(
                        g,
                        s -> {
                          s.setReplicas(replicas);
                          s.setCpu(cpu);
                          s.setMemory(new IntOrString(memory));
                        });
                    edits.incrementAndGet();
                  }
                  pause(random.nextInt(400));
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get(2, TimeUnit.MINUTES);
    }
    users.shutdown();
    long lastEdit = System.nanoTime();

    GROUPS.forEach(this::awaitConverged);
    for (String g : GROUPS) {
      eventually(PATIENCE)
          .untilAsserted(
              () -> {
                VmGroup now = get(g);
                assertThat(now.getStatus().getObservedGeneration())
                    .isEqualTo(now.getMetadata().getGeneration());
                assertThat(isTrue(g, StatusBuilder.READY)).isTrue();
                assertThat(isTrue(g, StatusBuilder.DEGRADED)).isFalse();
              });
    }
    long converged = millisSince(lastEdit);
    VcenterAudit.Result audit = audit();
    FaultReport.of("conflicting-edits")
        .put("faults", "2_users_x_" + EDITS_PER_USER + "_edits_x_" + GROUPS.size() + "_groups")
        .put("rounds", edits.get())
        .put("edits_while_tasks_ran", whileBusy.get())
        .put("edit_window_ms", (lastEdit - start) / 1_000_000)
        .put("recovery_ms", converged)
        .put("seed", SEED)
        .audit(audit)
        .write();
    assertThat(audit.problems()).isEmpty();
    assertThat(whileBusy.get()).as("edits that landed while tasks ran").isPositive();
  }

  /** Pacing between one person's edits (not a wait for the operator). */
  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
