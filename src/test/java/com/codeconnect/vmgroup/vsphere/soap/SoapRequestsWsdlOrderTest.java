package com.codeconnect.vmgroup.vsphere.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.DeviceChange;
import com.codeconnect.vmgroup.vsphere.GuestCustomization;
import com.codeconnect.vmgroup.vsphere.GuestCustomization.IpSettings;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NicBacking;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmChange;
import com.codeconnect.vmgroup.vsphere.VmDetails;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.Filter;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.ObjSpec;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.PropSpec;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every request body the client writes, checked against the WSDL as govmomi's {@code
 * vim25/types/types.go} has it, parsed at test time: element order, types and {@code xsi:type}s,
 * required fields (see {@link GovmomiTypes}). Real vCenter refuses elements out of the WSDL's
 * order; the simulator accepts anything, so this is the guard.
 *
 * <p>Two sources of bodies: each {@link SoapRequests} method called with every optional part filled
 * (a test fails when a method is added without being called here), and the bodies the client
 * actually sends while every public operation runs against a stub vCenter that answers with
 * recorded responses (the filters its reads and its change feed build).
 */
class SoapRequestsWsdlOrderTest {
  private static final Pattern METHOD = Pattern.compile("<soapenv:Body><([A-Za-z_]+)");
  private static final MoRef VM = new MoRef("VirtualMachine", "vm-10");
  private static final MoRef FOLDER = new MoRef("Folder", "group-v20");
  private static final MoRef PC = new MoRef("PropertyCollector", "propertyCollector");
  private static final MoRef CLUSTER = new MoRef("ClusterComputeResource", "domain-c7");

  private static GovmomiTypes types;

  @BeforeAll
  static void readTypes() throws IOException {
    assumeTrue(
        Files.isRegularFile(GovmomiTypes.TYPES_GO),
        GovmomiTypes.TYPES_GO
            + " is missing: scripts/setup.sh installs it (Debian's"
            + " golang-github-vmware-govmomi-dev)");
    types = new GovmomiTypes(GovmomiTypes.TYPES_GO);
  }

  @Test
  void everyRequestTheClientCanWriteFollowsTheWsdl() {
    Map<String, List<byte[]>> bodies = writtenBodies();
    Set<String> writers = new TreeSet<>();
    for (Method m : SoapRequests.class.getDeclaredMethods()) {
      if (Modifier.isStatic(m.getModifiers()) && m.getReturnType() == byte[].class) {
        writers.add(m.getName());
      }
    }
    assertThat(bodies.keySet()).as("SoapRequests methods this test calls").containsAll(writers);
    GovmomiTypes.Report report = check(bodies.values().stream().flatMap(List::stream).toList());
    assertThat(report.errors).as("%d elements checked", report.elements).isEmpty();
    // every optional part is there: a spec that lost its device changes would check clean
    assertThat(report.elements).isGreaterThan(500);
  }

  @Test
  void everyRequestTheClientSendsFollowsTheWsdl() throws IOException {
    List<byte[]> sent = new CopyOnWriteArrayList<>();
    try (TinyHttpServer server = new TinyHttpServer(body -> answer(body, sent))) {
      SoapVsphereClient client = clientOf(server);
      for (Consumer<SoapVsphereClient> op : operations()) {
        try {
          op.accept(client);
        } catch (VsphereException | IllegalStateException answeredWithOtherData) {
          // the stub answers with recorded data of other objects; only the requests matter
        }
      }
      client.close();
    }
    Set<String> methods = new TreeSet<>();
    for (byte[] b : sent) {
      methods.add(method(new String(b, StandardCharsets.UTF_8)));
    }
    assertThat(methods)
        .contains(
            "Login",
            "RetrievePropertiesEx",
            "CreateContainerView",
            "CloneVM_Task",
            "ReconfigVM_Task",
            "ReconfigureComputeResource_Task",
            "CreateFilter",
            "WaitForUpdatesEx",
            "CreateListView",
            "Logout");
    GovmomiTypes.Report report = check(sent);
    assertThat(report.errors)
        .as("%d elements in %d requests", report.elements, sent.size())
        .isEmpty();
  }

  /** The checker itself finds what it is for: a field out of order, a missing type or field. */
  @Test
  void theCheckFindsOrderTypeAndMissingFields() {
    String clone = new String(SoapRequests.cloneVm(fullClone()), StandardCharsets.UTF_8);
    String moved = "<diskMoveType>createNewChildDiskBacking</diskMoveType>";
    assertThat(onlyError(clone.replace(moved, "").replace("</pool>", "</pool>" + moved)))
        .contains("CloneVM_Task/spec/location/diskMoveType: <diskMoveType> after <pool>")
        .contains("VirtualMachineRelocateSpec orders its fields [service, folder, datastore,");
    assertThat(onlyError(clone.replaceFirst("<device xsi:type=\"VirtualE1000\">", "<device>")))
        .contains("CloneVM_Task/spec/config/deviceChange[0](VirtualDeviceConfigSpec)/device")
        .contains("needs an xsi:type");
    assertThat(onlyError(clone.replaceFirst("<domain>example.com</domain>", "")))
        .contains("required <domain> of CustomizationLinuxPrep is missing");
  }

  private static String onlyError(String body) {
    List<String> errors = check(List.of(body.getBytes(StandardCharsets.UTF_8))).errors;
    assertThat(errors).hasSize(1);
    return errors.get(0);
  }

  // ------------------------------------------------------------------ bodies

  private static GovmomiTypes.Report check(List<byte[]> bodies) {
    GovmomiTypes.Report report = new GovmomiTypes.Report();
    ResponseParser parser = new ResponseParser();
    for (byte[] b : bodies) {
      types.check(ResponseParser.bodyContent(parser.parse(b)), report);
    }
    return report;
  }

  /** Each writer of {@link SoapRequests}, with everything it can write filled in. */
  private static Map<String, List<byte[]>> writtenBodies() {
    Map<String, List<byte[]>> b = new LinkedHashMap<>();
    MoRef sessionManager = new MoRef("SessionManager", "SessionManager");
    MoRef viewManager = new MoRef("ViewManager", "ViewManager");
    MoRef collector = new MoRef("PropertyCollector", "session[1]pc-7");
    MoRef listView = new MoRef("ListView", "session[1]view-2");
    put(b, "retrieveServiceContent", SoapRequests.retrieveServiceContent());
    put(b, "login", SoapRequests.login(sessionManager, "admin", "secret"));
    put(b, "logout", SoapRequests.logout(sessionManager));
    put(b, "currentTime", SoapRequests.currentTime());
    put(
        b,
        "findByInventoryPath",
        SoapRequests.findByInventoryPath(new MoRef("SearchIndex", "SearchIndex"), "/DC0/vm"));
    put(b, "createFolder", SoapRequests.createFolder(FOLDER, "team-a"));
    put(b, "cloneVm", SoapRequests.cloneVm(fullClone()));
    put(b, "cloneVm", SoapRequests.cloneVm(fullClone().withCustomization(sysprep())));
    put(
        b,
        "cloneVm",
        SoapRequests.cloneVm(
            new CloneRequest(VM, FOLDER, new MoRef("ResourcePool", "p"), null, "m", 0, 0, null)));
    put(b, "reconfigVm", SoapRequests.reconfigVm(VM, 2, 4096));
    put(b, "reconfigVm", SoapRequests.reconfigVm(VM, 2, 4096, Map.of("vmgroup.size", "2x4096")));
    put(
        b,
        "reconfigVm",
        SoapRequests.reconfigVm(
            VM,
            new VmChange(
                8,
                4,
                16384,
                Map.of("guestinfo.metadata", "m", "vmgroup.owner", ""),
                "notes",
                allDeviceChanges())));
    put(
        b,
        "reconfigureRules",
        SoapRequests.reconfigureRules(CLUSTER, SoapRequestsGoldenTest.RULE_CHANGES));
    put(b, "customizeVm", SoapRequests.customizeVm(VM, sysprep()));
    put(b, "powerOnVm", SoapRequests.powerOnVm(VM));
    put(b, "powerOffVm", SoapRequests.powerOffVm(VM));
    put(b, "destroy", SoapRequests.destroy(VM));
    put(
        b,
        "createContainerView",
        SoapRequests.createContainerView(
            viewManager, FOLDER, List.of("VirtualMachine", "Folder"), true));
    put(b, "destroyView", SoapRequests.destroyView(new MoRef("ContainerView", "session[1]v")));
    Filter every =
        new Filter(
            List.of(
                new PropSpec("VirtualMachine", List.of("name", "config.hardware.device")),
                new PropSpec("Folder", List.of("name", "parent"))),
            List.of(
                RetrieveSpec.containerView(new MoRef("ContainerView", "session[1]v")),
                RetrieveSpec.listView(listView),
                RetrieveSpec.folderChildren(FOLDER),
                RetrieveSpec.folderTree(new MoRef("Folder", "group-d1")),
                new ObjSpec(VM, false, List.of())),
            true);
    put(b, "retrievePropertiesEx", SoapRequests.retrievePropertiesEx(PC, every, 1000));
    put(b, "continueRetrievePropertiesEx", SoapRequests.continueRetrievePropertiesEx(PC, "t1"));
    put(b, "createPropertyCollector", SoapRequests.createPropertyCollector(PC));
    put(b, "destroyPropertyCollector", SoapRequests.destroyPropertyCollector(collector));
    put(b, "createFilter", SoapRequests.createFilter(collector, every, true));
    put(
        b,
        "destroyPropertyFilter",
        SoapRequests.destroyPropertyFilter(new MoRef("PropertyFilter", "session[1]f-1")));
    put(b, "waitForUpdatesEx", SoapRequests.waitForUpdatesEx(collector, "42", 30, 1000));
    put(b, "waitForUpdatesEx", SoapRequests.waitForUpdatesEx(collector, "", 0, 0));
    put(
        b,
        "createListView",
        SoapRequests.createListView(
            viewManager, List.of(new MoRef("Task", "task-1"), new MoRef("Task", "task-2"))));
    put(
        b,
        "modifyListView",
        SoapRequests.modifyListView(
            listView, List.of(new MoRef("Task", "task-3")), List.of(new MoRef("Task", "task-1"))));
    return b;
  }

  private static void put(Map<String, List<byte[]>> bodies, String writer, byte[] body) {
    bodies.computeIfAbsent(writer, k -> new ArrayList<>()).add(body);
  }

  static final VmDetails.Nic NIC =
      new VmDetails.Nic(
          4000,
          "VirtualE1000",
          "Network adapter 1",
          new NicBacking.Distributed("50 2e 4b 5c", "dvportgroup-13"),
          "00:50:56:aa:bb:cc");
  static final VmDetails.Disk DISK =
      new VmDetails.Disk(
          2000,
          1000,
          0,
          16 << 20,
          true,
          "Hard disk 1",
          "[LocalDS_0] t/t.vmdk",
          "persistent",
          VmDetails.Disk.FLAT,
          false);

  private static List<DeviceChange> allDeviceChanges() {
    NicBacking standard = new NicBacking.Standard("VM Network", new MoRef("Network", "network-7"));
    NicBacking distributed = new NicBacking.Distributed("50 2e 4b 5c", "dvportgroup-13");
    return List.of(
        new DeviceChange.RebindNic(NIC, standard),
        new DeviceChange.RebindNic(NIC, distributed),
        new DeviceChange.AddNic(standard),
        new DeviceChange.AddNic(distributed),
        new DeviceChange.GrowDisk(DISK, 32 << 20),
        new DeviceChange.AddDisk(1000, 1, 8 << 20, true),
        new DeviceChange.AddDisk(1000, 2, 8 << 20, false));
  }

  /** A linked clone with everything a clone can carry, and LinuxPrep. */
  static CloneRequest fullClone() {
    return new CloneRequest(
            VM,
            FOLDER,
            new MoRef("ResourcePool", "resgroup-30"),
            new MoRef("Datastore", "datastore-40"),
            "web-3",
            8,
            16384,
            Map.of("vmgroup.owner", "ns/web", "guestinfo.userdata", "I2Nsb3VkLWNvbmZpZw=="),
            new MoRef("VirtualMachineSnapshot", "snapshot-50"),
            true)
        .withCoresPerSocket(4)
        .withAnnotation("Managed by vmgroup-operator: ns/web")
        .withDeviceChanges(allDeviceChanges())
        .withCustomization(
            new GuestCustomization.LinuxPrep(
                "web-3",
                "example.com",
                "Europe/Berlin",
                Arrays.asList(IpSettings.fixed("10.0.0.13", 24, "10.0.0.1"), null),
                List.of("10.0.0.2", "10.0.0.3"),
                List.of("example.com", "corp.example.com")));
  }

  static GuestCustomization sysprep() {
    return new GuestCustomization.Sysprep(
        "<unattend/>",
        List.of(IpSettings.fixed("10.0.0.14", 16, "10.0.0.1"), IpSettings.DHCP),
        List.of("10.0.0.2"),
        List.of("example.com"));
  }

  // ------------------------------------------------------------------ the client, sending

  /** Every public operation, with the richest arguments it takes. */
  private static List<Consumer<SoapVsphereClient>> operations() {
    MoRef dc = new MoRef("Datacenter", "datacenter-2");
    return List.of(
        c -> c.about(),
        c -> c.checkSession(),
        c -> c.datacenters(),
        c -> c.datacenter(dc),
        c -> c.findByInventoryPath("/DC0/vm/50% off"),
        c -> c.resourcePools(dc),
        c -> c.computeResource(CLUSTER),
        c -> c.computeResourceOf(new MoRef("ResourcePool", "resgroup-8")),
        c -> c.reconfigureRules(CLUSTER, SoapRequestsGoldenTest.RULE_CHANGES),
        c -> c.networks(dc),
        c -> c.details(VM),
        c -> c.findVmsByName(dc, "vm-operator-template"),
        c -> c.vmsInFolder(FOLDER),
        c -> c.childFolders(FOLDER),
        c -> c.createFolder(FOLDER, "team-a"),
        c -> c.cloneVm(fullClone()),
        c -> c.cloneVm(fullClone().withCustomization(sysprep())),
        c -> c.reconfigureVm(VM, 2, 4096, Map.of("vmgroup.size", "2x4096")),
        c -> c.reconfigureVm(VM, new VmChange(8, 4, 16384, Map.of(), "n", allDeviceChanges())),
        c -> c.setExtraConfig(VM, Map.of("vmgroup.owner", "")),
        c -> c.customizeVm(VM, sysprep()),
        c -> c.powerOnVm(VM),
        c -> c.powerOffVm(VM),
        c -> c.destroy(VM),
        c -> c.tasks(List.of(new TaskRef(new MoRef("Task", "task-1")))),
        c -> {
          try (ChangeFeed feed = c.changeFeed(FOLDER)) {
            feed.next(Duration.ofSeconds(1));
            feed.watchTasks(List.of(new TaskRef(new MoRef("Task", "task-1"))));
            feed.next(Duration.ofSeconds(1));
            feed.unwatchTasks(List.of(new TaskRef(new MoRef("Task", "task-1"))));
            feed.next(Duration.ofSeconds(1));
            feed.watchClusters(List.of(CLUSTER));
            feed.next(Duration.ofSeconds(1));
            feed.unwatchClusters(List.of(CLUSTER));
          }
        });
  }

  /** The request is kept; the answer is recorded. */
  private static TinyHttpServer.Response answer(String body, List<byte[]> sent) {
    sent.add(body.getBytes(StandardCharsets.UTF_8));
    return recordedAnswer(method(body));
  }

  /** A client of the stub vCenter, without keep-alive. */
  static SoapVsphereClient clientOf(TinyHttpServer server) {
    return SoapVsphereClient.builder(URI.create("http://127.0.0.1:" + server.port() + "/sdk"))
        .credentials(new Credentials("stub", "stub-password"))
        .timeout(Duration.ofSeconds(5))
        .keepAlive(Duration.ZERO)
        .build();
  }

  /**
   * What the simulator answered to a method, or an empty success; Login sets the session cookie.
   */
  static TinyHttpServer.Response recordedAnswer(String method) {
    String file =
        switch (method) {
          case "RetrievePropertiesEx" -> "RetrievePropertiesEx-6.xml";
          case "WaitForUpdatesEx" -> "WaitForUpdatesEx-4.xml";
          default -> method + "-1.xml";
        };
    if (!Files.exists(HostileXml.RECORDED.resolve(file))) {
      file = "DestroyView-1.xml";
    }
    String[] headers =
        method.equals("Login")
            ? new String[] {"Set-Cookie: vmware_soap_session=\"stub\"; Path=/; HttpOnly"}
            : new String[0];
    return new TinyHttpServer.Response(
        200,
        headers,
        HostileXml.recorded(file).getBytes(StandardCharsets.UTF_8),
        TinyHttpServer.Mode.WHOLE,
        0);
  }

  private static String method(String body) {
    Matcher m = METHOD.matcher(body);
    return m.find() ? m.group(1) : "?";
  }
}
