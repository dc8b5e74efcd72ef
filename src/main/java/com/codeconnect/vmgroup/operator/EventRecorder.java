package com.codeconnect.vmgroup.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events about a group, aggregated: the same reason and message for the same object
 * within {@link #SERIES_WINDOW} updates one Event's series count instead of creating another. Event
 * failures are logged, never thrown: an Event is a courtesy, not part of reconciling.
 */
public final class EventRecorder {
  static final Duration SERIES_WINDOW = Duration.ofMinutes(10);
  static final String CONTROLLER = "vmgroup-operator";
  private static final int MAX_NAME = 253;
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private record Key(String uid, String reason, String message) {}

  private record Recorded(String name, String namespace, int count, Instant last) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;
  private final Map<Key, Recorded> recent = new ConcurrentHashMap<>();

  private final String clusterScopedNamespace;

  public EventRecorder(KubernetesClient client, Clock clock, String instance) {
    this(client, clock, instance, "default");
  }

  /**
   * @param clusterScopedNamespace where Events about cluster-scoped objects (VCenters) go: an Event
   *     needs a namespace, and the operator's own is one it may always write to
   */
  public EventRecorder(
      KubernetesClient client, Clock clock, String instance, String clusterScopedNamespace) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
    this.clusterScopedNamespace = clusterScopedNamespace;
  }

  public void normal(HasMetadata about, String reason, String action, String message) {
    record(about, "Normal", reason, action, message);
  }

  public void warning(HasMetadata about, String reason, String action, String message) {
    record(about, "Warning", reason, action, message);
  }

  private void record(
      HasMetadata about, String type, String reason, String action, String message) {
    String uid = about.getMetadata().getUid();
    String namespace = about.getMetadata().getNamespace();
    String eventNamespace = namespace != null ? namespace : clusterScopedNamespace;
    Key key = new Key(uid, reason, message);
    Instant now = clock.instant();
    Recorded prior = recent.get(key);
    boolean repeat =
        prior != null && Duration.between(prior.last(), now).compareTo(SERIES_WINDOW) < 0;
    logEvent(type, reason, message, repeat);
    try {
      if (repeat) {
        int count = prior.count() + 1;
        // A merge patch needs no GET first: the operator's RBAC grants events create/patch only.
        client
            .resources(Event.class)
            .inNamespace(prior.namespace())
            .withName(prior.name())
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"series\":{\"count\":"
                    + count
                    + ",\"lastObservedTime\":\""
                    + MICRO.format(now)
                    + "\"}}");
        recent.put(key, new Recorded(prior.name(), prior.namespace(), count, now));
        return;
      }
      String name =
          eventName(
              about.getMetadata().getName(),
              Long.toHexString(now.toEpochMilli())
                  + Integer.toHexString(Objects.hash(reason, message) & 0xfff));
      Event event =
          new EventBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(eventNamespace)
              .endMetadata()
              .withType(type)
              .withReason(reason)
              .withAction(action)
              .withNote(truncate(message, 1024))
              .withEventTime(new MicroTime(MICRO.format(now)))
              .withReportingController(CONTROLLER)
              .withReportingInstance(instance)
              .withRegarding(
                  new ObjectReferenceBuilder()
                      .withApiVersion(about.getApiVersion())
                      .withKind(about.getKind())
                      .withName(about.getMetadata().getName())
                      .withNamespace(namespace)
                      .withUid(uid)
                      .withResourceVersion(about.getMetadata().getResourceVersion())
                      .build())
              .build();
      client.resources(Event.class).inNamespace(eventNamespace).resource(event).create();
      recent.put(key, new Recorded(name, eventNamespace, 1, now));
    } catch (KubernetesClientException e) {
      recent.remove(key);
      log.warn(
          "could not record event {} for {}/{}: {}",
          reason,
          namespace,
          about.getMetadata().getName(),
          e.getMessage());
    }
  }

  /**
   * Every Event is also a log line, so the log alone tells a group's story after its Events have
   * expired. Reconciles run with the group's namespace and name in the MDC, so the line carries
   * them. A repeat (aggregated into the series of an earlier Event) is only a debug line: a group
   * that keeps failing the same way would otherwise log the same warning at every retry.
   */
  private static void logEvent(String type, String reason, String message, boolean repeat) {
    if (repeat) {
      log.debug("event {} {} (again): {}", type, reason, message);
    } else if (type.equals("Warning")) {
      log.warn("event {} {}: {}", type, reason, message);
    } else {
      log.info("event {} {}: {}", type, reason, message);
    }
  }

  /** Forgets aggregation state of a deleted object. */
  public void forget(String uid) {
    recent.keySet().removeIf(k -> k.uid().equals(uid));
  }

  /**
   * {@code <object name>.<suffix>}, shortened to Kubernetes' 253 characters: an object whose name
   * is near that limit (which is legal) would otherwise never get an Event. The cut never leaves a
   * '-' or '.' before the separator, which would make the name invalid.
   */
  static String eventName(String objectName, String suffix) {
    int room = MAX_NAME - suffix.length() - 1;
    String prefix = objectName.length() <= room ? objectName : objectName.substring(0, room);
    int end = prefix.length();
    while (end > 0 && !Character.isLetterOrDigit(prefix.charAt(end - 1))) {
      end--;
    }
    return (end == 0 ? "vmgroup" : prefix.substring(0, end)) + "." + suffix;
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
