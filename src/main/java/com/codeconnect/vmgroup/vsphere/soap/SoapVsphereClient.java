package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.vsphere.AboutInfo;
import com.codeconnect.vmgroup.vsphere.CallListener;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.ComputeResourceInfo;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.CustomFieldDef;
import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.GuestCustomization;
import com.codeconnect.vmgroup.vsphere.LibraryDeploy;
import com.codeconnect.vmgroup.vsphere.LibraryLookup;
import com.codeconnect.vmgroup.vsphere.LoginGate;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.NetworkInfo;
import com.codeconnect.vmgroup.vsphere.RuleChange;
import com.codeconnect.vmgroup.vsphere.SessionState;
import com.codeconnect.vmgroup.vsphere.SiblingClient;
import com.codeconnect.vmgroup.vsphere.Tag;
import com.codeconnect.vmgroup.vsphere.TagCategory;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VcenterConnection;
import com.codeconnect.vmgroup.vsphere.VmChange;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link VsphereClient} over vim25 SOAP, built on {@link java.net.http.HttpClient} and StAX.
 *
 * <p>Thread-safe. It logs in on the first call that needs a session and again, once, when a call
 * finds the session gone ({@link SoapSession}); {@link #close()} logs out. Its parts: {@link
 * SoapRpc} makes the calls, {@link SoapInventory} knows what to read, {@link SoapDecoding} what the
 * answers mean, and {@link SoapChangeFeed} follows changes.
 *
 * <p>Background activity: only the keep-alive (see {@link Builder#keepAlive}), which calls
 * CurrentTime when a session has seen no call for the keep-alive interval; an outstanding
 * WaitForUpdatesEx counts as a call.
 *
 * <p>Tags are not in the SOAP API: they go to the {@link SiblingClient} the builder was given (the
 * REST client {@link SoapClients} makes beside this one). Custom attributes are SOAP's ({@link
 * CustomFields}).
 */
public final class SoapVsphereClient implements VsphereClient {
  private final SoapRpc rpc;
  private final SoapSession session;
  private final SoapInventory inventory;
  private final String extraConfigPrefix;
  private final CustomFields customFields;
  private final SiblingClient sibling;

  private SoapVsphereClient(Builder b) {
    this.rpc =
        new SoapRpc(
            new SoapTransport(b.url, b.tls, b.timeout, b.maxResponseBytes),
            b.timeout,
            b.listener,
            this::redact);
    this.session = new SoapSession(rpc, b.credentials, b.keepAlive, b.loginGate);
    this.inventory = new SoapInventory(rpc, b.extraConfigPrefix);
    this.extraConfigPrefix = b.extraConfigPrefix;
    this.customFields = new CustomFields(rpc);
    this.sibling = b.sibling;
  }

  /**
   * @param sdkUrl e.g. {@code https://vcenter.example.com/sdk}
   */
  public static Builder builder(URI sdkUrl) {
    return new Builder(sdkUrl);
  }

  public void setListener(CallListener listener) {
    rpc.setListener(listener);
  }

  /** SOAP calls made so far for one vim25 method (failed ones included). */
  public long callCount(String method) {
    return rpc.callCount(method);
  }

  /** SOAP calls made so far by method, e.g. to profile a benchmark phase. */
  public Map<String, Long> callCounts() {
    return rpc.callCounts();
  }

  /** SOAP calls made so far, all methods together. */
  public long callCount() {
    return rpc.callCount();
  }

  // ---------------------------------------------------------------- reads

  @Override
  public AboutInfo about() {
    return rpc.fetchContent().about();
  }

  @Override
  public List<NamedRef> datacenters() {
    return session.withSession(inventory::datacenters);
  }

  @Override
  public DatacenterInfo datacenter(MoRef datacenter) {
    return session.withSession(s -> inventory.datacenter(s, datacenter));
  }

  @Override
  public Optional<MoRef> findByInventoryPath(String path) {
    return session.withSession(s -> inventory.findByInventoryPath(s, path));
  }

  @Override
  public List<NamedRef> resourcePools(MoRef datacenter) {
    return session.withSession(s -> inventory.resourcePools(s, datacenter));
  }

  @Override
  public ComputeResourceInfo computeResource(MoRef computeResource) {
    return session.withSession(s -> inventory.computeResource(s, computeResource));
  }

  @Override
  public ComputeResourceInfo computeResourceOf(MoRef resourcePool) {
    return session.withSession(s -> inventory.computeResourceOf(s, resourcePool));
  }

  @Override
  public List<NetworkInfo> networks(MoRef datacenter) {
    return session.withSession(s -> inventory.networks(s, datacenter));
  }

  @Override
  public VmDetails details(MoRef vm) {
    return session.withSession(s -> inventory.details(s, vm));
  }

  @Override
  public List<VmInfo> findVmsByName(MoRef root, String name) {
    return session.withSession(s -> inventory.findVmsByName(s, root, name));
  }

  @Override
  public List<VmInfo> vmsInFolder(MoRef folder) {
    return session.withSession(s -> inventory.vmsInFolder(s, folder));
  }

  @Override
  public List<NamedRef> childFolders(MoRef folder) {
    return session.withSession(s -> inventory.childFolders(s, folder));
  }

  @Override
  public List<TaskInfo> tasks(Collection<TaskRef> tasks) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    if (sibling == null || tasks.stream().noneMatch(sibling::ownsTask)) {
      return vimTasks(tasks);
    }
    // the sibling's own tasks (content library deploys) are answered by it, the rest by vCenter
    List<TaskRef> vim = tasks.stream().filter(t -> !sibling.ownsTask(t)).toList();
    Map<TaskRef, TaskInfo> byRef = new HashMap<>();
    sibling
        .ownTasks(tasks.stream().filter(sibling::ownsTask).toList())
        .forEach(i -> byRef.put(i.task(), i));
    vimTasks(vim).forEach(i -> byRef.put(i.task(), i));
    return tasks.stream().map(byRef::get).toList();
  }

  private List<TaskInfo> vimTasks(Collection<TaskRef> tasks) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    List<TaskInfo> out = new ArrayList<>(tasks.size());
    for (TaskInfo info : session.withSession(s -> inventory.tasks(s, tasks))) {
      out.add(session.redact(info));
    }
    return out;
  }

  @Override
  public ChangeFeed changeFeed(MoRef root) {
    if (session.isClosed()) {
      throw SoapSession.closedClient();
    }
    ChangeFeed feed =
        new SoapChangeFeed(rpc, session, extraConfigPrefix, Objects.requireNonNull(root, "root"));
    return sibling == null ? feed : sibling.withOwnTasks(feed);
  }

  // ---------------------------------------------------------------- changes

  @Override
  public MoRef createFolder(MoRef parent, String name) {
    return session.withSession(
        s -> rpc.callForRef("CreateFolder", SoapRequests.createFolder(parent, name), s));
  }

  /**
   * The request's secrets are masked in every message the client lets out from now on, this call's
   * fault and the task's error included, which arrive later.
   */
  @Override
  public TaskRef cloneVm(CloneRequest request) {
    session.maskAlso(request.secrets());
    return task("CloneVM_Task", SoapRequests.cloneVm(request));
  }

  @Override
  public TaskRef reconfigureVm(MoRef vm, int cpu, long memoryMiB, Map<String, String> extraConfig) {
    return reconfigureVm(vm, VmChange.size(cpu, memoryMiB, extraConfig));
  }

  @Override
  public TaskRef reconfigureVm(MoRef vm, VmChange change) {
    session.maskAlso(change.secrets());
    return task("ReconfigVM_Task", SoapRequests.reconfigVm(vm, change));
  }

  @Override
  public TaskRef setExtraConfig(MoRef vm, Map<String, String> entries) {
    return reconfigureVm(vm, VmChange.size(0, 0, entries));
  }

  @Override
  public TaskRef reconfigureRules(MoRef cluster, List<RuleChange> changes) {
    if (changes.isEmpty()) {
      throw new IllegalArgumentException("no rule changes");
    }
    return task("ReconfigureComputeResource_Task", SoapRequests.reconfigureRules(cluster, changes));
  }

  @Override
  public TaskRef customizeVm(MoRef vm, GuestCustomization customization) {
    session.maskAlso(customization.secrets());
    return task("CustomizeVM_Task", SoapRequests.customizeVm(vm, customization));
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

  private TaskRef task(String method, byte[] body) {
    return session.withSession(s -> new TaskRef(rpc.callForRef(method, body, s)));
  }

  // ---------------------------------------------------------------- tags

  @Override
  public List<TagCategory> tagCategories() {
    return sibling().tagCategories();
  }

  @Override
  public List<Tag> tags(TagCategory category) {
    return sibling().tags(category);
  }

  @Override
  public List<String> attachedTags(MoRef object) {
    return sibling().attachedTags(object);
  }

  @Override
  public void attachTags(Collection<String> tagIds, MoRef object) {
    sibling().attachTags(tagIds, object);
  }

  @Override
  public void detachTags(Collection<String> tagIds, MoRef object) {
    sibling().detachTags(tagIds, object);
  }

  // ---------------------------------------------------------------- content library

  @Override
  public LibraryLookup findLibraryItem(String library, String item) {
    return sibling().findLibraryItem(library, item);
  }

  @Override
  public TaskRef deployLibraryItem(LibraryDeploy request) {
    return sibling().deployLibraryItem(request);
  }

  private SiblingClient sibling() {
    if (sibling == null) {
      throw new VsphereException(
          "NotSupported",
          "this client was built without vCenter's REST API, which tags and content libraries"
              + " need (SoapClients builds both)",
          false);
    }
    return sibling;
  }

  // ---------------------------------------------------------------- custom attributes

  @Override
  public List<CustomFieldDef> customFields() {
    return session.withSession(customFields::definitions);
  }

  @Override
  public CustomFieldDef addVmCustomField(String name) {
    Objects.requireNonNull(name, "name");
    return session.withSession(s -> customFields.addForVms(s, name));
  }

  @Override
  public void setCustomValue(MoRef entity, int fieldKey, String value) {
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(value, "value");
    session.withSession(
        s -> {
          customFields.set(s, entity, fieldKey, value);
          return null;
        });
  }

  @Override
  public Map<Integer, String> customValues(MoRef vm) {
    Objects.requireNonNull(vm, "vm");
    return session.withSession(s -> customFields.read(s, vm));
  }

  // ---------------------------------------------------------------- session

  /** One CurrentTime call, which needs a session but reads nothing. */
  @Override
  public void checkSession() {
    session.check();
  }

  /** True while the client holds a session it hasn't seen fail; never calls vCenter. */
  public boolean hasSession() {
    return session.ifAny() != null;
  }

  @Override
  public SessionState sessionState() {
    return session.state();
  }

  @Override
  public void close() {
    if (sibling != null) {
      sibling.close();
    }
    session.close();
  }

  /** What the calls mask in their faults: the session's secrets, and one more of their own. */
  private VsphereException redact(VsphereException e, String alsoSecret) {
    return session.redact(e, alsoSecret);
  }

  /** Package-private for tests: the current session key, e.g. to terminate it out of band. */
  String sessionKey() {
    return session.key();
  }

  /** Package-private for tests: sends a raw request with the current session. */
  XmlElement callWithSession(String method, byte[] body) {
    return session.withSession(s -> rpc.call(method, body, s));
  }

  /** Package-private for tests; valid once the client has made a call. */
  MoRef sessionManager() {
    return rpc.content().sessionManager();
  }

  /** Package-private for tests; valid once the client has made a call. */
  MoRef propertyCollector() {
    return rpc.content().propertyCollector();
  }

  // ---------------------------------------------------------------- builder

  public static final class Builder {
    private final URI url;
    private Supplier<Credentials> credentials;
    private TlsTrust tls = TlsTrust.system();
    private Duration timeout = VcenterConnection.DEFAULT_TIMEOUT;
    private long maxResponseBytes = 32L << 20;
    private String extraConfigPrefix = "vmgroup.";
    private CallListener listener;
    private Duration keepAlive = VcenterConnection.DEFAULT_KEEP_ALIVE;
    private LoginGate loginGate = new LoginGate();
    private SiblingClient sibling;

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

    public Builder listener(CallListener listener) {
      this.listener = listener;
      return this;
    }

    /** The gate a REST client of the same vCenter uses, so a refusal holds both back. */
    public Builder loginGate(LoginGate gate) {
      this.loginGate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    /**
     * The client tags go to (and which the built client closes with itself); without one, those
     * calls fail with NotSupported.
     */
    public Builder sibling(SiblingClient sibling) {
      this.sibling = sibling;
      return this;
    }

    public SoapVsphereClient build() {
      Objects.requireNonNull(credentials, "credentials");
      return new SoapVsphereClient(this);
    }
  }
}
