package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.Filter;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.PropSpec;
import com.codeconnect.vmgroup.vsphere.soap.SoapRpc.Session;
import com.codeconnect.vmgroup.vsphere.soap.UpdateSetReader.Updates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChangeFeed} on a PropertyCollector of its own: a recursive ContainerView of the root for
 * VMs and folders, a ListView of watched tasks and clusters, and one filter over both, read with
 * WaitForUpdatesEx. Clusters share the tasks' list: a list view holds objects of any type, and a
 * cluster changes rarely, so it costs the server next to nothing between its changes.
 *
 * <p>The collector, filter and views belong to the session that created them. When the client has
 * logged in again, or the server no longer knows them (ManagedObjectNotFound,
 * InvalidCollectorVersion), the feed builds them anew and its next batch is a resync.
 *
 * <p>Changes to the task list are coalesced: every ModifyListView is a change of the view that the
 * server's collector has to work through, and with one call per task started and one per task
 * ended, reconciles queued behind each other on this feed's lock while the server was busiest. A
 * watch waits for one call that carries every task queued meanwhile (its own included); an ended
 * task leaves at once if no call is under way, else with the next one, and no caller waits for it.
 */
final class SoapChangeFeed implements ChangeFeed {
  private static final Logger LOG = LoggerFactory.getLogger(SoapChangeFeed.class);
  static final int MAX_OBJECT_UPDATES = 1000;
  private static final int MAX_REBUILDS = 3;

  /** The server-side objects of one build, and the session they live in. */
  private record Built(
      Session session, MoRef collector, MoRef filter, MoRef containerView, MoRef listView) {}

  private final SoapRpc rpc;
  private final SoapSession session;
  private final MoRef root;
  private final UpdateSetReader reader;
  // guards building, the watched set and list view changes
  private final ReentrantLock lock = new ReentrantLock();
  private final Set<MoRef> watched = ConcurrentHashMap.newKeySet();
  // queued list view changes (guarded by themselves), and what the current build's view holds
  // (guarded by lock)
  private final Set<MoRef> toAdd = new LinkedHashSet<>();
  private final Set<MoRef> toRemove = new LinkedHashSet<>();
  private final Set<MoRef> inView = new HashSet<>();
  // tasks the server could not resolve, reported once by the next batch
  private final Queue<ObjectChange> vanished = new ConcurrentLinkedQueue<>();
  private volatile Built built;
  private volatile boolean rebuildRequested;
  private volatile boolean closed;
  // touched only by the thread calling next()
  private String version = "";
  private boolean resyncPending;

  SoapChangeFeed(SoapRpc rpc, SoapSession session, String extraConfigPrefix, MoRef root) {
    this.rpc = rpc;
    this.session = session;
    this.root = root;
    this.reader = new UpdateSetReader(extraConfigPrefix);
  }

  /** The filter of one build: exposed for the golden test. */
  static Filter filter(MoRef containerView, MoRef listView) {
    return new Filter(
        List.of(
            new PropSpec("VirtualMachine", SoapDecoding.VM_PATHS),
            new PropSpec("Folder", SoapDecoding.NAME_PARENT),
            new PropSpec("Task", SoapDecoding.TASK_PATHS),
            new PropSpec("ClusterComputeResource", SoapDecoding.CLUSTER_PATHS)),
        List.of(RetrieveSpec.containerView(containerView), RetrieveSpec.listView(listView)),
        false);
  }

  @Override
  public ChangeBatch next(Duration maxWait) {
    for (int attempt = 0; ; attempt++) {
      if (closed) {
        return ChangeBatch.empty();
      }
      Built b = current();
      flushWhileFree();
      int waitSeconds = vanished.isEmpty() ? seconds(maxWait) : 0;
      XmlElement response;
      try {
        response =
            rpc.longPoll(
                "WaitForUpdatesEx",
                SoapRequests.waitForUpdatesEx(
                    b.collector(), version, waitSeconds, MAX_OBJECT_UPDATES),
                b.session(),
                // the server holds the call open for up to maxWait; then it needs its usual time
                Duration.ofSeconds(waitSeconds).plus(rpc.timeout()));
      } catch (VsphereException e) {
        if (closed) {
          return ChangeBatch.empty();
        }
        if (!invalidatesBuild(e) || attempt >= MAX_REBUILDS) {
          throw e;
        }
        LOG.info("change feed of {} is rebuilt after {}", root, e.faultType());
        discard(b, e instanceof VsphereException.NotAuthenticated);
        continue;
      }
      if (closed) {
        // closed from another thread while the server worked: what it sent is a part at best
        return ChangeBatch.empty();
      }
      Updates u;
      try {
        u = reader.read(response);
      } catch (VsphereException e) {
        throw session.redact(e);
      }
      List<ObjectChange> changes = new ArrayList<>();
      boolean truncated = false;
      if (u != null) {
        if (u.version() != null) {
          version = u.version();
        }
        for (ObjectChange c : u.changes()) {
          changes.add(session.redact(c));
        }
        truncated = u.truncated();
      }
      for (ObjectChange c; (c = vanished.poll()) != null; ) {
        changes.add(c);
      }
      boolean resync = resyncPending;
      resyncPending = false;
      if (!resync && changes.isEmpty()) {
        return ChangeBatch.empty();
      }
      return new ChangeBatch(resync, truncated, changes);
    }
  }

  @Override
  public void watchTasks(Collection<TaskRef> tasks) {
    watch(tasks.stream().map(TaskRef::ref).toList());
  }

  @Override
  public void unwatchTasks(Collection<TaskRef> tasks) {
    unwatch(tasks.stream().map(TaskRef::ref).toList());
  }

  @Override
  public void watchClusters(Collection<MoRef> clusters) {
    watch(List.copyOf(clusters));
  }

  @Override
  public void unwatchClusters(Collection<MoRef> clusters) {
    unwatch(List.copyOf(clusters));
  }

  private void watch(List<MoRef> refs) {
    if (closed) {
      return; // closed from another thread: the watcher's next feed watches all its objects
    }
    boolean fresh = false;
    synchronized (toAdd) {
      for (MoRef r : refs) {
        // an object whose removal is still queued never left the view
        if (watched.add(r) && !toRemove.remove(r)) {
          toAdd.add(r);
          fresh = true;
        }
      }
    }
    if (!fresh) {
      return;
    }
    // Whoever holds the lock meanwhile may already carry these objects in its call; then there is
    // nothing left to send once the lock is ours.
    lock.lock();
    try {
      flush();
    } finally {
      lock.unlock();
    }
    flushWhileFree();
  }

  private void unwatch(List<MoRef> refs) {
    if (closed) {
      return;
    }
    synchronized (toAdd) {
      for (MoRef r : refs) {
        if (watched.remove(r) && !toAdd.remove(r)) {
          toRemove.add(r);
        }
      }
    }
    // A task that ended does no harm in the view for a moment: it changes no more. So the caller
    // never waits behind another call; whoever holds the lock takes the removal along.
    flushWhileFree();
  }

  /** Sends the queued list view changes, if any, in one call; with {@link #lock} held. */
  private void flush() {
    List<MoRef> add;
    List<MoRef> remove;
    synchronized (toAdd) {
      add = new ArrayList<>(toAdd);
      remove = new ArrayList<>(toRemove);
      toAdd.clear();
      toRemove.clear();
    }
    Built b = built;
    add.removeIf(inView::contains);
    remove.removeIf(r -> !inView.contains(r));
    if (b == null || (add.isEmpty() && remove.isEmpty())) {
      return; // the next build adds every watched task, and no other
    }
    try {
      addToList(b, add, remove);
    } catch (VsphereException e) {
      if (!invalidatesBuild(e)) {
        // not watched then: their state is asked of vCenter directly
        watched.removeAll(add);
        LOG.debug("could not change the watched tasks: {}", e.getMessage());
        return;
      }
      // the build is gone; the next call of next() builds anew with every watched task
      rebuildRequested = true;
    }
  }

  /**
   * Sends queued changes unless another thread is sending; that thread looks again after releasing
   * the lock, so nothing queued while it held it is left behind.
   */
  private void flushWhileFree() {
    while (pending() && lock.tryLock()) {
      try {
        flush();
      } finally {
        lock.unlock();
      }
    }
  }

  private boolean pending() {
    synchronized (toAdd) {
      return !toAdd.isEmpty() || !toRemove.isEmpty();
    }
  }

  /** Best effort: the objects die with their session anyway. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    lock.lock();
    try {
      Built b = built;
      built = null;
      if (b != null && session.ifAny() == b.session()) {
        destroy(b);
      }
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- building

  /** The build for the client's current session, made anew when that session changed. */
  private Built current() {
    Session s = session.current();
    Built b = built;
    if (b != null && b.session() == s && !rebuildRequested) {
      return b;
    }
    lock.lock();
    try {
      checkOpen();
      b = built;
      if (b != null && b.session() == s && !rebuildRequested) {
        return b;
      }
      if (b != null && b.session() == s) {
        destroy(b); // asked to rebuild in the same session: don't leak the old objects
      }
      built = null;
      rebuildRequested = false;
      Built fresh = build(s);
      built = fresh;
      version = "";
      resyncPending = true;
      return fresh;
    } finally {
      lock.unlock();
    }
  }

  private Built build(Session s) {
    for (int attempt = 0; ; attempt++) {
      try {
        return buildIn(s);
      } catch (VsphereException.NotAuthenticated e) {
        if (attempt > 0) {
          throw e;
        }
        s = session.after(s);
      }
    }
  }

  private Built buildIn(Session s) {
    MoRef viewManager = rpc.content().viewManager();
    MoRef collector =
        rpc.callForRef(
            "CreatePropertyCollector",
            SoapRequests.createPropertyCollector(rpc.content().propertyCollector()),
            s);
    MoRef containerView = null;
    MoRef listView = null;
    try {
      containerView =
          rpc.callForRef(
              "CreateContainerView",
              SoapRequests.createContainerView(
                  viewManager, root, List.of("VirtualMachine", "Folder"), true),
              s);
      listView =
          rpc.callForRef("CreateListView", SoapRequests.createListView(viewManager, List.of()), s);
      MoRef filter =
          rpc.callForRef(
              "CreateFilter",
              SoapRequests.createFilter(collector, filter(containerView, listView), false),
              s);
      Built b = new Built(s, collector, filter, containerView, listView);
      inView.clear();
      synchronized (toAdd) {
        // the build adds every watched task itself, and a fresh view holds no ended ones
        toAdd.clear();
        toRemove.clear();
      }
      if (!watched.isEmpty()) {
        addToList(b, new ArrayList<>(watched), List.of());
      }
      return b;
    } catch (VsphereException e) {
      destroy(new Built(s, collector, null, containerView, listView));
      throw e;
    }
  }

  /**
   * Adds tasks to the list view. Tasks the server can't resolve are reported once as failed with
   * ManagedObjectNotFound and no longer watched. vCenter returns them from ModifyListView;
   * govmomi's simulator faults instead, naming one of them, after adding the ones before it.
   */
  private void addToList(Built b, List<MoRef> refs, List<MoRef> remove) {
    List<MoRef> pending = new ArrayList<>(refs);
    boolean retry = false;
    while (!pending.isEmpty() || (!retry && !remove.isEmpty())) {
      try {
        XmlElement r =
            rpc.call(
                "ModifyListView",
                // on a retry, remove first so no task is listed twice
                SoapRequests.modifyListView(b.listView(), pending, retry ? pending : remove),
                b.session());
        inView.addAll(pending);
        if (!retry) {
          remove.forEach(inView::remove);
        }
        for (XmlElement unresolved : r.children("returnval")) {
          MoRef ref = unresolved.asMoRef();
          if (ref != null) {
            inView.remove(ref);
            vanish(ref, new VsphereException.ManagedObjectNotFound(ref + " no longer exists", ref));
          }
        }
        return;
      } catch (VsphereException.ManagedObjectNotFound e) {
        if (!retry && e.object() != null && remove.contains(e.object())) {
          // a task that ended and is gone from the server: out of the view either way
          remove = new ArrayList<>(remove);
          remove.remove(e.object());
          inView.remove(e.object());
          continue;
        }
        if (e.object() == null || !pending.remove(e.object())) {
          throw e; // about the view, not a task
        }
        vanish(e.object(), e);
        if (!retry) {
          // the simulator applied the removals before it faulted on an addition
          remove.forEach(inView::remove);
        }
        retry = true;
      }
    }
  }

  private void vanish(MoRef ref, VsphereException cause) {
    watched.remove(ref);
    vanished.add(
        ref.type().equals("Task")
            ? UpdateSetReader.vanishedTask(ref, cause)
            : UpdateSetReader.vanishedCluster(ref));
  }

  private void discard(Built b, boolean sessionLost) {
    if (sessionLost) {
      session.after(b.session());
    }
    lock.lock();
    try {
      if (built == b) {
        built = null;
        if (!sessionLost) {
          destroy(b);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void destroy(Built b) {
    if (b.filter() != null) {
      quietly(b.session(), "DestroyPropertyFilter", SoapRequests.destroyPropertyFilter(b.filter()));
    }
    if (b.collector() != null) {
      quietly(
          b.session(),
          "DestroyPropertyCollector",
          SoapRequests.destroyPropertyCollector(b.collector()));
    }
    if (b.containerView() != null) {
      quietly(b.session(), "DestroyView", SoapRequests.destroyView(b.containerView()));
    }
    if (b.listView() != null) {
      quietly(b.session(), "DestroyView", SoapRequests.destroyView(b.listView()));
    }
  }

  private void quietly(Session s, String method, byte[] body) {
    try {
      rpc.call(method, body, s);
    } catch (VsphereException e) {
      LOG.debug("{} failed: {}", method, e.getMessage());
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Faults after which the collector, filter or views are gone or unusable. */
  private static boolean invalidatesBuild(VsphereException e) {
    return e instanceof VsphereException.NotAuthenticated
        || e instanceof VsphereException.ManagedObjectNotFound
        || "InvalidCollectorVersion".equals(e.faultType());
  }

  private static int seconds(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return 0;
    }
    long s = (d.toMillis() + 999) / 1000;
    return (int) Math.min(s, Integer.MAX_VALUE / 2);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("change feed is closed");
    }
  }
}
