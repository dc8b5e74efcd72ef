package com.codeconnect.vmgroup.vsphere.fake;

import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Faults a test injects into {@link InMemoryVcenter}, obtained from {@link
 * InMemoryVcenter#faults()}. Each one-shot fault is used up by the first call or task it fits.
 */
public final class Faults {
  private final Runnable wakeFeeds;
  private final Map<String, Deque<VsphereException>> callFaults = new HashMap<>();
  private final Map<TaskKind, Deque<VsphereException>> taskFaults = new EnumMap<>(TaskKind.class);
  private Pattern failClones;
  private boolean refusePowerOn;
  private volatile boolean unreachable;

  Faults(Runnable wakeFeeds) {
    this.wakeFeeds = wakeFeeds;
  }

  /**
   * The next call of {@code method} throws {@code fault}. Methods are named as the seam names them
   * ({@code "cloneVm"}, {@code "tasks"}), feed calls as {@code "ChangeFeed.next"}.
   */
  public synchronized Faults failNextCall(String method, VsphereException fault) {
    callFaults
        .computeIfAbsent(method, k -> new ArrayDeque<>())
        .add(Objects.requireNonNull(fault, "fault"));
    return this;
  }

  /** The next task of this kind to start ends with {@code fault} instead of doing its work. */
  public synchronized Faults failNextTask(TaskKind kind, VsphereException fault) {
    taskFaults
        .computeIfAbsent(kind, k -> new ArrayDeque<>())
        .add(Objects.requireNonNull(fault, "fault"));
    return this;
  }

  /** Clones whose name matches end with NoDiskSpace, like the launcher's {@code -fail-clone}. */
  public synchronized Faults failClones(String regex) {
    failClones = regex == null ? null : Pattern.compile(regex);
    return this;
  }

  /** While set, every power-on task ends with InvalidPowerState. */
  public synchronized Faults refusePowerOn(boolean refuse) {
    refusePowerOn = refuse;
    return this;
  }

  /**
   * While set, every call and every feed's {@code next} throws {@link VsphereException.Transport};
   * a feed waiting for changes fails at once. Tasks keep running, as vCenter goes on without us.
   */
  public Faults unreachable(boolean down) {
    unreachable = down;
    wakeFeeds.run();
    return this;
  }

  /** Drops every injected fault; unreachability stays as it is. */
  public synchronized Faults clear() {
    callFaults.clear();
    taskFaults.clear();
    failClones = null;
    refusePowerOn = false;
    return this;
  }

  boolean isUnreachable() {
    return unreachable;
  }

  synchronized VsphereException takeCallFault(String method) {
    Deque<VsphereException> q = callFaults.get(method);
    return q == null ? null : q.poll();
  }

  synchronized VsphereException takeTaskFault(TaskKind kind) {
    Deque<VsphereException> q = taskFaults.get(kind);
    return q == null ? null : q.poll();
  }

  synchronized boolean cloneFails(String name) {
    return failClones != null && failClones.matcher(name).find();
  }

  synchronized boolean powerOnRefused() {
    return refusePowerOn;
  }
}
