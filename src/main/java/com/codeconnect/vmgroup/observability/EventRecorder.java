package com.codeconnect.vmgroup.observability;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events ({@code events.k8s.io/v1}) about groups and VCenters, aggregated as client-go's
 * broadcaster does. Event failures are logged and counted, never thrown: an Event is a courtesy,
 * not part of reconciling.
 *
 * <p>A real API server lets an Event's {@code series} change and nothing else: its note, reason,
 * action, type, regarding object and reporter are immutable. So:
 *
 * <ul>
 *   <li>The same reason and note for the same object within {@link #SERIES_WINDOW} is one Event
 *       whose series counts the repeats; the repeats write only {@code series} ({@link
 *       #seriesPatch}).
 *   <li>A step of work on one of many ({@link #step}: a VM cloned, powered on) with a new note is a
 *       new Event, and these are rate-limited: per object and reason, one Event per {@link
 *       #SERIES_FLUSH}. Steps in between are held and written as one Event naming the latest and
 *       how many more there were. A group of a thousand VMs writes a few Events per kind of step,
 *       not a thousand; every step is still a log line.
 * </ul>
 *
 * <p>A series is written at most once per {@link #SERIES_FLUSH}: repeats in between only count, and
 * the latest count is written when the interval ends (or on close). Patching every repeat cost a
 * 1,000-VM burst 900 writes, over a CPU second of the two cores shared with vCenter here, and as
 * many etcd writes on a real cluster.
 *
 * <p>Events are written by one thread of their own, as client-go's recorder does, not by the
 * reconcile that reports them: a reconcile waited for an Event's round trip before it could hand
 * its thread to the next group. The log line is written at once, on the reconcile's thread. When
 * the API server falls {@link #QUEUE_LIMIT} Events behind, newer ones are dropped (and counted)
 * rather than held in memory or slowing reconciles.
 *
 * <p>Events about cluster-scoped objects (VCenters) go to {@link #CLUSTER_SCOPED_NAMESPACE}: the
 * API server refuses an Event whose namespace differs from its object's, and for an object without
 * a namespace it accepts only {@code default}, where kube-scheduler and the kubelet put theirs
 * about Nodes.
 */
public final class EventRecorder implements EventSink, AutoCloseable {
  static final Duration SERIES_WINDOW = Duration.ofMinutes(10);
  static final Duration SERIES_FLUSH = Duration.ofSeconds(5);
  static final int QUEUE_LIMIT = 1000;
  static final String CLUSTER_SCOPED_NAMESPACE = "default";
  private static final Duration CLOSE_FLUSH = Duration.ofSeconds(2);
  static final String CONTROLLER = "vmgroup-operator";
  private static final int MAX_NAME = 253;
  private static final int MAX_NOTE = 1024;
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** Hears about Events the API server refused or that were dropped (metrics). */
  public interface Listener {
    /**
     * @param kind the kind of the object the Event was about
     */
    default void refused(String kind) {}

    default void dropped() {}
  }

  /** One series (a note repeated) or one stream of steps ({@code note} empty). */
  private record Key(String uid, String reason, String note) {}

  /** What an Event is about and how it is reported: all of it fixed once the Event exists. */
  private record About(String type, String action, ObjectReference regarding) {}

  /**
   * The Event last written for a key. {@code note} is its (immutable) note, {@code count} how often
   * it happened and {@code written} the count the API server has, at {@code writtenAt}; {@code
   * held} steps with another note wait for the next Event, the latest being {@code heldNote};
   * {@code flushDue} is set while a write of the rest is scheduled.
   */
  private record Recorded(
      String name,
      String namespace,
      String note,
      int count,
      int written,
      Instant writtenAt,
      Instant last,
      int held,
      String heldNote,
      About about,
      boolean flushDue) {

    static Recorded created(String name, String namespace, String note, About about, Instant at) {
      return new Recorded(name, namespace, note, 1, 1, at, at, 0, null, about, false);
    }

    Recorded repeated(Instant now) {
      return new Recorded(
          name, namespace, note, count + 1, written, writtenAt, now, held, heldNote, about,
          flushDue);
    }

    Recorded holding(String step, About latest, Instant now) {
      return new Recorded(
          name, namespace, note, count, written, writtenAt, now, held + 1, step, latest, flushDue);
    }

    Recorded flushing() {
      return new Recorded(
          name, namespace, note, count, written, writtenAt, last, held, heldNote, about, true);
    }

    Recorded patched(Instant now) {
      return new Recorded(
          name, namespace, note, count, count, now, last, held, heldNote, about, false);
    }

    boolean due(Instant now) {
      return !now.isBefore(writtenAt.plus(SERIES_FLUSH));
    }
  }

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;
  private final Map<Key, Recorded> recent = new ConcurrentHashMap<>();
  private final Executor writer;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicInteger sequence = new AtomicInteger();
  private volatile Listener listener = new Listener() {};
  private final ScheduledExecutorService flusher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "event-series");
            t.setDaemon(true);
            return t;
          });

  public EventRecorder(KubernetesClient client, Clock clock, String instance) {
    this(client, clock, instance, new BoundedWriter("event-writer", QUEUE_LIMIT, CLOSE_FLUSH));
  }

  /**
   * @param writer runs the API calls, in the order given; closed with the recorder when it is a
   *     {@link BoundedWriter}
   */
  EventRecorder(KubernetesClient client, Clock clock, String instance, Executor writer) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
    this.writer = writer;
  }

  /** Sets who hears about refused and dropped Events. */
  public void listener(Listener listener) {
    this.listener = listener;
  }

  /** Events dropped so far because the API server fell too far behind. */
  long dropped() {
    return dropped.get();
  }

  /** Event writes the API server refused so far. */
  long refused() {
    return refused.get();
  }

  /** Writes the Events still queued and the series held back, for up to two seconds. */
  @Override
  public void close() {
    flusher.shutdownNow();
    flushSeries();
    if (writer instanceof BoundedWriter own) {
      own.close();
    }
  }

  private void submit(Runnable write) {
    try {
      writer.execute(write);
    } catch (RejectedExecutionException e) {
      long n = dropped.incrementAndGet();
      listener.dropped();
      // one line per hundred, not per Event: the API server is already struggling
      if (n % 100 == 1) {
        log.warn("the API server is far behind on Events: {} Events dropped so far", n);
      }
    }
  }

  @Override
  public void normal(HasMetadata about, String reason, String action, String message) {
    record(about, "Normal", reason, action, message, false);
  }

  @Override
  public void warning(HasMetadata about, String reason, String action, String message) {
    record(about, "Warning", reason, action, message, false);
  }

  /**
   * A step of work on one of many (a VM cloned, powered on, destroyed). Steps of the same reason
   * for the same object make at most one Event per {@link #SERIES_FLUSH}; {@code kubectl describe}
   * shows the latest with a count of the others.
   */
  @Override
  public void step(HasMetadata about, String reason, String action, String message) {
    record(about, "Normal", reason, action, message, true);
  }

  private void record(
      HasMetadata about, String type, String reason, String action, String message, boolean step) {
    String note = truncate(message, MAX_NOTE);
    Key key = new Key(about.getMetadata().getUid(), reason, step ? "" : note);
    Instant now = clock.instant();
    logEvent(type, reason, message, !step && repeat(recent.get(key), now));
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
    About what = new About(type, action, regarding);
    submit(() -> write(key, reason, note, what, now));
  }

  private static boolean repeat(Recorded prior, Instant now) {
    return prior != null && Duration.between(prior.last(), now).compareTo(SERIES_WINDOW) < 0;
  }

  /** Runs on the writer. */
  private void write(Key key, String reason, String note, About about, Instant now) {
    Recorded prior = recent.get(key);
    try {
      if (!repeat(prior, now)) {
        recent.put(key, create(reason, note, about, now));
        return;
      }
      Recorded next =
          note.equals(prior.note()) ? prior.repeated(now) : prior.holding(note, about, now);
      if (next.due(now)) {
        recent.put(key, writeDue(reason, next, now));
      } else {
        if (!next.flushDue()) {
          next = next.flushing();
          schedule(key, Duration.between(now, next.writtenAt().plus(SERIES_FLUSH)));
        }
        recent.put(key, next);
      }
    } catch (KubernetesClientException e) {
      recent.remove(key);
      refused(reason, about, e);
    }
  }

  /** Writes what a series or stream holds: its count, and one new Event for the held steps. */
  private Recorded writeDue(String reason, Recorded r, Instant now) {
    Recorded next = r;
    if (r.count() > r.written()) {
      patchSeries(r);
      next = r.patched(now);
    }
    if (r.held() > 0) {
      String note =
          r.held() == 1
              ? r.heldNote()
              : truncate(r.heldNote() + " (and " + (r.held() - 1) + " more like it)", MAX_NOTE);
      next = create(reason, note, r.about(), now);
    }
    return next;
  }

  private Recorded create(String reason, String note, About about, Instant now) {
    String namespace = eventNamespace(about.regarding());
    String name =
        eventName(
            about.regarding().getName(),
            Long.toHexString(now.toEpochMilli())
                + Integer.toHexString(sequence.incrementAndGet() & 0xfff));
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withType(about.type())
            .withReason(reason)
            .withAction(about.action())
            .withNote(note)
            .withEventTime(new MicroTime(MICRO.format(now)))
            .withReportingController(CONTROLLER)
            .withReportingInstance(instance)
            .withRegarding(about.regarding())
            .build();
    client.resources(Event.class).inNamespace(namespace).resource(event).create();
    return Recorded.created(name, namespace, note, about, clock.instant());
  }

  /**
   * Where an Event about this object must live for the API server to accept it: the object's own
   * namespace, or {@link #CLUSTER_SCOPED_NAMESPACE} for a cluster-scoped object.
   */
  static String eventNamespace(ObjectReference regarding) {
    String ns = regarding.getNamespace();
    return ns == null || ns.isEmpty() ? CLUSTER_SCOPED_NAMESPACE : ns;
  }

  private void refused(String reason, About about, KubernetesClientException e) {
    refused.incrementAndGet();
    listener.refused(about.regarding().getKind());
    log.warn(
        "could not record event {} for {} {}: {}",
        reason,
        about.regarding().getKind(),
        about.regarding().getNamespace() == null
            ? about.regarding().getName()
            : about.regarding().getNamespace() + "/" + about.regarding().getName(),
        e.getMessage());
  }

  private void schedule(Key key, Duration delay) {
    try {
      flusher.schedule(() -> submit(() -> flush(key)), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // close() writes what is held
    }
  }

  /** Writes what is held back for {@code key}, if anything. Runs on the writer. */
  private void flush(Key key) {
    Recorded r = recent.get(key);
    if (r != null && (r.count() > r.written() || r.held() > 0)) {
      try {
        recent.put(key, writeDue(key.reason(), r, clock.instant()));
      } catch (KubernetesClientException e) {
        recent.remove(key);
        refused(key.reason(), r.about(), e);
      }
    }
  }

  /** Writes every series held back, on the writer (used on close, and by tests). */
  void flushSeries() {
    for (Key key : recent.keySet()) {
      submit(() -> flush(key));
    }
  }

  /**
   * The JSON merge patch a series update sends: {@code series} alone, the only part of an Event the
   * API server lets change.
   */
  static String seriesPatch(int count, Instant lastObserved) {
    return Serialization.asJson(
        Map.of("series", Map.of("count", count, "lastObservedTime", MICRO.format(lastObserved))));
  }

  private void patchSeries(Recorded r) {
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
        .patch(PatchContext.of(PatchType.JSON_MERGE), seriesPatch(r.count(), r.last()));
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
  @Override
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
