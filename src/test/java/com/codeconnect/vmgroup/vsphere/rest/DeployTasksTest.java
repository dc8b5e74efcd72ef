package com.codeconnect.vmgroup.vsphere.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeployTasksTest {
  private final AtomicLong now = new AtomicLong();
  private final CountDownLatch release = new CountDownLatch(1);
  private final DeployTasks tasks = new DeployTasks(1, 1, now::get);

  @AfterEach
  void close() {
    release.countDown();
    tasks.close();
  }

  private MoRef blocked() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new MoRef("VirtualMachine", "vm-1");
  }

  @Test
  void aStartReturnsAtOnceAndTheTaskEndsWithTheWorksResultForEveryListener() {
    List<TaskInfo> heard = new CopyOnWriteArrayList<>();
    tasks.addListener(heard::add);
    TaskRef task = tasks.start(this::blocked);
    assertThat(tasks.owns(task)).isTrue();
    assertThat(tasks.owns(new TaskRef(new MoRef("Task", "task-1")))).isFalse();
    assertThat(tasks.info(task).done()).isFalse();
    assertThat(tasks.unfinished()).isOne();
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> tasks.info(task).done());
    TaskInfo end = tasks.info(task);
    assertThat(end.state()).isEqualTo(TaskInfo.State.SUCCESS);
    assertThat(end.result()).isEqualTo(new MoRef("VirtualMachine", "vm-1"));
    assertThat(heard).containsExactly(end);
    assertThat(tasks.unfinished()).isZero();
  }

  @Test
  void aFaultEndsTheTaskWithIt() {
    VsphereException duplicate = new VsphereException.DuplicateName("taken", null);
    TaskRef task =
        tasks.start(
            () -> {
              throw duplicate;
            });
    await().atMost(Duration.ofSeconds(5)).until(() -> tasks.info(task).done());
    assertThat(tasks.info(task).state()).isEqualTo(TaskInfo.State.ERROR);
    assertThat(tasks.info(task).error()).isSameAs(duplicate);
  }

  @Test
  void aFullQueueRefusesTheStartAsTransient() {
    tasks.start(this::blocked);
    tasks.start(this::blocked);
    assertThatThrownBy(() -> tasks.start(this::blocked))
        .isInstanceOf(VsphereException.TaskInProgress.class)
        .hasMessageContaining("waiting");
  }

  @Test
  void anEndedTaskIsForgottenAfterAWhileAndThenAnsweredAsVcenterAnswersAForgottenTask() {
    release.countDown();
    TaskRef task = tasks.start(this::blocked);
    await().atMost(Duration.ofSeconds(5)).until(() -> tasks.info(task).done());
    now.addAndGet(DeployTasks.RETAIN.plusSeconds(1).toNanos());
    tasks.start(this::blocked);
    TaskInfo forgotten = tasks.info(task);
    assertThat(forgotten.state()).isEqualTo(TaskInfo.State.ERROR);
    assertThat(forgotten.error()).isInstanceOf(VsphereException.ManagedObjectNotFound.class);
  }
}
