package com.codeconnect.vmgroup.vsphere.soap;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Kind;
import com.codeconnect.vmgroup.vsphere.ObjectChange.Op;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.cache.Inventory;
import com.codeconnect.vmgroup.vsphere.cache.InventoryWatcher;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.Filter;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.ObjSpec;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.PropSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The change feed and the session keep-alive against govmomi's simulator. */
class SoapChangeFeedIT {
  private static Vcsim vcsim;
  private SoapVsphereClient client;
  private MoRef folder;

  @BeforeAll
  static void startSimulator() {
    vcsim = Vcsim.builder().standaloneHosts(1).start();
  }

  @AfterAll
  static void stopSimulator() {
    vcsim.close();
  }

  @BeforeEach
  void connect(TestInfo info) {
    client = newClient(Duration.ZERO);
    folder =
        client.createFolder(vmFolder(), "feed-" + info.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void close() {
    client.close();
  }

  private static SoapVsphereClient newClient(Duration keepAlive) {
    return SoapVsphereClient.builder(vcsim.url())
        .credentials(() -> new Credentials("administrator@vsphere.local", "pw"))
        .keepAlive(keepAlive)
        .build();
  }

  private MoRef vmFolder() {
    return client.datacenter(client.findByInventoryPath("/DC0").orElseThrow()).vmFolder();
  }

  private TaskRef startClone(String name) {
    MoRef template = client.findByInventoryPath("/DC0/vm/vm-operator-template").orElseThrow();
    MoRef pool = client.findByInventoryPath("/DC0/host/DC0_C0/Resources").orElseThrow();
    return client.cloneVm(
        new CloneRequest(
            template, folder, pool, null, name, 1, 32, Map.of("vmgroup.owner", "ns/" + name)));
  }

  private MoRef clone(String name) {
    TaskInfo info = succeed(startClone(name));
    return info.result();
  }

  private TaskInfo succeed(TaskRef t) {
    TaskInfo info = client.tasks(List.of(t)).get(0);
    assertThat(info.state()).as("task error %s", info.error()).isEqualTo(TaskInfo.State.SUCCESS);
    return info;
  }

  /** Reads batches until one change matches; returns it. */
  private static ObjectChange await(
      ChangeFeed feed, Duration within, Predicate<ObjectChange> wanted) {
    long deadline = System.nanoTime() + within.toNanos();
    List<ObjectChange> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      for (ObjectChange c : feed.next(Duration.ofSeconds(1)).changes()) {
        if (wanted.test(c)) {
          return c;
        }
        seen.add(c);
      }
    }
    throw new AssertionError("no matching change within " + within + "; saw " + seen);
  }

  private static Predicate<ObjectChange> is(MoRef ref, Op op) {
    return c -> c.ref().equals(ref) && c.op() == op;
  }

  private static ObjectChange find(ChangeBatch b, MoRef ref) {
    return b.changes().stream()
        .filter(c -> c.ref().equals(ref))
        .findFirst()
        .orElseThrow(() -> new AssertionError(ref + " not in " + b.changes()));
  }

  @Test
  void resyncThenPowerDestroyAndFolderChanges() {
    MoRef sub = client.createFolder(folder, "sub");
    MoRef vm = clone("web-0");
    try (ChangeFeed feed = client.changeFeed(folder)) {
      ChangeBatch first = feed.next(Duration.ofSeconds(5));
      assertThat(first.resync()).isTrue();
      assertThat(first.changes()).extracting(ObjectChange::ref).containsExactlyInAnyOrder(vm, sub);
      ObjectChange v = find(first, vm);
      assertThat(v.kind()).isEqualTo(Kind.VM);
      assertThat(v.op()).isEqualTo(Op.ENTER);
      assertThat(v.values())
          .containsEntry("name", "web-0")
          .containsEntry("parent", folder)
          .containsEntry("powerState", PowerState.POWERED_OFF)
          .containsEntry("template", false)
          .containsEntry("extraConfig", Map.of("vmgroup.owner", "ns/web-0"))
          .containsKeys("cpu", "memoryMiB", "instanceUuid", "ipAddress");
      assertThat(find(first, sub).values()).isEqualTo(Map.of("name", "sub", "parent", folder));
      assertThat(find(first, sub).kind()).isEqualTo(Kind.FOLDER);

      succeed(client.powerOnVm(vm));
      await(
          feed,
          Duration.ofSeconds(5),
          c -> is(vm, Op.MODIFY).test(c) && c.values().get("powerState") == PowerState.POWERED_ON);

      long start = System.nanoTime();
      succeed(client.powerOffVm(vm));
      ObjectChange off =
          await(
              feed,
              Duration.ofSeconds(5),
              c -> is(vm, Op.MODIFY).test(c) && c.values().containsKey("powerState"));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(off.values().get("powerState")).isEqualTo(PowerState.POWERED_OFF);
      assertThat(millis).as("power-off seen after %d ms", millis).isLessThan(1500);

      succeed(client.destroy(vm));
      ObjectChange leave = await(feed, Duration.ofSeconds(5), is(vm, Op.LEAVE));
      assertThat(leave.values()).isEmpty();
      assertThat(leave.kind()).isEqualTo(Kind.VM);

      MoRef sub2 = client.createFolder(sub, "sub2");
      ObjectChange enter = await(feed, Duration.ofSeconds(5), is(sub2, Op.ENTER));
      assertThat(enter.kind()).isEqualTo(Kind.FOLDER);
      assertThat(enter.values()).isEqualTo(Map.of("name", "sub2", "parent", sub));
    }
    // close destroyed the server-side objects
    assertThat(client.callCount("DestroyPropertyCollector")).isEqualTo(1);
    assertThat(client.callCount("DestroyView")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void watchedTasksReportOutcomeAndVanishedTasksEndAsError() throws Exception {
    try (ChangeFeed feed = client.changeFeed(folder)) {
      assertThat(feed.next(Duration.ofSeconds(5)).resync()).isTrue();
      // watch from another thread while next() is blocked in WaitForUpdatesEx
      CompletableFuture<ObjectChange> seen =
          CompletableFuture.supplyAsync(
              () -> await(feed, Duration.ofSeconds(10), c -> c.kind() == Kind.TASK));
      Thread.sleep(300);
      TaskRef clone = startClone("watched");
      long start = System.nanoTime();
      feed.watchTasks(List.of(clone));
      ObjectChange task = seen.get(10, TimeUnit.SECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(millis).as("task seen after %d ms", millis).isLessThan(3000);
      assertThat(task.ref()).isEqualTo(clone.ref());
      assertThat(task.values().get("state")).isEqualTo(TaskInfo.State.SUCCESS);
      MoRef newVm =
          client
              .findByInventoryPath(
                  "/DC0/vm/"
                      + "feed-"
                      + "watchedTasksReportOutcomeAndVanishedTasksEndAsError"
                      + "/watched")
              .orElseThrow();
      assertThat(task.values().get("result")).isEqualTo(newVm);
      feed.unwatchTasks(List.of(clone));

      TaskRef bogus = new TaskRef(new MoRef("Task", "task-999999"));
      feed.watchTasks(List.of(bogus));
      ObjectChange gone = await(feed, Duration.ofSeconds(5), c -> c.ref().equals(bogus.ref()));
      assertThat(gone.kind()).isEqualTo(Kind.TASK);
      assertThat(gone.values().get("state")).isEqualTo(TaskInfo.State.ERROR);
      assertThat(gone.values().get("error"))
          .isInstanceOf(VsphereException.ManagedObjectNotFound.class);
      // reported once only
      ChangeBatch after = feed.next(Duration.ofSeconds(1));
      assertThat(after.changes()).extracting(ObjectChange::ref).doesNotContain(bogus.ref());
    }
  }

  @Test
  void terminatedSessionGivesResyncWithFullStateAndOneSessionRemains() {
    MoRef vm = clone("web-1");
    MoRef sub = client.createFolder(folder, "sub");
    try (ChangeFeed feed = client.changeFeed(folder)) {
      assertThat(feed.next(Duration.ofSeconds(5)).resync()).isTrue();
      TaskRef watched = client.powerOnVm(vm);
      feed.watchTasks(List.of(watched));
      await(feed, Duration.ofSeconds(5), c -> c.ref().equals(watched.ref()));
      for (int i = 0; i < 3; i++) {
        String before = client.sessionKey();
        terminateSessionOutOfBand(client);
        ChangeBatch b = feed.next(Duration.ofSeconds(5));
        assertThat(b.resync()).isTrue();
        assertThat(b.changes())
            .extracting(ObjectChange::ref)
            .containsExactlyInAnyOrder(vm, sub, watched.ref());
        assertThat(find(b, vm).values()).containsEntry("powerState", PowerState.POWERED_ON);
        assertThat(client.sessionKey()).isNotEqualTo(before);
      }
      assertThat(client.callCount("Login")).isEqualTo(4);
      // three re-logins leave exactly one session of this client on the server
      assertThat(sessionKeys(client)).containsExactly(client.sessionKey());
      // a quiet feed on the new session still works
      assertThat(feed.next(Duration.ofSeconds(1)).resync()).isFalse();
    }
  }

  @Test
  void quietPeriodCostsOnlyWaitForUpdatesEx() {
    clone("quiet");
    try (ChangeFeed feed = client.changeFeed(folder)) {
      assertThat(feed.next(Duration.ofSeconds(5)).resync()).isTrue();
      long others = client.callCount() - client.callCount("WaitForUpdatesEx");
      long waits = client.callCount("WaitForUpdatesEx");
      long start = System.nanoTime();
      while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
        assertThat(feed.next(Duration.ofSeconds(5)).changes()).isEmpty();
      }
      assertThat(client.callCount() - client.callCount("WaitForUpdatesEx")).isEqualTo(others);
      // 5 s waits: about two calls in ten seconds
      assertThat(client.callCount("WaitForUpdatesEx") - waits).isBetween(2L, 4L);
    }
  }

  @Test
  void closingFromAnotherThreadEndsAWaitInProgress() throws Exception {
    ChangeFeed feed = client.changeFeed(folder);
    assertThat(feed.next(Duration.ofSeconds(5)).resync()).isTrue();
    long destroyed = client.callCount("DestroyPropertyFilter");
    CompletableFuture<ChangeBatch> waiting =
        CompletableFuture.supplyAsync(() -> feed.next(Duration.ofSeconds(30)));
    Thread.sleep(500); // the wait is under way on the server
    long start = System.nanoTime();
    feed.close();
    ChangeBatch b = waiting.get(10, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(b.changes()).isEmpty();
    assertThat(client.callCount("DestroyPropertyFilter") - destroyed)
        .as("the server's filter is gone, so the server stops working for it")
        .isEqualTo(1);
    assertThat(feed.next(Duration.ofSeconds(30)).changes()).isEmpty();
  }

  /**
   * An operator's watcher on the test's folder; each applied batch adds whether it was a resync.
   */
  private InventoryWatcher watch(java.util.Collection<Boolean> batches) {
    return new InventoryWatcher(
            client,
            () -> folder,
            new Inventory(),
            (resync, deltas) -> batches.add(resync),
            Duration.ofHours(1),
            java.time.Clock.systemUTC())
        .start();
  }

  @Test
  void aRequestedResyncArrivesWithoutWaitingForTheNextBatch() throws Exception {
    MoRef vm = clone("resync-me");
    java.util.concurrent.BlockingQueue<Boolean> batches =
        new java.util.concurrent.LinkedBlockingQueue<>();
    try (InventoryWatcher watcher = watch(batches)) {
      assertThat(batches.poll(10, TimeUnit.SECONDS)).as("the first full state").isTrue();
      assertThat(watcher.inventory().vms()).extracting(v -> v.ref()).contains(vm);
      Thread.sleep(500); // the feed now waits up to 30 s for a change; none comes
      long start = System.nanoTime();
      watcher.requestResync("a test asked", true);
      assertThat(batches.poll(10, TimeUnit.SECONDS)).as("a full state again").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(watcher.resyncPending()).isFalse();
      assertThat(watcher.inventory().vms()).extracting(v -> v.ref()).contains(vm);
    }
  }

  @Test
  void aPausedFeedCostsVcenterNothingAndResumesWithAFullState() throws Exception {
    java.util.concurrent.BlockingQueue<Boolean> batches =
        new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.atomic.AtomicBoolean resume =
        new java.util.concurrent.atomic.AtomicBoolean();
    try (InventoryWatcher watcher = watch(batches)) {
      assertThat(batches.poll(10, TimeUnit.SECONDS)).as("the first full state").isTrue();
      Thread.sleep(300); // the feed waits for changes
      long destroyed = client.callCount("DestroyPropertyFilter");
      watcher.pause("a test asked", resume::get);
      assertThat(watcher.paused()).isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (client.callCount("DestroyPropertyFilter") == destroyed
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(client.callCount("DestroyPropertyFilter") - destroyed)
          .as("the server's filter is gone at once")
          .isEqualTo(1);
      Thread.sleep(300);
      long calls = client.callCount();
      MoRef vm = clone("while-paused");
      long cloneCalls = client.callCount() - calls;
      Thread.sleep(1000);
      assertThat(client.callCount() - calls)
          .as("no feed call while paused, only the clone's own")
          .isEqualTo(cloneCalls);
      assertThat(watcher.inventory().vms()).extracting(v -> v.ref()).doesNotContain(vm);

      resume.set(true);
      assertThat(batches.poll(10, TimeUnit.SECONDS)).as("a full state again").isTrue();
      assertThat(watcher.paused()).isFalse();
      assertThat(watcher.inventory().vms()).extracting(v -> v.ref()).contains(vm);
    }
  }

  @Test
  void keepAlivePingsOnlyAnIdleSession() throws Exception {
    try (SoapVsphereClient c = newClient(Duration.ofSeconds(1))) {
      // no session yet: nothing to keep alive
      Thread.sleep(1500);
      assertThat(c.callCount("CurrentTime")).isZero();

      c.datacenters();
      // busy: a call every 200 ms for 3 s
      long start = System.nanoTime();
      while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3)) {
        c.findByInventoryPath("/DC0");
        Thread.sleep(200);
      }
      assertThat(c.callCount("CurrentTime")).isZero();

      // an outstanding WaitForUpdatesEx is activity too
      try (ChangeFeed feed = c.changeFeed(folder)) {
        feed.next(Duration.ofSeconds(5));
        feed.next(Duration.ofSeconds(3));
        assertThat(c.callCount("CurrentTime")).isZero();
      }

      // idle: a ping after about one second
      long idleStart = System.nanoTime();
      while (c.callCount("CurrentTime") == 0
          && System.nanoTime() - idleStart < TimeUnit.SECONDS.toNanos(5)) {
        Thread.sleep(50);
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleStart);
      assertThat(c.callCount("CurrentTime")).isEqualTo(1);
      assertThat(millis).isBetween(800L, 2000L);
      Thread.sleep(2200);
      assertThat(c.callCount("CurrentTime")).isBetween(2L, 4L);
    }
  }

  private static void terminateSessionOutOfBand(SoapVsphereClient victim) {
    String key = victim.sessionKey();
    assertThat(key).isNotBlank();
    try (SoapVsphereClient admin = newClient(Duration.ZERO)) {
      admin.about();
      admin.callWithSession(
          "TerminateSession",
          RequestWriter.call("TerminateSession", admin.sessionManager())
              .text("sessionId", key)
              .finish());
    }
  }

  /** SessionManager.sessionList as the simulator reports it: the keys of all open sessions. */
  static List<String> sessionKeys(SoapVsphereClient c) {
    XmlElement r =
        c.callWithSession(
            "RetrievePropertiesEx",
            SoapRequests.retrievePropertiesEx(
                c.propertyCollector(),
                new Filter(
                    List.of(new PropSpec("SessionManager", List.of("sessionList"))),
                    List.of(new ObjSpec(c.sessionManager(), false, List.of())),
                    false),
                0));
    List<String> keys = new ArrayList<>();
    for (XmlElement o : r.child("returnval").children("objects")) {
      for (XmlElement p : o.children("propSet")) {
        XmlElement val = p.child("val");
        if (val != null) {
          for (XmlElement s : val.children()) {
            keys.add(s.childText("key"));
          }
        }
      }
    }
    return keys;
  }
}
