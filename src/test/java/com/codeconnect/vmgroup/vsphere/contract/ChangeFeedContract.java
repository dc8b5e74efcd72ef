package com.codeconnect.vmgroup.vsphere.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Kind;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Op;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The change feed's part of the contract (see {@link VsphereClientContract}). */
abstract class ChangeFeedContract extends ContractFixture {
  @Test
  void aFeedStartsWithTheFullStateBelowItsRoot() {
    MoRef sub = client.createFolder(folder, "sub");
    MoRef vm = clone(folder, "web-0", Map.of("vmgroup.owner", "ns/web", "other", "x"));
    MoRef deep = clone(sub, "deep", Map.of());
    try (ChangeFeed feed = client.changeFeed(folder)) {
      ChangeBatch first = feed.next(Duration.ofSeconds(10));
      assertThat(first.resync()).isTrue();
      // the root itself and everything outside it are not part of it
      assertThat(first.changes())
          .extracting(ObjectChange::ref)
          .containsExactlyInAnyOrder(sub, vm, deep);
      assertThat(first.changes()).extracting(ObjectChange::op).containsOnly(Op.ENTER);
      ObjectChange v = change(first, vm);
      assertThat(v.kind()).isEqualTo(Kind.VM);
      assertThat(v.values()).containsKeys(VM_KEYS.toArray(String[]::new));
      assertThat(v.values())
          .containsEntry("name", "web-0")
          .containsEntry("parent", folder)
          .containsEntry("powerState", PowerState.POWERED_OFF)
          .containsEntry("template", false)
          .containsEntry("cpu", 2)
          .containsEntry("memoryMiB", 64L)
          .containsEntry("extraConfig", Map.of("vmgroup.owner", "ns/web"));
      assertThat(change(first, deep).values()).containsEntry("parent", sub);
      assertThat(change(first, sub).kind()).isEqualTo(Kind.FOLDER);
      assertThat(change(first, sub).values()).isEqualTo(Map.of("name", "sub", "parent", folder));
    }
  }

  private static ObjectChange change(ChangeBatch b, MoRef ref) {
    return b.changes().stream()
        .filter(c -> c.ref().equals(ref))
        .findFirst()
        .orElseThrow(() -> new AssertionError(ref + " not in " + b.changes()));
  }

  @Test
  void aFeedReportsVmsFoldersAndWatchedTasks() {
    MoRef vm = clone(folder, "web-0", Map.of("vmgroup.owner", "ns/web"));
    try (ChangeFeed feed = client.changeFeed(folder)) {
      FeedView view = new FeedView(feed);
      assertThat(view.first().resync()).isTrue();

      TaskRef resize = client.reconfigureVm(vm, 3, 96, Map.of("vmgroup.size", "3x96"));
      feed.watchTasks(List.of(resize));
      view.until(
          "resized",
          v ->
              v.taskState(resize) == TaskInfo.State.SUCCESS
                  && Integer.valueOf(3).equals(v.value(vm, "cpu")));
      assertThat(view.values(vm))
          .containsEntry("memoryMiB", 96L)
          .containsEntry("extraConfig", Map.of("vmgroup.owner", "ns/web", "vmgroup.size", "3x96"));
      assertThat(view.changesOf(vm))
          .anySatisfy(
              c -> {
                assertThat(c.op()).isEqualTo(Op.MODIFY);
                assertThat(c.values()).containsEntry("cpu", 3);
              });
      assertThat(view.changesOf(resize.ref()))
          .extracting(ObjectChange::kind)
          .containsOnly(Kind.TASK);
      feed.unwatchTasks(List.of(resize));

      TaskRef on = client.powerOnVm(vm);
      feed.watchTasks(List.of(on));
      view.until(
          "powered on",
          v ->
              v.taskState(on) == TaskInfo.State.SUCCESS
                  && v.value(vm, "powerState") == PowerState.POWERED_ON);
      assertThat(view.values(on.ref())).containsEntry("result", null).containsEntry("error", null);
      // finished tasks are unwatched, as the operator does; the simulator's WaitForUpdatesEx panics
      // when a VM whose task its list view still holds is destroyed
      feed.unwatchTasks(List.of(on));

      succeed(client.setExtraConfig(vm, Map.of("vmgroup.size", "")));
      view.until(
          "marker removed",
          v -> Map.of("vmgroup.owner", "ns/web").equals(v.value(vm, "extraConfig")));

      MoRef sub = client.createFolder(folder, "sub");
      view.until("folder entered", v -> v.has(sub));
      assertThat(view.changesOf(sub))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.op()).isEqualTo(Op.ENTER);
                assertThat(c.kind()).isEqualTo(Kind.FOLDER);
                assertThat(c.values()).isEqualTo(Map.of("name", "sub", "parent", folder));
              });

      TaskRef cloning = client.cloneVm(request(sub, "deep", Map.of("vmgroup.owner", "ns/deep")));
      feed.watchTasks(List.of(cloning));
      view.until("clone done", v -> v.taskState(cloning) == TaskInfo.State.SUCCESS);
      MoRef deep = (MoRef) view.value(cloning.ref(), "result");
      feed.unwatchTasks(List.of(cloning));
      assertThat(deep).isNotNull();
      view.until("clone entered", v -> v.has(deep));
      assertThat(view.changesOf(deep).get(0).op()).isEqualTo(Op.ENTER);
      assertThat(view.changesOf(deep).get(0).values()).containsKeys(VM_KEYS.toArray(String[]::new));
      assertThat(view.values(deep))
          .containsEntry("name", "deep")
          .containsEntry("parent", sub)
          .containsEntry("extraConfig", Map.of("vmgroup.owner", "ns/deep"));

      succeed(client.powerOffVm(vm));
      // seen before the destroy: the simulator's WaitForUpdatesEx panics when one of its batches
      // holds a change of a VM and then the VM's removal
      view.until("powered off", v -> v.value(vm, "powerState") == PowerState.POWERED_OFF);
      succeed(client.destroy(vm));
      view.until("VM left", v -> !v.has(vm));
      assertThat(view.changesOf(vm).get(view.changesOf(vm).size() - 1))
          .satisfies(
              c -> {
                assertThat(c.op()).isEqualTo(Op.LEAVE);
                assertThat(c.kind()).isEqualTo(Kind.VM);
                assertThat(c.values()).isEmpty();
              });

      succeed(client.destroy(sub));
      view.until("folder left", v -> !v.has(sub));
      assertThat(view.changesOf(sub).get(view.changesOf(sub).size() - 1).op()).isEqualTo(Op.LEAVE);
    }
  }

  @Test
  void watchingAnUnknownTaskReportsItFailedOnce() {
    try (ChangeFeed feed = client.changeFeed(folder)) {
      FeedView view = new FeedView(feed);
      view.first();
      TaskRef bogus = new TaskRef(new MoRef("Task", "task-999999"));
      feed.watchTasks(List.of(bogus));
      view.until("unknown task reported", v -> v.has(bogus.ref()));
      assertThat(view.changesOf(bogus.ref()))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.kind()).isEqualTo(Kind.TASK);
                assertThat(c.values().get("state")).isEqualTo(TaskInfo.State.ERROR);
                assertThat(c.values().get("error"))
                    .isInstanceOf(VsphereException.ManagedObjectNotFound.class);
              });
      // reported once: a later change comes alone
      MoRef later = client.createFolder(folder, "later");
      view.until("next change", v -> v.has(later));
      assertThat(view.changesOf(bogus.ref())).hasSize(1);
    }
  }

  @Test
  void aClosedFeedReturnsEmptyBatchesAndClosingEndsAWait() throws Exception {
    ChangeFeed feed = client.changeFeed(folder);
    assertThat(feed.next(Duration.ofSeconds(10)).resync()).isTrue();
    AtomicReference<ChangeBatch> result = new AtomicReference<>();
    Thread waiter = new Thread(() -> result.set(feed.next(Duration.ofSeconds(30))), "feed-waiter");
    waiter.start();
    await("waiting in next")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(
            () ->
                waiter.getState() == Thread.State.WAITING
                    || waiter.getState() == Thread.State.TIMED_WAITING);
    long start = System.nanoTime();
    feed.close();
    waiter.join(Duration.ofSeconds(10).toMillis());
    assertThat(waiter.isAlive()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(result.get().changes()).isEmpty();
    assertThat(result.get().resync()).isFalse();

    client.createFolder(folder, "after-close");
    long again = System.nanoTime();
    assertThat(feed.next(Duration.ofSeconds(30))).isEqualTo(ChangeBatch.empty());
    assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofSeconds(5));
  }
}
