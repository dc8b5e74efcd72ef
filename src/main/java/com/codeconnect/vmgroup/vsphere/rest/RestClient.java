package com.codeconnect.vmgroup.vsphere.rest;

import com.codeconnect.vmgroup.vsphere.CallListener;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.LibraryDeploy;
import com.codeconnect.vmgroup.vsphere.LibraryLookup;
import com.codeconnect.vmgroup.vsphere.LoginGate;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.SessionState;
import com.codeconnect.vmgroup.vsphere.SiblingClient;
import com.codeconnect.vmgroup.vsphere.Tag;
import com.codeconnect.vmgroup.vsphere.TagCategory;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VcenterConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * vCenter's REST API (vSphere Automation) for what SOAP doesn't offer: tags and content libraries.
 * It sits behind the SOAP client as its {@link SiblingClient}, made by the same factory with the
 * same credentials supplier, TLS settings and login gate, so the operator still holds one client
 * per vCenter.
 *
 * <p>Thread-safe. It logs in on the first call ({@code /api} where the server serves it, else
 * {@code /rest}), again once after a 401, and out on {@link #close()}. Every call has a timeout and
 * a bounded answer.
 */
public final class RestClient implements SiblingClient {
  private final RestCalls calls;
  private final RestSession session;
  private final TagCalls tagging;
  private final LibraryCalls libraries;
  private final DeployTasks deploys;

  private RestClient(Builder b) {
    this.calls =
        new RestCalls(
            new RestTransport(b.base, b.ssl, b.refusedThumbprint, b.timeout, b.maxResponseBytes),
            b.timeout,
            b.listener,
            this::mask);
    this.session = new RestSession(calls, b.credentials, b.gate);
    this.tagging = new TagCalls(calls);
    this.libraries = new LibraryCalls(calls, b.deployTimeout, this::mask);
    this.deploys = new DeployTasks(b.deployThreads, b.deployQueue, System::nanoTime);
  }

  /**
   * @param base scheme, host and port of vCenter, e.g. {@code https://vc.example.com}; the path is
   *     ignored
   */
  public static Builder builder(URI base) {
    return new Builder(base);
  }

  public void setListener(CallListener listener) {
    calls.setListener(listener);
  }

  /** REST calls made so far by operation, failed ones included. */
  public Map<String, Long> callCounts() {
    return calls.counts();
  }

  /** {@code /api} or {@code /rest}, as the server answered at the first login; null before. */
  public String apiRoot() {
    ApiFlavor f = session.flavor();
    return f == null ? null : (f == ApiFlavor.API ? "/api" : "/rest");
  }

  // ---------------------------------------------------------------- tags

  @Override
  public List<TagCategory> tagCategories() {
    return session.withSession(tagging::categories);
  }

  @Override
  public List<Tag> tags(TagCategory category) {
    Objects.requireNonNull(category, "category");
    return session.withSession(t -> tagging.tags(t, category));
  }

  @Override
  public List<String> attachedTags(MoRef object) {
    Objects.requireNonNull(object, "object");
    return session.withSession(t -> tagging.attached(t, object));
  }

  @Override
  public void attachTags(Collection<String> tagIds, MoRef object) {
    Objects.requireNonNull(object, "object");
    List<String> all = List.copyOf(tagIds);
    if (!all.isEmpty()) {
      session.withSession(t -> tagging.attach(t, all, object));
    }
  }

  @Override
  public void detachTags(Collection<String> tagIds, MoRef object) {
    Objects.requireNonNull(object, "object");
    List<String> all = List.copyOf(tagIds);
    if (!all.isEmpty()) {
      session.withSession(t -> tagging.detach(t, all, object));
    }
  }

  // ---------------------------------------------------------------- content library

  @Override
  public LibraryLookup findLibraryItem(String library, String item) {
    Objects.requireNonNull(library, "library");
    Objects.requireNonNull(item, "item");
    return session.withSession(t -> libraries.find(t, library, item));
  }

  /** Runs the deploy call on the deploy pool and returns its task at once. */
  @Override
  public TaskRef deployLibraryItem(LibraryDeploy request) {
    Objects.requireNonNull(request, "request");
    return deploys.start(() -> session.withSession(t -> libraries.deploy(t, request)));
  }

  @Override
  public boolean ownsTask(TaskRef task) {
    return deploys.owns(task);
  }

  @Override
  public List<TaskInfo> ownTasks(Collection<TaskRef> tasks) {
    return deploys.infos(tasks);
  }

  @Override
  public ChangeFeed withOwnTasks(ChangeFeed feed) {
    return new OwnTaskFeed(feed, deploys, OwnTaskFeed.DEFAULT_SLICE);
  }

  /** Deploys queued or running. */
  public int deploysUnfinished() {
    return deploys.unfinished();
  }

  // ---------------------------------------------------------------- session

  @Override
  public SessionState sessionState() {
    return session.state();
  }

  @Override
  public void close() {
    deploys.close();
    session.close();
  }

  private String mask(String text) {
    RestSession s = session;
    return s == null ? text : s.mask(text);
  }

  // ---------------------------------------------------------------- builder

  public static final class Builder {
    private final URI base;
    private Supplier<Credentials> credentials;
    private SSLContext ssl;
    private Supplier<String> refusedThumbprint;
    private Duration timeout = VcenterConnection.DEFAULT_TIMEOUT;
    private Duration deployTimeout = Duration.ofMinutes(30);
    private int deployThreads = 8;
    private int deployQueue = 256;
    private long maxResponseBytes = 8L << 20;
    private CallListener listener;
    private LoginGate gate = new LoginGate();

    private Builder(URI base) {
      Objects.requireNonNull(base, "base");
      this.base = URI.create(base.getScheme() + "://" + base.getRawAuthority() + "/");
    }

    /** Asked at every login, so rotated credentials take effect at the next one. */
    public Builder credentials(Supplier<Credentials> credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * The TLS context of this client's connections (needed for https), and where to learn the
     * thumbprint of a certificate it refused, for the message (may be null).
     */
    public Builder tls(SSLContext ssl, Supplier<String> refusedThumbprint) {
      this.ssl = Objects.requireNonNull(ssl, "ssl");
      this.refusedThumbprint = refusedThumbprint;
      return this;
    }

    /** Limit for each whole call, connection and answer included. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /**
     * Limit for one content library deploy, which lasts as long as vCenter copies the item: a large
     * OVF over a slow link takes many minutes.
     */
    public Builder deployTimeout(Duration deployTimeout) {
      this.deployTimeout = positive(deployTimeout, "deployTimeout");
      return this;
    }

    /**
     * Deploys that run at once (each holds a thread for its whole call; vCenter queues beyond its
     * own limits anyway) and deploys that may wait for a thread before a start is refused.
     */
    public Builder deployPool(int threads, int queued) {
      if (threads <= 0 || queued <= 0) {
        throw new IllegalArgumentException("deploy threads and queue must be positive");
      }
      this.deployThreads = threads;
      this.deployQueue = queued;
      return this;
    }

    public Builder maxResponseBytes(long max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxResponseBytes must be positive");
      }
      this.maxResponseBytes = max;
      return this;
    }

    public Builder listener(CallListener listener) {
      this.listener = listener;
      return this;
    }

    /** The gate the SOAP client of the same vCenter uses, so a refusal holds both back. */
    public Builder loginGate(LoginGate gate) {
      this.gate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    public RestClient build() {
      Objects.requireNonNull(credentials, "credentials");
      if ("https".equalsIgnoreCase(base.getScheme()) && ssl == null) {
        throw new IllegalStateException("https needs tls(...)");
      }
      return new RestClient(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }
  }
}
