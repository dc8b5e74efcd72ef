package com.codeconnect.vmgroup.testing;

import com.codeconnect.vmgroup.observability.EventSink;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Events kept in memory, for tests that assert what a controller reported. */
public final class RecordedEvents implements EventSink {
  /** One reported event; {@code step} for aggregated steps of work. */
  public record Recorded(String object, String type, String reason, String message, boolean step) {}

  private final List<Recorded> all = new CopyOnWriteArrayList<>();

  @Override
  public void normal(HasMetadata about, String reason, String action, String message) {
    all.add(new Recorded(about.getMetadata().getName(), "Normal", reason, message, false));
  }

  @Override
  public void warning(HasMetadata about, String reason, String action, String message) {
    all.add(new Recorded(about.getMetadata().getName(), "Warning", reason, message, false));
  }

  @Override
  public void step(HasMetadata about, String reason, String action, String message) {
    all.add(new Recorded(about.getMetadata().getName(), "Normal", reason, message, true));
  }

  @Override
  public void forget(String uid) {}

  public List<Recorded> all() {
    return List.copyOf(all);
  }

  /** The events of this reason, in the order reported. */
  public List<Recorded> withReason(String reason) {
    return all.stream().filter(e -> e.reason().equals(reason)).toList();
  }
}
