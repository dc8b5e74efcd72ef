package com.codeconnect.vmgroup.endpoint;

import com.codeconnect.vmgroup.api.v1alpha1.VCenterQuota;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What each group holds on one vCenter (VMs, vCPUs, memory), so that the quota of a namespace is
 * checked against all its groups at once. Groups reconcile in parallel: taking a share and checking
 * it happen under one lock, so two groups can't both take the last VM of a quota.
 *
 * <p>A group's entry is what its last observation found (its VMs plus the clones it started that
 * aren't among them yet, however long the change feed takes to show them); what it takes in a
 * reconcile is added on top until its next observation replaces the entry. A group not observed
 * since the operator started is counted from its status ({@link #seed}), so a restart doesn't
 * forget what is in use.
 */
public final class QuotaLedger {
  /** An amount of resources. */
  public record Usage(int vms, int cpus, long memoryMiB) {
    public static final Usage NONE = new Usage(0, 0, 0);

    public Usage plus(Usage o) {
      return new Usage(vms + o.vms, cpus + o.cpus, memoryMiB + o.memoryMiB);
    }

    /** Memory in whole GiB, rounded up: a quota is never shown as kept when it isn't. */
    public int memoryGiB() {
      return (int) ((memoryMiB + 1023) / 1024);
    }
  }

  private record Entry(String namespace, Usage usage) {}

  /** A clone started and not yet seen as a VM of its group. */
  private record Pending(Usage usage, Instant since) {}

  /**
   * How long a started clone counts without being seen: the change feed can be seconds behind a
   * task's end, and a clone that is counted neither as running nor as a VM would let another in.
   */
  static final Duration PENDING_FOR = Duration.ofMinutes(2);

  private final Map<String, Entry> byGroup = new HashMap<>();
  // the sum of byGroup's usages per namespace, kept with every change of byGroup: a clone's quota
  // check summed every group's entry, which at 2,000 groups was a sixth of the operator's CPU
  private final Map<String, Usage> totals = new HashMap<>();
  private final Map<String, Map<String, Pending>> pending = new HashMap<>();
  private final Clock clock;
  private Runnable onChange = () -> {};

  public QuotaLedger() {
    this(Clock.systemUTC());
  }

  public QuotaLedger(Clock clock) {
    this.clock = clock;
  }

  /** Who hears that the usage of some namespace changed (the VCenter status). */
  public synchronized void onChange(Runnable listener) {
    this.onChange = Objects.requireNonNull(listener);
  }

  /**
   * Replaces a group's entry with what its observation found, plus the clones it started that the
   * observation doesn't show yet.
   *
   * @param vms the group's VMs as observed (usage of those seen)
   * @param names their names
   */
  public void observed(String uid, String namespace, Usage vms, Set<String> names) {
    boolean changed;
    synchronized (this) {
      Usage total = vms;
      Map<String, Pending> mine = pending.get(uid);
      if (mine != null) {
        Instant stale = clock.instant().minus(PENDING_FOR);
        mine.entrySet()
            .removeIf(e -> names.contains(e.getKey()) || e.getValue().since().isBefore(stale));
        for (Pending p : mine.values()) {
          total = total.plus(p.usage());
        }
      }
      Entry before = put(uid, new Entry(namespace, total));
      changed = before == null || !before.usage().equals(total);
    }
    if (changed) {
      notifyChange();
    }
  }

  /** Counts a group not observed yet, from what its status last said. */
  public synchronized void seed(String uid, String namespace, Usage usage) {
    if (!byGroup.containsKey(uid)) {
      put(uid, new Entry(namespace, usage));
    }
  }

  public synchronized boolean knows(String uid) {
    return byGroup.containsKey(uid);
  }

  /**
   * Takes {@code more} for the group if the namespace stays within {@code quota}; null quota means
   * no limit.
   *
   * @return null when taken, else which limit stops it and at what value, for the condition
   */
  public String tryTake(String uid, String namespace, VCenterQuota quota, Usage more) {
    String refused;
    synchronized (this) {
      Usage total = usedBy(namespace).plus(more);
      refused = exceeded(quota, total);
      if (refused == null) {
        Entry mine = byGroup.getOrDefault(uid, new Entry(namespace, Usage.NONE));
        put(uid, new Entry(namespace, mine.usage().plus(more)));
      }
    }
    if (refused == null && !more.equals(Usage.NONE)) {
      notifyChange();
    }
    return refused;
  }

  /** A clone taken by {@link #tryTake} has started: it counts until its VM is observed. */
  public synchronized void cloning(String uid, String vmName, Usage usage) {
    pending
        .computeIfAbsent(uid, u -> new HashMap<>())
        .put(vmName, new Pending(usage, clock.instant()));
  }

  /** A started clone failed: it no longer counts from the group's next observation on. */
  public synchronized void cloneFailed(String uid, String vmName) {
    Map<String, Pending> mine = pending.get(uid);
    if (mine != null) {
      mine.remove(vmName);
    }
  }

  /** Returns what {@link #tryTake} took for an action that then didn't start. */
  public void giveBack(String uid, Usage less) {
    synchronized (this) {
      Entry mine = byGroup.get(uid);
      if (mine == null) {
        return;
      }
      Usage u = mine.usage();
      put(
          uid,
          new Entry(
              mine.namespace(),
              new Usage(
                  Math.max(0, u.vms() - less.vms()),
                  Math.max(0, u.cpus() - less.cpus()),
                  Math.max(0, u.memoryMiB() - less.memoryMiB()))));
    }
    notifyChange();
  }

  static String exceeded(VCenterQuota quota, Usage total) {
    if (quota == null) {
      return null;
    }
    if (quota.maxVms != null && total.vms() > quota.maxVms) {
      return "maxVms " + quota.maxVms;
    }
    if (quota.maxCpus != null && total.cpus() > quota.maxCpus) {
      return "maxCpus " + quota.maxCpus;
    }
    if (quota.maxMemoryGiB != null && total.memoryMiB() > quota.maxMemoryGiB * 1024L) {
      return "maxMemoryGiB " + quota.maxMemoryGiB;
    }
    return null;
  }

  public void forget(String uid) {
    boolean changed;
    synchronized (this) {
      changed = put(uid, null) != null;
      pending.remove(uid);
    }
    if (changed) {
      notifyChange();
    }
  }

  public synchronized Usage usedBy(String namespace) {
    return totals.getOrDefault(namespace, Usage.NONE);
  }

  /** Sets (null: removes) a group's entry and keeps the namespace totals; returns the old one. */
  private Entry put(String uid, Entry entry) {
    Entry before = entry == null ? byGroup.remove(uid) : byGroup.put(uid, entry);
    if (before != null) {
      Usage u = before.usage();
      totals.computeIfPresent(
          before.namespace(),
          (ns, t) -> {
            Usage left =
                new Usage(t.vms() - u.vms(), t.cpus() - u.cpus(), t.memoryMiB() - u.memoryMiB());
            return left.equals(Usage.NONE) ? null : left;
          });
    }
    if (entry != null) {
      totals.merge(entry.namespace(), entry.usage(), Usage::plus);
    }
    return before;
  }

  /** Usage per namespace that has groups here, sorted by namespace. */
  public synchronized Map<String, Usage> byNamespace() {
    Map<String, Usage> out = new TreeMap<>();
    byGroup.values().forEach(e -> out.merge(e.namespace(), e.usage(), Usage::plus));
    return out;
  }

  public synchronized int groups() {
    return byGroup.size();
  }

  private void notifyChange() {
    Runnable listener;
    synchronized (this) {
      listener = onChange;
    }
    listener.run();
  }
}
