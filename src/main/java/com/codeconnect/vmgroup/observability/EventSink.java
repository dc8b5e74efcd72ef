package com.codeconnect.vmgroup.observability;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Where the controllers report what happened to an object, for {@code kubectl describe}: {@link
 * EventRecorder} writes Kubernetes Events; tests record them in memory.
 */
public interface EventSink {
  void normal(HasMetadata about, String reason, String action, String message);

  void warning(HasMetadata about, String reason, String action, String message);

  /**
   * A step of work on one of many (a VM cloned, powered on, destroyed): steps of one kind for one
   * object are aggregated.
   */
  void step(HasMetadata about, String reason, String action, String message);

  /** Forgets what is kept about a deleted object. */
  void forget(String uid);
}
