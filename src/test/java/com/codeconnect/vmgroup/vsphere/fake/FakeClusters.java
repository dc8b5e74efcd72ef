package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.ComputeResourceInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.RuleChange;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmRule;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Clusters and standalone hosts of the in-memory vCenter: DRS, the rules, and the task that changes
 * them. A rule change is applied when its task ends and then reported to the feeds that watch the
 * cluster, with DRS and every rule, as vCenter reports its {@code configurationEx}. Not
 * thread-safe: the vCenter's lock guards it.
 *
 * <p>Like govmomi's simulator, an added rule needs a name no rule of the cluster has, and rules are
 * not checked against the cluster's VMs. Unlike the simulator, which finds the rule of an edit by
 * name and applies a change list up to its first bad change, the fake finds it by key, as vCenter
 * does, and applies a change list whole or not at all.
 */
final class FakeClusters {
  /** The DRS state of one cluster; mutable. */
  static final class Rules {
    boolean drsEnabled;
    final List<VmRule> rules = new ArrayList<>();
    int lastKey;

    Rules(boolean drsEnabled) {
      this.drsEnabled = drsEnabled;
    }
  }

  private final VcenterCore core;

  FakeClusters(VcenterCore core) {
    this.core = core;
  }

  /** A reference that is no compute resource is not found, as the SOAP client reports it. */
  ComputeResourceInfo info(MoRef ref) {
    Entity e = core.inventory.require(ref);
    boolean cluster = ref.type().equals("ClusterComputeResource");
    if (!cluster && !ref.type().equals("ComputeResource")) {
      throw FakeInventory.notFound(ref);
    }
    int hosts = 0;
    MoRef pool = null;
    for (MoRef c : e.children) {
      hosts += c.type().equals("HostSystem") ? 1 : 0;
      pool = c.type().equals("ResourcePool") ? c : pool;
    }
    return new ComputeResourceInfo(
        ref,
        e.name,
        cluster ? ComputeResourceInfo.Kind.CLUSTER : ComputeResourceInfo.Kind.STANDALONE_HOST,
        cluster && e.rules.drsEnabled,
        hosts,
        pool,
        cluster ? e.rules.rules : List.of());
  }

  /** The compute resource a pool belongs to; anything but a pool is not found. */
  ComputeResourceInfo ownerOf(MoRef pool) {
    Entity p = core.inventory.require(pool);
    if (!pool.type().equals("ResourcePool")) {
      throw FakeInventory.notFound(pool);
    }
    MoRef owner = p.parent;
    while (owner != null && core.inventory.get(owner).ref.type().equals("ResourcePool")) {
      owner = core.inventory.get(owner).parent;
    }
    return info(owner);
  }

  /** A standalone host has no rules: the call is refused, as the simulator refuses it. */
  TaskRef reconfigure(MoRef cluster, List<RuleChange> changes) {
    if (changes.isEmpty()) {
      throw new IllegalArgumentException("no rule changes");
    }
    core.inventory.require(cluster);
    if (!cluster.type().equals("ClusterComputeResource")) {
      throw new VsphereException(
          "MethodNotFound",
          "MethodNotFound: " + cluster + " does not implement: ReconfigureComputeResource_Task",
          false);
    }
    List<RuleChange> copy = List.copyOf(changes);
    return core.startTask(
        TaskKind.RECONFIGURE_CLUSTER,
        Duration.ZERO,
        at -> {
          apply(core.inventory.require(cluster), copy, at);
          return null;
        },
        () -> {});
  }

  /** Applies the changes to a copy first, so a bad one leaves the rules as they were. */
  void apply(Entity cluster, List<RuleChange> changes, Instant at) {
    Rules r = cluster.rules;
    List<VmRule> next = new ArrayList<>(r.rules);
    int key = r.lastKey;
    for (RuleChange c : changes) {
      if (c instanceof RuleChange.Add a) {
        if (next.stream().anyMatch(x -> x.name().equals(a.name()))) {
          throw invalid("a rule named " + a.name() + " exists in " + cluster.name);
        }
        next.add(antiAffinity(++key, a.name(), a.enabled(), a.mandatory(), a.vms()));
      } else if (c instanceof RuleChange.Edit e) {
        next.set(
            indexOf(next, e.key(), cluster),
            antiAffinity(e.key(), e.name(), e.enabled(), e.mandatory(), e.vms()));
      } else if (c instanceof RuleChange.Remove rm) {
        next.remove(indexOf(next, rm.key(), cluster));
      }
    }
    r.rules.clear();
    r.rules.addAll(next);
    r.lastKey = key;
    changed(cluster, at);
  }

  /** An administrator's rule of any kind; its key is chosen as vCenter would. */
  int add(Entity cluster, VmRule rule, Instant at) {
    Rules r = cluster.rules;
    int key = ++r.lastKey;
    r.rules.add(
        new VmRule(key, rule.name(), rule.enabled(), rule.mandatory(), rule.kind(), rule.vms()));
    changed(cluster, at);
    return key;
  }

  /** Replaces the rule with the same key, as an administrator's edit does. */
  void replace(Entity cluster, VmRule rule, Instant at) {
    cluster.rules.rules.set(indexOf(cluster.rules.rules, rule.key(), cluster), rule);
    changed(cluster, at);
  }

  void remove(Entity cluster, int key, Instant at) {
    cluster.rules.rules.remove(indexOf(cluster.rules.rules, key, cluster));
    changed(cluster, at);
  }

  void setDrs(Entity cluster, boolean enabled, Instant at) {
    cluster.rules.drsEnabled = enabled;
    changed(cluster, at);
  }

  /** What a feed reports of a watched cluster; {@code name} only when it enters. */
  static Map<String, Object> values(Entity cluster, boolean withName) {
    Map<String, Object> v = new LinkedHashMap<>();
    if (withName) {
      v.put("name", cluster.name);
    }
    v.put("drsEnabled", cluster.rules.drsEnabled);
    v.put("rules", List.copyOf(cluster.rules.rules));
    return v;
  }

  private void changed(Entity cluster, Instant at) {
    core.clusterChanged(cluster.ref, values(cluster, false), at);
  }

  private static VmRule antiAffinity(
      int key, String name, boolean enabled, boolean mandatory, List<MoRef> vms) {
    return new VmRule(key, name, enabled, mandatory, VmRule.Kind.ANTI_AFFINITY, vms);
  }

  private static int indexOf(List<VmRule> rules, int key, Entity cluster) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).key() == key) {
        return i;
      }
    }
    throw invalid("no rule with key " + key + " in " + cluster.name);
  }

  private static VsphereException invalid(String why) {
    return new VsphereException("InvalidArgument", "InvalidArgument: " + why, false);
  }
}
