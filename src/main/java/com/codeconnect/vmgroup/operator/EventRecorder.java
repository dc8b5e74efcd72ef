package com.codeconnect.vmgroup.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events about a group, aggregated: the same reason and message for the same object
 * within {@link #SERIES_WINDOW} updates one Event's series count instead of creating another. Event
 * failures are logged, never thrown: an Event is a courtesy, not part of reconciling.
 *
 * <p>A series is written at most once per {@link #SERIES_FLUSH}: repeats in between only count, and
 * the latest count and note are written when the interval ends (or on close), as client-go's
 * events/v1 broadcaster keeps a series' count in memory between its (30-minute) refreshes. Patching
 * every repeat cost a 1,000-VM burst 900 writes, over a CPU second of the two cores shared with
 * vCenter here, and as many etcd writes on a real cluster.
 *
 * <p>Events are written by one thread of their own, as client-go's recorder does, not by the
 * reconcile that reports them: a reconcile that starts a clone waited for an Event's round trip to
 * the API server before it could hand its thread to the next group (a 1,000-VM burst writes 1,000
 * of them). The log line is written at once, on the reconcile's thread. When the API server falls
 * {@link #QUEUE_LIMIT} Events behind, newer ones are dropped (and counted in a warning) rather than
 * held in memory or slowing reconciles.
 */
public final class EventRecorder implements AutoCloseable {
  static final Duration SERIES_WINDOW = Duration.ofMinutes(10);
  static final Duration SERIES_FLUSH = Duration.ofSeconds(5);
  static final int QUEUE_LIMIT = 1000;
  private static final Duration CLOSE_FLUSH = Duration.ofSeconds(2);
  static final String CONTROLLER = "vmgroup-operator";
  private static final int MAX_NAME = 253;
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private record Key(String uid, String reason, String message) {}

  /**
   * An Event written: {@code count}, {@code note} and {@code last} are what happened, {@code
   * written} the count the API server has, at {@code writtenAt}; {@code flushDue} is set while a
   * write of the rest is scheduled.
   */
  private record Recorded(
      String name,
      String namespace,
      int count,
      String note,
      Instant last,
      int written,
      Instant writtenAt,
      boolean flushDue) {
    Recorded counted(String note, Instant now) {
      return new Recorded(name, namespace, count + 1, note, now, written, writtenAt, flushDue);
    }

    Recorded flushing() {
      return new Recorded(name, namespace, count, note, last, written, writtenAt, true);
    }

    Recorded patched(Instant now) {
      return new Recorded(name, namespace, count, note, last, count, now, false);
    }
  }

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;
  private final Map<Key, Recorded> recent = new ConcurrentHashMap<>();

  private final String clusterScopedNamespace;
  private final Executor writer;
  private final ExecutorService ownWriter;
  private final AtomicLong dropped = new AtomicLong();
  private final ScheduledExecutorService flusher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "event-series");
            t.setDaemon(true);
            return t;
          });

  public EventRecorder(KubernetesClient client, Clock clock, String instance) {
    this(client, clock, instance, "default");
  }

  /**
   * @param clusterScopedNamespace where Events about cluster-scoped objects (VCenters) go: an Event
   *     needs a namespace, and the operator's own is one it may always write to
   */
  public EventRecorder(
      KubernetesClient client, Clock clock, String instance, String clusterScopedNamespace) {
    this(client, clock, instance, clusterScopedNamespace, null);
  }

  /**
   * @param writer runs the API calls, in the order given (null: a thread of the recorder's own)
   */
  EventRecorder(
      KubernetesClient client,
      Clock clock,
      String instance,
      String clusterScopedNamespace,
      Executor writer) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
    this.clusterScopedNamespace = clusterScopedNamespace;
    if (writer == null) {
      ThreadPoolExecutor own =
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(QUEUE_LIMIT),
              r -> {
                Thread t = new Thread(r, "event-writer");
                t.setDaemon(true);
                return t;
              },
              (r, executor) -> {
                throw new RejectedExecutionException("event queue full");
              });
      this.ownWriter = own;
      this.writer = own;
    } else {
      this.ownWriter = null;
      this.writer = writer;
    }
  }

  /** Events dropped so far because the API server fell too far behind. */
  long dropped() {
    return dropped.get();
  }

  /** Writes the Events still queued and the series held back, for up to two seconds. */
  @Override
  public void close() {
    flusher.shutdownNow();
    flushSeries();
    if (ownWriter == null) {
      return;
    }
    ownWriter.shutdown();
    try {
      if (!ownWriter.awaitTermination(CLOSE_FLUSH.toMillis(), TimeUnit.MILLISECONDS)) {
        ownWriter.shutdownNow();
      }
    } catch (InterruptedException e) {
      ownWriter.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void submit(Runnable write) {
    try {
      writer.execute(write);
    } catch (RejectedExecutionException e) {
      long n = dropped.incrementAndGet();
      // one line per hundred, not per Event: the API server is already struggling
      if (n % 100 == 1) {
        log.warn("the API server is {} Events behind: {} Events dropped so far", QUEUE_LIMIT, n);
      }
    }
  }

  public void normal(HasMetadata about, String reason, String action, String message) {
    record(about, "Normal", reason, action, message, false);
  }

  public void warning(HasMetadata about, String reason, String action, String message) {
    record(about, "Warning", reason, action, message, false);
  }

  /**
   * A step of work on one of many (a VM cloned, powered on, destroyed): within {@link
   * #SERIES_WINDOW} the steps of the same reason for the same object make one Event whose series
   * counts them and whose note names the latest, as client-go aggregates similar events and {@code
   * kubectl describe} shows them ("x10 over 2m"). A group of a thousand VMs writes one Event per
   * kind of step instead of a thousand; every step is still a log line.
   */
  public void step(HasMetadata about, String reason, String action, String message) {
    record(about, "Normal", reason, action, message, true);
  }

  private void record(
      HasMetadata about,
      String type,
      String reason,
      String action,
      String message,
      boolean similar) {
    Key key = new Key(about.getMetadata().getUid(), reason, similar ? "" : message);
    Instant now = clock.instant();
    logEvent(type, reason, message, !similar && repeat(recent.get(key), now));
    // The object as it is now: a reconcile may change it (status, resourceVersion) meanwhile.
    ObjectReference regarding =
        new ObjectReferenceBuilder()
            .withApiVersion(about.getApiVersion())
            .withKind(about.getKind())
            .withName(about.getMetadata().getName())
            .withNamespace(about.getMetadata().getNamespace())
            .withUid(key.uid())
            .withResourceVersion(about.getMetadata().getResourceVersion())
            .build();
    submit(() -> write(key, message, similar, now, type, action, regarding));
  }

  private static boolean repeat(Recorded prior, Instant now) {
    return prior != null && Duration.between(prior.last(), now).compareTo(SERIES_WINDOW) < 0;
  }

  private void write(
      Key key,
      String message,
      boolean similar,
      Instant now,
      String type,
      String action,
      ObjectReference regarding) {
    String reason = key.reason();
    String objectName = regarding.getName();
    String namespace = regarding.getNamespace();
    String eventNamespace = namespace != null ? namespace : clusterScopedNamespace;
    Recorded prior = recent.get(key);
    boolean repeat = repeat(prior, now);
    try {
      if (repeat) {
        Recorded counted = prior.counted(similar ? message : prior.note(), now);
        Instant due = counted.writtenAt().plus(SERIES_FLUSH);
        if (now.isBefore(due)) {
          if (!counted.flushDue()) {
            counted = counted.flushing();
            schedule(key, Duration.between(now, due));
          }
          recent.put(key, counted);
        } else {
          patch(key, counted, now);
        }
        return;
      }
      String name =
          eventName(
              objectName,
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
              .withRegarding(regarding)
              .build();
      client.resources(Event.class).inNamespace(eventNamespace).resource(event).create();
      recent.put(
          key, new Recorded(name, eventNamespace, 1, message, now, 1, clock.instant(), false));
    } catch (KubernetesClientException e) {
      recent.remove(key);
      log.warn(
          "could not record event {} for {}/{}: {}", reason, namespace, objectName, e.getMessage());
    }
  }

  private void schedule(Key key, Duration delay) {
    try {
      flusher.schedule(() -> submit(() -> flush(key)), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // close() writes what is held
    }
  }

  /** Writes the series held back for {@code key}, if any. Runs on the writer. */
  private void flush(Key key) {
    Recorded r = recent.get(key);
    if (r != null && r.count() > r.written()) {
      try {
        patch(key, r, clock.instant());
      } catch (KubernetesClientException e) {
        recent.remove(key);
        log.warn("could not record event {}: {}", key.reason(), e.getMessage());
      }
    }
  }

  /** Writes every series held back, on the writer (used on close, and by tests). */
  void flushSeries() {
    for (Key key : recent.keySet()) {
      submit(() -> flush(key));
    }
  }

  /** The series' latest count and note, patched onto its Event. */
  private void patch(Key key, Recorded r, Instant now) {
    Map<String, Object> patch = new java.util.LinkedHashMap<>();
    // the latest step's note: for a step, its object (the VM) is what differs from the others
    patch.put("note", truncate(r.note(), 1024));
    patch.put("series", Map.of("count", r.count(), "lastObservedTime", MICRO.format(r.last())));
    // The operator's RBAC grants events create and patch only, no get: the client is handed the
    // Event by name, since patching it by name alone makes the client GET it first.
    Event named =
        new EventBuilder()
            .withNewMetadata()
            .withName(r.name())
            .withNamespace(r.namespace())
            .endMetadata()
            .build();
    client
        .resource(named)
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
    recent.put(key, r.patched(now));
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

  /** Forgets aggregation state of a deleted object (after its Events still queued). */
  public void forget(String uid) {
    Runnable forget = () -> recent.keySet().removeIf(k -> k.uid().equals(uid));
    try {
      writer.execute(forget);
    } catch (RejectedExecutionException e) {
      forget.run();
    }
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
