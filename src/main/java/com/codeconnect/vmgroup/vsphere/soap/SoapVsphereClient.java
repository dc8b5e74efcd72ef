package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.AboutInfo;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.SessionState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.Filter;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.ObjSpec;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.PropSpec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VsphereClient} over vim25 SOAP, built on {@link java.net.http.HttpClient} and StAX.
 *
 * <p>Thread-safe. It logs in on the first call that needs a session and, when a call fails with
 * NotAuthenticated, logs in again once (shared by all callers that lost the same session) and
 * retries that call once. The only re-login is after the server dropped the session
 * (NotAuthenticated), so there is no old session left to log out; {@link #close()} logs out.
 *
 * <p>Background activity: only the keep-alive (see {@link Builder#keepAlive}), which calls
 * CurrentTime when a session has seen no call for the keep-alive interval; an outstanding
 * WaitForUpdatesEx counts as a call.
 */
public final class SoapVsphereClient implements VsphereClient {
  private static final Logger LOG = LoggerFactory.getLogger(SoapVsphereClient.class);

  /**
   * The SOAPAction before the server has told us its version. 6.5 is the oldest release whose API
   * this client uses (e.g. reportMissingObjectsInResults) and every newer vCenter still serves it;
   * afterwards the client switches to the server's own apiVersion.
   */
  static final String INITIAL_API_VERSION = "6.5";

  private static final int MAX_OBJECTS_PER_PAGE = 1000;

  /**
   * Pages of one retrieval: 500,000 objects, far beyond any inventory the operator manages. A
   * server that hands out continuation tokens forever must not keep the caller (and its memory)
   * forever.
   */
  static final int MAX_PAGES = 500;

  private static final List<String> VM_PATHS =
      List.of(
          "name",
          "parent",
          "runtime.powerState",
          "config.hardware.numCPU",
          "config.hardware.memoryMB",
          "config.template",
          "config.instanceUuid",
          "guest.ipAddress",
          "config.extraConfig",
          "config.cpuHotAddEnabled",
          "config.memoryHotAddEnabled",
          "snapshot.currentSnapshot");
  private static final List<String> NAME_PARENT = List.of("name", "parent");

  private final SoapTransport transport;
  private final ResponseParser parser = new ResponseParser();
  private final Supplier<Credentials> credentials;
  private final String extraConfigPrefix;
  private final ReentrantLock loginLock = new ReentrantLock();
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private volatile SoapCallListener listener;
  private volatile String apiVersion = INITIAL_API_VERSION;
  private volatile ServiceContent content;
  private volatile Session session;
  // login attempts completed, successful or not; written under loginLock
  private volatile long loginsFinished;
  // written under loginLock; volatile so sessionState() can read it without the lock
  private volatile VsphereException lastLoginFailure;
  private Rejected rejected; // guarded by loginLock

  static final Duration LOGIN_BACKOFF_MIN = Duration.ofSeconds(30);
  static final Duration LOGIN_BACKOFF_MAX = Duration.ofMinutes(5);

  /**
   * Credentials vCenter refused, kept as a digest so the client holds no second copy of the
   * password, with when and for how long not to try them again.
   */
  private record Rejected(String user, byte[] digest, long atNanos, Duration backoff) {
    static Rejected of(Credentials c, long atNanos, Duration backoff) {
      return new Rejected(c.user(), digest(c), atNanos, backoff);
    }

    boolean sameAs(Credentials c) {
      return user.equals(c.user()) && java.security.MessageDigest.isEqual(digest, digest(c));
    }

    private static byte[] digest(Credentials c) {
      try {
        return java.security.MessageDigest.getInstance("SHA-256")
            .digest(c.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private volatile boolean closed;
  private final Duration timeout;
  private final SessionKeepAlive keepAlive;
  // when the last call started or ended, and how many long polls are outstanding: the keep-alive
  // pings only a session nobody uses
  private volatile long lastActivityNanos = System.nanoTime();
  private final AtomicInteger longPolls = new AtomicInteger();

  /** A logged-in session; a new object per login, so identity tells sessions apart. */
  record Session(long generation, String cookie, String key) {}

  private record ServiceContent(
      AboutInfo about,
      MoRef rootFolder,
      MoRef propertyCollector,
      MoRef viewManager,
      MoRef searchIndex,
      MoRef sessionManager) {}

  private record Reply(XmlElement content, String cookie) {}

  private record ObjectContent(
      MoRef obj, Map<String, XmlElement> props, Map<String, VsphereException> missing) {}

  private SoapVsphereClient(Builder b) {
    this.transport = new SoapTransport(b.url, b.tls, b.timeout, b.maxResponseBytes);
    this.credentials = b.credentials;
    this.extraConfigPrefix = b.extraConfigPrefix;
    this.listener = b.listener;
    this.timeout = b.timeout;
    this.keepAlive =
        b.keepAlive.isZero() ? null : new SessionKeepAlive(b.keepAlive, this::keepAliveTick);
  }

  /**
   * @param sdkUrl e.g. {@code https://vcenter.example.com/sdk}
   */
  public static Builder builder(URI sdkUrl) {
    return new Builder(sdkUrl);
  }

  public void setListener(SoapCallListener listener) {
    this.listener = listener;
  }

  /** SOAP calls made so far for one vim25 method (failed ones included). */
  public long callCount(String method) {
    LongAdder a = calls.get(method);
    return a == null ? 0 : a.sum();
  }

  /** SOAP calls made so far by method, e.g. to profile a benchmark phase. */
  public Map<String, Long> callCounts() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    calls.forEach((method, n) -> counts.put(method, n.sum()));
    return counts;
  }

  /** SOAP calls made so far, all methods together. */
  public long callCount() {
    return calls.values().stream().mapToLong(LongAdder::sum).sum();
  }

  // ---------------------------------------------------------------- interface

  @Override
  public AboutInfo about() {
    return fetchServiceContent().about();
  }

  @Override
  public List<NamedRef> datacenters() {
    return withSession(
        s -> {
          ServiceContent sc = content;
          List<ObjectContent> objs =
              retrieve(
                  s,
                  new Filter(
                      List.of(
                          new PropSpec("Folder", NAME_PARENT),
                          new PropSpec("Datacenter", NAME_PARENT)),
                      List.of(RetrieveSpec.folderTree(sc.rootFolder())),
                      false));
          Paths paths = new Paths(objs);
          List<NamedRef> out = new ArrayList<>();
          for (ObjectContent o : objs) {
            if (o.obj().type().equals("Datacenter")) {
              out.add(new NamedRef(o.obj(), paths.name(o.obj()), paths.path(o.obj())));
            }
          }
          return out;
        });
  }

  @Override
  public DatacenterInfo datacenter(MoRef datacenter) {
    return withSession(
        s -> {
          List<ObjectContent> objs =
              retrieve(
                  s,
                  new Filter(
                      List.of(
                          new PropSpec("Datacenter", List.of("name", "vmFolder", "hostFolder"))),
                      List.of(new ObjSpec(datacenter, false, List.of())),
                      false));
          ObjectContent o = single(objs, datacenter);
          return new DatacenterInfo(
              datacenter,
              decodeName(text(o, "name")),
              moRef(o, "vmFolder"),
              moRef(o, "hostFolder"));
        });
  }

  /**
   * The path is split at {@code /}; in each name {@code %} is sent as {@code %25}, the way vCenter
   * stores it. A name that itself contains {@code /} cannot be addressed this way (vCenter stores
   * it as {@code %2f}, which a caller could not tell apart from a literal {@code %2f}); look such
   * objects up through their folder instead.
   */
  @Override
  public Optional<MoRef> findByInventoryPath(String path) {
    String escaped = path.replace("%", "%25");
    return withSession(
        s -> {
          XmlElement r =
              call(
                  "FindByInventoryPath",
                  SoapRequests.findByInventoryPath(content.searchIndex(), escaped),
                  s);
          XmlElement rv = r.child("returnval");
          return Optional.ofNullable(rv == null ? null : rv.asMoRef());
        });
  }

  @Override
  public List<NamedRef> resourcePools(MoRef datacenter) {
    return withSession(
        s ->
            withView(
                s,
                datacenter,
                List.of("ResourcePool", "ComputeResource", "Folder"),
                view -> {
                  List<ObjectContent> objs =
                      retrieve(
                          s,
                          new Filter(
                              List.of(
                                  new PropSpec("Folder", NAME_PARENT),
                                  new PropSpec("Datacenter", NAME_PARENT),
                                  new PropSpec("ComputeResource", NAME_PARENT),
                                  new PropSpec("ResourcePool", NAME_PARENT)),
                              List.of(
                                  RetrieveSpec.containerView(view),
                                  RetrieveSpec.folderTree(content.rootFolder())),
                              false));
                  Paths paths = new Paths(objs);
                  List<NamedRef> out = new ArrayList<>();
                  for (ObjectContent o : objs) {
                    if (o.obj().type().equals("ResourcePool")) {
                      out.add(new NamedRef(o.obj(), paths.name(o.obj()), paths.path(o.obj())));
                    }
                  }
                  return out;
                }));
  }

  @Override
  public List<VmInfo> findVmsByName(MoRef root, String name) {
    return withSession(
        s ->
            withView(
                s,
                root,
                List.of("VirtualMachine"),
                view -> {
                  // names first: reading every VM's full properties to match one name would
                  // move the whole inventory's extraConfig over the wire
                  List<ObjSpec> matches = new ArrayList<>();
                  for (ObjectContent o :
                      retrieve(
                          s,
                          new Filter(
                              List.of(new PropSpec("VirtualMachine", List.of("name"))),
                              List.of(RetrieveSpec.containerView(view)),
                              false))) {
                    if (name.equals(decodeName(text(o, "name")))) {
                      matches.add(new ObjSpec(o.obj(), false, List.of()));
                    }
                  }
                  if (matches.isEmpty()) {
                    return List.<VmInfo>of();
                  }
                  return toVms(
                      retrieve(
                          s,
                          new Filter(
                              List.of(new PropSpec("VirtualMachine", VM_PATHS)), matches, true)));
                }));
  }

  @Override
  public List<VmInfo> vmsInFolder(MoRef folder) {
    return withSession(
        s ->
            toVms(
                retrieve(
                    s,
                    new Filter(
                        List.of(new PropSpec("VirtualMachine", VM_PATHS)),
                        List.of(RetrieveSpec.folderChildren(folder)),
                        false))));
  }

  @Override
  public List<NamedRef> childFolders(MoRef folder) {
    return withSession(
        s -> {
          List<NamedRef> out = new ArrayList<>();
          for (ObjectContent o :
              retrieve(
                  s,
                  new Filter(
                      List.of(new PropSpec("Folder", List.of("name"))),
                      List.of(RetrieveSpec.folderChildren(folder)),
                      false))) {
            if (o.obj().type().equals("Folder")) {
              out.add(new NamedRef(o.obj(), decodeName(text(o, "name")), null));
            }
          }
          return out;
        });
  }

  @Override
  public MoRef createFolder(MoRef parent, String name) {
    return withSession(
        s -> {
          XmlElement r = call("CreateFolder", SoapRequests.createFolder(parent, name), s);
          return returnedRef(r, "CreateFolder");
        });
  }

  @Override
  public TaskRef cloneVm(CloneRequest request) {
    return task("CloneVM_Task", SoapRequests.cloneVm(request));
  }

  @Override
  public TaskRef reconfigureVm(MoRef vm, int cpu, long memoryMiB, Map<String, String> extraConfig) {
    return task("ReconfigVM_Task", SoapRequests.reconfigVm(vm, cpu, memoryMiB, extraConfig));
  }

  @Override
  public TaskRef setExtraConfig(MoRef vm, Map<String, String> entries) {
    return task("ReconfigVM_Task", SoapRequests.reconfigVm(vm, 0, 0, entries));
  }

  @Override
  public TaskRef powerOnVm(MoRef vm) {
    return task("PowerOnVM_Task", SoapRequests.powerOnVm(vm));
  }

  @Override
  public TaskRef powerOffVm(MoRef vm) {
    return task("PowerOffVM_Task", SoapRequests.powerOffVm(vm));
  }

  @Override
  public TaskRef destroy(MoRef entity) {
    return task("Destroy_Task", SoapRequests.destroy(entity));
  }

  @Override
  public ChangeFeed changeFeed(MoRef root) {
    if (closed) {
      throw new VsphereException("ClientClosed", "the vCenter client is closed", false);
    }
    return new SoapChangeFeed(this, Objects.requireNonNull(root, "root"));
  }

  /**
   * Reads all tasks in one RetrievePropertiesEx. A task vCenter no longer knows (it forgets
   * finished tasks after a while) is reported as ERROR with ManagedObjectNotFound rather than
   * failing the whole batch.
   */
  @Override
  public List<TaskInfo> tasks(Collection<TaskRef> tasks) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    return withSession(
        s -> {
          Map<MoRef, ObjectContent> found = new HashMap<>();
          Map<MoRef, VsphereException> gone = new HashMap<>();
          List<ObjSpec> objs = new ArrayList<>();
          for (TaskRef t : new LinkedHashSet<>(tasks)) {
            objs.add(new ObjSpec(t.ref(), false, List.of()));
          }
          // reportMissingObjectsInResults keeps one vanished task from faulting the batch; if
          // the server faults anyway, drop the object it names and ask again
          while (!objs.isEmpty()) {
            try {
              for (ObjectContent o :
                  retrieve(
                      s,
                      new Filter(
                          List.of(
                              new PropSpec(
                                  "Task", List.of("info.state", "info.result", "info.error"))),
                          objs,
                          true))) {
                found.put(o.obj(), o);
              }
              break;
            } catch (VsphereException.ManagedObjectNotFound e) {
              if (e.object() == null || !objs.removeIf(o -> o.obj().equals(e.object()))) {
                throw e;
              }
              gone.put(e.object(), e);
            }
          }
          List<TaskInfo> out = new ArrayList<>(tasks.size());
          for (TaskRef t : tasks) {
            TaskInfo info = taskInfo(t, found.get(t.ref()), gone.get(t.ref()));
            // a task's error reaches conditions and Events like a thrown one
            out.add(
                info.error() == null
                    ? info
                    : new TaskInfo(info.task(), info.state(), info.result(), redact(info.error())));
          }
          return out;
        });
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (keepAlive != null) {
      keepAlive.stop();
    }
    Session s = session;
    ServiceContent sc = content;
    session = null;
    if (s != null && sc != null) {
      try {
        call("Logout", SoapRequests.logout(sc.sessionManager()), s);
      } catch (VsphereException e) {
        LOG.debug("logout from {} failed: {}", transport.hostPort(), e.getMessage());
      }
    }
  }

  @Override
  public SessionState sessionState() {
    if (closed) {
      return SessionState.NONE;
    }
    // A failed re-login leaves the lost session in place, so the failure is looked at first.
    VsphereException failure = lastLoginFailure;
    if (failure != null) {
      return failure instanceof VsphereException.InvalidLogin
          ? SessionState.REJECTED
          : SessionState.LOGIN_FAILED;
    }
    return session != null ? SessionState.VALID : SessionState.NONE;
  }

  // ---------------------------------------------------------------- sessions

  /**
   * Runs {@code op} with a session. If it fails with NotAuthenticated, logs in again (or waits for
   * the login another caller already started for the same lost session) and runs it once more.
   * Retrying is safe even for CreateFolder or CloneVM_Task: vCenter checks the session before it
   * does anything, so a NotAuthenticated call had no effect.
   */
  private <T> T withSession(Function<Session, T> op) {
    try {
      Session s = ensureSession();
      try {
        return op.apply(s);
      } catch (VsphereException.NotAuthenticated e) {
        LOG.debug("session on {} lost, logging in again", transport.hostPort());
        return op.apply(relogin(s));
      }
    } catch (VsphereException e) {
      throw redact(e);
    }
  }

  /** The exception without any secret this client holds, and of bounded length. */
  VsphereException redact(VsphereException e) {
    return redact(e, null);
  }

  private VsphereException redact(VsphereException e, String alsoSecret) {
    List<String> secrets = new ArrayList<>(3);
    Session s = session;
    if (s != null) {
      secrets.add(s.cookie());
    }
    if (alsoSecret != null) {
      secrets.add(alsoSecret);
    }
    if (e.getMessage() != null) {
      try {
        Credentials c = credentials.get();
        if (c != null) {
          secrets.add(c.password());
        }
      } catch (RuntimeException unreadable) {
        // without the password there is nothing to mask it with; the cookie still is
      }
    }
    return Redaction.clean(e, secrets);
  }

  private Session ensureSession() {
    Session s = session;
    return s != null ? s : relogin(null);
  }

  /**
   * Logs in unless someone already replaced {@code lost}. Callers queue on one lock, so a lost
   * session costs one Login however many threads noticed. A login that fails is not repeated by the
   * callers that were waiting for it: they get its fault, so a wrong password can't lock the
   * account through a burst of attempts.
   */
  private Session relogin(Session lost) {
    long finishedSeen = loginsFinished;
    loginLock.lock();
    try {
      if (closed) {
        throw new VsphereException("ClientClosed", "the vCenter client is closed", false);
      }
      Session current = session;
      if (current != null && current != lost) {
        return current;
      }
      if (loginsFinished != finishedSeen && lastLoginFailure != null) {
        throw lastLoginFailure;
      }
      Credentials attempt =
          Objects.requireNonNull(credentials.get(), "credentials supplier gave null");
      if (rejected != null
          && rejected.sameAs(attempt)
          && System.nanoTime() - rejected.atNanos() < rejected.backoff().toNanos()) {
        // Retrying rejected credentials can lock the account; only new ones (a rotated Secret)
        // or the end of the backoff allow another attempt.
        throw new VsphereException.InvalidLogin(
            "vCenter "
                + transport.hostPort()
                + " rejected the credentials of user '"
                + attempt.user()
                + "'; not trying them again for "
                + rejected.backoff().toSeconds()
                + " s");
      }
      try {
        Session fresh = login(current == null ? 0 : current.generation() + 1, attempt);
        lastLoginFailure = null;
        rejected = null;
        session = fresh;
        return fresh;
      } catch (VsphereException e) {
        lastLoginFailure = e;
        if (e instanceof VsphereException.InvalidLogin) {
          Duration next =
              rejected == null || !rejected.sameAs(attempt)
                  ? LOGIN_BACKOFF_MIN
                  : min(rejected.backoff().multipliedBy(2), LOGIN_BACKOFF_MAX);
          rejected = Rejected.of(attempt, System.nanoTime(), next);
        }
        throw e;
      } finally {
        loginsFinished++;
      }
    } finally {
      loginLock.unlock();
    }
  }

  private Session login(long generation, Credentials c) {
    ServiceContent sc = content != null ? content : fetchServiceContent();
    Reply reply;
    try {
      reply =
          invoke("Login", SoapRequests.login(sc.sessionManager(), c.user(), c.password()), null);
    } catch (VsphereException e) {
      throw scrubbed(e, c.password());
    }
    if (reply.cookie() == null) {
      throw new VsphereException.Protocol(
          "Login succeeded but " + transport.hostPort() + " set no session cookie", null);
    }
    XmlElement rv = reply.content().child("returnval");
    String key = rv == null ? null : rv.childText("key");
    return new Session(generation, reply.cookie(), key);
  }

  /** The server's own message could in theory echo the password; make sure ours never do. */
  private static VsphereException scrubbed(VsphereException e, String password) {
    String m = e.getMessage();
    if (password.isEmpty() || m == null || !m.contains(password)) {
      return e;
    }
    String clean = m.replace(password, "***");
    if (e instanceof VsphereException.InvalidLogin) {
      return new VsphereException.InvalidLogin(clean);
    }
    if (e instanceof VsphereException.NotAuthenticated) {
      return new VsphereException.NotAuthenticated(clean);
    }
    return new VsphereException(e.faultType(), clean, e.isTransient());
  }

  /**
   * Proves that a session works with one cheap authenticated call (CurrentTime), logging in first
   * when there is none: {@link #about()} alone needs no session and so proves nothing about the
   * credentials.
   */
  public void checkSession() {
    withSession(s -> invoke("CurrentTime", SoapRequests.currentTime(), s, null));
  }

  /** True while the client holds a session it hasn't seen fail; never calls vCenter. */
  public boolean hasSession() {
    return session != null;
  }

  /** Package-private for tests: the current session key, e.g. to terminate it out of band. */
  String sessionKey() {
    Session s = session;
    return s == null ? null : s.key();
  }

  /** Package-private for tests: sends a raw request with the current session. */
  XmlElement callWithSession(String method, byte[] body) {
    return withSession(s -> call(method, body, s));
  }

  /** Package-private for tests; valid once the client has made a call. */
  MoRef sessionManager() {
    return content.sessionManager();
  }

  // ---------------------------------------------------------------- for the change feed

  /** The current session, logging in if there is none. */
  Session currentSession() {
    return ensureSession();
  }

  /** The session in use right now, or null; never logs in. */
  Session sessionIfAny() {
    return session;
  }

  /** A new session unless someone already replaced {@code lost}. */
  Session sessionAfter(Session lost) {
    return relogin(lost);
  }

  /**
   * One call on a given session, without the automatic re-login: the feed's server-side objects
   * belong to that session, so it must notice a new one itself.
   *
   * @param callTimeout null for the client's normal timeout
   * @param longPoll the call waits on the server by design (WaitForUpdatesEx): it counts as
   *     activity for the keep-alive while it is outstanding
   */
  XmlElement callOn(Session s, String method, byte[] body, Duration callTimeout, boolean longPoll) {
    if (!longPoll) {
      return invoke(method, body, s, callTimeout).content();
    }
    longPolls.incrementAndGet();
    try {
      return invoke(method, body, s, callTimeout).content();
    } finally {
      longPolls.decrementAndGet();
      lastActivityNanos = System.nanoTime();
    }
  }

  Duration timeout() {
    return timeout;
  }

  String extraConfigPrefix() {
    return extraConfigPrefix;
  }

  MoRef propertyCollector() {
    return content.propertyCollector();
  }

  MoRef viewManager() {
    return content.viewManager();
  }

  // ---------------------------------------------------------------- keep-alive

  /**
   * Makes one cheap call (CurrentTime, which is what govmomi's keep-alive uses too) when the
   * session has been idle for the keep-alive interval; nothing without a session or while a long
   * poll is outstanding.
   */
  private void keepAliveTick(Duration interval) {
    Session s = session;
    if (closed || s == null || longPolls.get() > 0) {
      return;
    }
    if (System.nanoTime() - lastActivityNanos < interval.toNanos()) {
      return;
    }
    try {
      invoke("CurrentTime", SoapRequests.currentTime(), s, null);
    } catch (VsphereException e) {
      LOG.debug("keep-alive call to {} failed: {}", transport.hostPort(), e.getMessage());
    }
  }

  private ServiceContent fetchServiceContent() {
    XmlElement r =
        invoke("RetrieveServiceContent", SoapRequests.retrieveServiceContent(), null).content();
    XmlElement rv = r.child("returnval");
    if (rv == null) {
      throw new VsphereException.Protocol("RetrieveServiceContent returned nothing", null);
    }
    XmlElement about = rv.child("about");
    AboutInfo info =
        about == null
            ? new AboutInfo(null, null, null, null)
            : new AboutInfo(
                about.childText("fullName"),
                about.childText("version"),
                about.childText("apiVersion"),
                about.childText("instanceUuid"));
    ServiceContent sc =
        new ServiceContent(
            info,
            rv.childMoRef("rootFolder"),
            rv.childMoRef("propertyCollector"),
            rv.childMoRef("viewManager"),
            rv.childMoRef("searchIndex"),
            rv.childMoRef("sessionManager"));
    if (sc.sessionManager() == null || sc.propertyCollector() == null || sc.rootFolder() == null) {
      throw new VsphereException.Protocol("service content lacks core managers", null);
    }
    if (info.apiVersion() != null && !info.apiVersion().isBlank()) {
      apiVersion = info.apiVersion().trim();
    }
    content = sc;
    return sc;
  }

  // ---------------------------------------------------------------- calls

  private XmlElement call(String method, byte[] body, Session s) {
    return invoke(method, body, s).content();
  }

  private TaskRef task(String method, byte[] body) {
    return withSession(s -> new TaskRef(returnedRef(call(method, body, s), method)));
  }

  private static MoRef returnedRef(XmlElement response, String method) {
    XmlElement rv = response.child("returnval");
    MoRef ref = rv == null ? null : rv.asMoRef();
    if (ref == null) {
      throw new VsphereException.Protocol(method + " returned no object reference", null);
    }
    return ref;
  }

  /** One HTTP round trip; maps SOAP faults and counts the call. */
  private Reply invoke(String method, byte[] body, Session s) {
    return invoke(method, body, s, null);
  }

  private Reply invoke(String method, byte[] body, Session s, Duration callTimeout) {
    long start = System.nanoTime();
    lastActivityNanos = start;
    String outcome = "ok";
    String responseCookie = null;
    try {
      SoapTransport.Response r =
          transport.post(
              "urn:vim25/" + apiVersion,
              body,
              s == null ? null : s.cookie(),
              callTimeout == null ? timeout : callTimeout);
      responseCookie = r.sessionCookie();
      if (r.status() == 200) {
        XmlElement c = ResponseParser.bodyContent(parser.parse(r.body()));
        if (c.name().equals("Fault")) {
          throw FaultMapper.fromSoapFault(method, c);
        }
        return new Reply(c, r.sessionCookie());
      }
      if (r.status() == 500) {
        XmlElement c;
        try {
          c = ResponseParser.bodyContent(parser.parse(r.body()));
        } catch (VsphereException.Protocol e) {
          throw new VsphereException.Transport(
              method + ": HTTP 500 from " + transport.hostPort() + " without a SOAP fault", null);
        }
        if (c.name().equals("Fault")) {
          throw FaultMapper.fromSoapFault(method, c);
        }
        throw new VsphereException.Transport(
            method + ": HTTP 500 from " + transport.hostPort() + " without a SOAP fault", null);
      }
      throw new VsphereException.Transport(
          method + ": HTTP " + r.status() + " from " + transport.hostPort(), null);
    } catch (VsphereException e) {
      outcome = e.faultType();
      throw redact(e, responseCookie);
    } catch (RuntimeException e) {
      outcome = e.getClass().getSimpleName();
      throw e;
    } finally {
      long end = System.nanoTime();
      lastActivityNanos = end;
      Duration latency = Duration.ofNanos(end - start);
      calls.computeIfAbsent(method, k -> new LongAdder()).increment();
      LOG.debug("{} -> {} in {} ms", method, outcome, latency.toMillis());
      SoapCallListener l = listener;
      if (l != null) {
        try {
          l.onCall(method, outcome, latency);
        } catch (RuntimeException e) {
          LOG.warn("SOAP call listener failed", e);
        }
      }
    }
  }

  private <T> T withView(Session s, MoRef container, List<String> types, Function<MoRef, T> op) {
    XmlElement r =
        call(
            "CreateContainerView",
            SoapRequests.createContainerView(content.viewManager(), container, types, true),
            s);
    MoRef view = returnedRef(r, "CreateContainerView");
    try {
      return op.apply(view);
    } catch (VsphereException.ManagedObjectNotFound e) {
      if (view.equals(e.object())) {
        // A view lives in its session: gone means the session ended between the calls (a
        // session-less read is let through by some servers and then misses the view). Logging in
        // again and repeating the read is what the caller's session handling does for that.
        throw new VsphereException.NotAuthenticated(
            "container view " + view + " gone with its session");
      }
      throw e;
    } finally {
      try {
        call("DestroyView", SoapRequests.destroyView(view), s);
      } catch (VsphereException e) {
        // the view dies with its session anyway; never hide the operation's own outcome
        LOG.debug("DestroyView {} failed: {}", view, e.getMessage());
      }
    }
  }

  /** RetrievePropertiesEx and, while the server hands out a token, ContinueRetrievePropertiesEx. */
  private List<ObjectContent> retrieve(Session s, Filter filter) {
    MoRef pc = content.propertyCollector();
    List<ObjectContent> out = new ArrayList<>();
    XmlElement r =
        call(
            "RetrievePropertiesEx",
            SoapRequests.retrievePropertiesEx(pc, filter, MAX_OBJECTS_PER_PAGE),
            s);
    for (int page = 1; ; page++) {
      XmlElement rv = r.child("returnval");
      if (rv == null) {
        return out;
      }
      for (XmlElement o : rv.children("objects")) {
        out.add(objectContent(o));
      }
      String token = rv.childText("token");
      if (token == null || token.isEmpty()) {
        return out;
      }
      if (page >= MAX_PAGES) {
        throw new VsphereException.Protocol(
            "RetrievePropertiesEx still had more after " + MAX_PAGES + " pages; refused", null);
      }
      r =
          call(
              "ContinueRetrievePropertiesEx",
              SoapRequests.continueRetrievePropertiesEx(pc, token),
              s);
    }
  }

  private static ObjectContent objectContent(XmlElement o) {
    MoRef obj = o.childMoRef("obj");
    if (obj == null) {
      throw new VsphereException.Protocol("ObjectContent without obj", null);
    }
    Map<String, XmlElement> props = new HashMap<>();
    for (XmlElement p : o.children("propSet")) {
      XmlElement val = p.child("val");
      if (val != null) {
        props.put(p.childText("name"), val);
      }
    }
    Map<String, VsphereException> missing = new HashMap<>();
    for (XmlElement m : o.children("missingSet")) {
      XmlElement fault = m.child("fault");
      if (fault == null) {
        continue;
      }
      VsphereException e =
          FaultMapper.fromLocalizedMethodFault(obj + " " + m.childText("path"), fault);
      // a session-less read reports NotAuthenticated per property instead of faulting the call
      if (e instanceof VsphereException.NotAuthenticated) {
        throw e;
      }
      missing.put(m.childText("path"), e);
    }
    return new ObjectContent(obj, props, missing);
  }

  // ---------------------------------------------------------------- values

  private static ObjectContent single(List<ObjectContent> objs, MoRef ref) {
    for (ObjectContent o : objs) {
      if (o.obj().equals(ref)) {
        if (o.props().isEmpty() && !o.missing().isEmpty()) {
          throw o.missing().values().iterator().next();
        }
        return o;
      }
    }
    throw new VsphereException.ManagedObjectNotFound("no properties returned for " + ref, ref);
  }

  private static String text(ObjectContent o, String prop) {
    XmlElement v = o.props().get(prop);
    return v == null ? null : v.text().trim();
  }

  private static MoRef moRef(ObjectContent o, String prop) {
    XmlElement v = o.props().get(prop);
    return v == null ? null : v.asMoRef();
  }

  private static long number(ObjectContent o, String prop) {
    String t = text(o, prop);
    if (t == null || t.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new VsphereException.Protocol(prop + " of " + o.obj() + " is not a number", null);
    }
  }

  /** A count that must fit an int: a wider value would wrap around (2^32 + 1 CPUs reading 1). */
  private static int count(ObjectContent o, String prop) {
    long n = number(o, prop);
    if (n < 0 || n > Integer.MAX_VALUE) {
      throw new VsphereException.Protocol(prop + " of " + o.obj() + " is out of range", null);
    }
    return (int) n;
  }

  private List<VmInfo> toVms(List<ObjectContent> objs) {
    List<VmInfo> out = new ArrayList<>();
    for (ObjectContent o : objs) {
      if (!o.obj().type().equals("VirtualMachine")) {
        continue;
      }
      out.add(
          new VmInfo(
              o.obj(),
              decodeName(text(o, "name")),
              moRef(o, "parent"),
              powerState(text(o, "runtime.powerState")),
              count(o, "config.hardware.numCPU"),
              number(o, "config.hardware.memoryMB"),
              "true".equals(text(o, "config.template")),
              text(o, "config.instanceUuid"),
              text(o, "guest.ipAddress"),
              extraConfig(o.props().get("config.extraConfig")),
              "true".equals(text(o, "config.cpuHotAddEnabled")),
              "true".equals(text(o, "config.memoryHotAddEnabled")),
              moRef(o, "snapshot.currentSnapshot")));
    }
    return out;
  }

  private Map<String, String> extraConfig(XmlElement array) {
    return extraConfig(array, extraConfigPrefix);
  }

  /** The entries of an ArrayOfOptionValue whose keys start with {@code prefix}. */
  static Map<String, String> extraConfig(XmlElement array, String extraConfigPrefix) {
    if (array == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (XmlElement ov : array.children()) {
      String key = ov.childText("key");
      if (key != null && key.startsWith(extraConfigPrefix)) {
        XmlElement v = ov.child("value");
        out.put(key, v == null ? "" : v.text());
      }
    }
    return out;
  }

  static PowerState powerState(String s) {
    if (s == null) {
      return PowerState.UNKNOWN;
    }
    return switch (s) {
      case "poweredOn" -> PowerState.POWERED_ON;
      case "poweredOff" -> PowerState.POWERED_OFF;
      case "suspended" -> PowerState.SUSPENDED;
      default -> PowerState.UNKNOWN;
    };
  }

  private static TaskInfo taskInfo(TaskRef t, ObjectContent o, VsphereException gone) {
    if (o == null) {
      VsphereException e =
          gone != null
              ? gone
              : new VsphereException.ManagedObjectNotFound(
                  "task " + t.ref() + " no longer exists", t.ref());
      return new TaskInfo(t, TaskInfo.State.ERROR, null, e);
    }
    String state = text(o, "info.state");
    TaskInfo.State st = taskState(t.ref(), state);
    XmlElement result = o.props().get("info.result");
    MoRef resultRef = result == null ? null : result.asMoRef();
    VsphereException error = null;
    if (st == TaskInfo.State.ERROR) {
      XmlElement err = o.props().get("info.error");
      error =
          err == null
              ? new VsphereException("MethodFault", "task " + t.ref() + " failed", false)
              : FaultMapper.fromLocalizedMethodFault("task " + t.ref(), err);
    }
    return new TaskInfo(t, st, resultRef, error);
  }

  static TaskInfo.State taskState(MoRef task, String state) {
    return switch (state == null ? "" : state) {
      case "queued" -> TaskInfo.State.QUEUED;
      case "running" -> TaskInfo.State.RUNNING;
      case "success" -> TaskInfo.State.SUCCESS;
      case "error" -> TaskInfo.State.ERROR;
      default ->
          throw new VsphereException.Protocol(
              "task " + task + " has unknown state " + Redaction.serverText(state), null);
    };
  }

  /**
   * vCenter stores {@code %}, {@code /} and {@code \} in names escaped; callers see names as the UI
   * shows them.
   */
  static String decodeName(String raw) {
    if (raw == null || raw.indexOf('%') < 0) {
      return raw;
    }
    StringBuilder sb = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        String code = raw.substring(i + 1, i + 3).toLowerCase(Locale.ROOT);
        String decoded =
            switch (code) {
              case "25" -> "%";
              case "2f" -> "/";
              case "5c" -> "\\";
              default -> null;
            };
        if (decoded != null) {
          sb.append(decoded);
          i += 2;
          continue;
        }
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** Inventory paths from name and parent of every object in one retrieval. */
  private static final class Paths {
    private final Map<MoRef, ObjectContent> byRef = new HashMap<>();
    private final Map<MoRef, String> cache = new HashMap<>();

    Paths(List<ObjectContent> objs) {
      for (ObjectContent o : objs) {
        byRef.put(o.obj(), o);
      }
    }

    String name(MoRef ref) {
      ObjectContent o = byRef.get(ref);
      return o == null ? null : decodeName(text(o, "name"));
    }

    /** Null when an ancestor wasn't part of the retrieval. */
    String path(MoRef ref) {
      return path(ref, 0);
    }

    private String path(MoRef ref, int depth) {
      if (cache.containsKey(ref)) {
        return cache.get(ref);
      }
      ObjectContent o = byRef.get(ref);
      if (o == null || depth > 256) {
        return null;
      }
      MoRef parent = moRef(o, "parent");
      String p;
      if (parent == null) {
        p = ""; // the root folder, whose name ("Datacenters") is not part of any path
      } else {
        String parentPath = path(parent, depth + 1);
        p = parentPath == null ? null : parentPath + "/" + decodeName(text(o, "name"));
      }
      cache.put(ref, p);
      return p;
    }
  }

  // ---------------------------------------------------------------- builder

  public static final class Builder {
    private final URI url;
    private Supplier<Credentials> credentials;
    private TlsTrust tls = TlsTrust.system();
    private Duration timeout = Duration.ofSeconds(60);
    private long maxResponseBytes = 32L << 20;
    private String extraConfigPrefix = "vmgroup.";
    private SoapCallListener listener;
    private Duration keepAlive = Duration.ofMinutes(5);

    private Builder(URI url) {
      this.url = Objects.requireNonNull(url, "url");
    }

    /** Asked at every login, so rotated credentials take effect at the next one. */
    public Builder credentials(Supplier<Credentials> credentials) {
      this.credentials = credentials;
      return this;
    }

    public Builder credentials(Credentials credentials) {
      Objects.requireNonNull(credentials, "credentials");
      return credentials(() -> credentials);
    }

    public Builder tls(TlsTrust tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /** Limit for each whole SOAP call, connection and response body included. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    public Builder maxResponseBytes(long max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxResponseBytes must be positive");
      }
      this.maxResponseBytes = max;
      return this;
    }

    /** Only extraConfig keys with this prefix are returned in {@link VmInfo#extraConfig()}. */
    public Builder extraConfigPrefix(String prefix) {
      this.extraConfigPrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * When no call has been made on the session for this long, one cheap call keeps it from
     * expiring (vCenter drops sessions idle for 30 minutes). {@link Duration#ZERO} disables it.
     */
    public Builder keepAlive(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("keepAlive must not be negative");
      }
      this.keepAlive = interval;
      return this;
    }

    public Builder listener(SoapCallListener listener) {
      this.listener = listener;
      return this;
    }

    public SoapVsphereClient build() {
      Objects.requireNonNull(credentials, "credentials");
      return new SoapVsphereClient(this);
    }
  }
}
