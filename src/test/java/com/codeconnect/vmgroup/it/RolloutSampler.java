package com.codeconnect.vmgroup.it;

import com.codeconnect.vmgroup.decision.Ownership;
import com.codeconnect.vmgroup.testing.Folders;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Looks at a group's folder in vCenter every 50 ms through a session of its own, while a rollout
 * runs: how many of the group's VMs exist, run, and come from the spec the first VM had.
 */
final class RolloutSampler implements AutoCloseable {
  /** One look. */
  record Snapshot(int total, int running, int oldCount, int newCount) {
    boolean mixed() {
      return oldCount > 0 && newCount > 0;
    }
  }

  private final List<Snapshot> samples = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final VsphereClient session;
  private final Thread thread;
  private final String sourceOfFirst;

  /**
   * @param session a vCenter session of the sampler's own, closed with it
   */
  RolloutSampler(VsphereClient session, String folderPath) {
    this.session = session;
    sourceOfFirst = vms(folderPath).stream().map(RolloutSampler::source).findFirst().orElseThrow();
    thread =
        new Thread(
            () -> {
              while (running.get()) {
                sample(folderPath);
                try {
                  // a sampling period, not a wait: the samples are what the test checks
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "sampler-" + folderPath);
    thread.start();
  }

  /** What a VM was made from: the spec's source hash and, if deployed, the item's version. */
  private static String source(VmInfo vm) {
    return vm.extraConfig().get(Ownership.SOURCE_HASH)
        + "@"
        + vm.extraConfig().getOrDefault(Ownership.CONTENT_VERSION, "");
  }

  private List<VmInfo> vms(String folderPath) {
    return session
        .findByInventoryPath(folderPath)
        .map(session::vmsInFolder)
        .orElse(List.of())
        .stream()
        .filter(Folders::owned)
        .toList();
  }

  private void sample(String folderPath) {
    List<VmInfo> vms = vms(folderPath);
    int on = (int) vms.stream().filter(vm -> vm.powerState() == PowerState.POWERED_ON).count();
    int old = (int) vms.stream().filter(vm -> sourceOfFirst.equals(source(vm))).count();
    samples.add(new Snapshot(vms.size(), on, old, vms.size() - old));
  }

  List<Snapshot> stop() throws InterruptedException {
    running.set(false);
    thread.join(5000);
    return new ArrayList<>(samples);
  }

  @Override
  public void close() throws Exception {
    stop();
    session.close();
  }
}
