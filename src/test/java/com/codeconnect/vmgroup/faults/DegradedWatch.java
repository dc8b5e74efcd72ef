package com.codeconnect.vmgroup.faults;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.StatusBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches the groups of a namespace and keeps every status that said Degraded=True: a user running
 * `kubectl get vg -w` would have seen each of them, however briefly.
 */
final class DegradedWatch implements AutoCloseable {
  /** One status write that said Degraded=True. */
  record Seen(String group, String reason, String message) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Watch watch;

  DegradedWatch(KubernetesClient kube, String namespace) {
    watch =
        kube.resources(VmGroup.class)
            .inNamespace(namespace)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, VmGroup g) {
                    if (g.getStatus() == null) {
                      return;
                    }
                    Condition d =
                        StatusBuilder.find(g.getStatus().getConditions(), StatusBuilder.DEGRADED);
                    if (d != null && "True".equals(d.getStatus())) {
                      seen.add(new Seen(g.getMetadata().getName(), d.getReason(), d.getMessage()));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    // the test ends the watch; nothing to recover
                  }
                });
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  @Override
  public void close() {
    watch.close();
  }
}
