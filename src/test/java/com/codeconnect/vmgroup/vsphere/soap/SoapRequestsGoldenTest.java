package com.codeconnect.vmgroup.vsphere.soap;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.RuleChange;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.Filter;
import com.codeconnect.vmgroup.vsphere.soap.RetrieveSpec.PropSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the element order of each request to the WSDL sequence. The simulator would accept any
 * order, so these files are the only guard against a request real vCenter rejects.
 */
class SoapRequestsGoldenTest {
  private static final MoRef SESSION_MANAGER = new MoRef("SessionManager", "SessionManager");
  private static final MoRef PC = new MoRef("PropertyCollector", "propertyCollector");

  @Test
  void login() throws IOException {
    assertGolden(
        "login.xml", SoapRequests.login(SESSION_MANAGER, "admin@vsphere.local", "p<&>\"'w"));
  }

  @Test
  void cloneWithFullSpec() throws IOException {
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("vmgroup.owner", "ns/group & <co>");
    extra.put("vmgroup.index", "3");
    CloneRequest r =
        new CloneRequest(
            new MoRef("VirtualMachine", "vm-10"),
            new MoRef("Folder", "group-v20"),
            new MoRef("ResourcePool", "resgroup-30"),
            new MoRef("Datastore", "datastore-40"),
            "web-3",
            4,
            8192,
            extra,
            new MoRef("VirtualMachineSnapshot", "snapshot-50"),
            true);
    // diskMoveType sits between datastore and pool, snapshot after powerOn (WSDL order)
    assertGolden("clone-vm.xml", SoapRequests.cloneVm(r));
  }

  @Test
  void cloneWithoutDatastoreOrConfig() throws IOException {
    CloneRequest r =
        new CloneRequest(
            new MoRef("VirtualMachine", "vm-10"),
            new MoRef("Folder", "group-v20"),
            new MoRef("ResourcePool", "resgroup-30"),
            null,
            "web-4",
            0,
            0,
            Map.of());
    assertGolden("clone-vm-minimal.xml", SoapRequests.cloneVm(r));
  }

  @Test
  void reconfigure() throws IOException {
    assertGolden(
        "reconfig-vm.xml", SoapRequests.reconfigVm(new MoRef("VirtualMachine", "vm-55"), 2, 4096));
  }

  @Test
  void retrieveThroughContainerView() throws IOException {
    Filter f =
        new Filter(
            List.of(new PropSpec("VirtualMachine", List.of("name", "runtime.powerState"))),
            List.of(RetrieveSpec.containerView(new MoRef("ContainerView", "session[1]view-1"))),
            false);
    assertGolden("retrieve-container-view.xml", SoapRequests.retrievePropertiesEx(PC, f, 1000));
  }

  @Test
  void retrieveFolderTreeWithMissingObjectsReported() throws IOException {
    Filter f =
        new Filter(
            List.of(
                new PropSpec("Folder", List.of("name", "parent")),
                new PropSpec("Datacenter", List.of("name", "parent"))),
            List.of(RetrieveSpec.folderTree(new MoRef("Folder", "group-d1"))),
            true);
    assertGolden("retrieve-folder-tree.xml", SoapRequests.retrievePropertiesEx(PC, f, 0));
  }

  @Test
  void createFolder() throws IOException {
    assertGolden(
        "create-folder.xml",
        SoapRequests.createFolder(new MoRef("Folder", "group-v3"), "team-a/50%"));
  }

  @Test
  void findByInventoryPath() throws IOException {
    assertGolden(
        "find-by-inventory-path.xml",
        SoapRequests.findByInventoryPath(
            new MoRef("SearchIndex", "SearchIndex"), "/DC0/vm/ops%25"));
  }

  @Test
  void createContainerView() throws IOException {
    assertGolden(
        "create-container-view.xml",
        SoapRequests.createContainerView(
            new MoRef("ViewManager", "ViewManager"),
            new MoRef("Datacenter", "datacenter-2"),
            List.of("ResourcePool", "ComputeResource"),
            true));
  }

  @Test
  void createPropertyCollector() throws IOException {
    assertGolden("create-property-collector.xml", SoapRequests.createPropertyCollector(PC));
  }

  @Test
  void createFilterOverContainerAndListView() throws IOException {
    Filter f =
        SoapChangeFeed.filter(
            new MoRef("ContainerView", "session[1]view-1"),
            new MoRef("ListView", "session[1]view-2"));
    assertGolden(
        "create-filter.xml",
        SoapRequests.createFilter(new MoRef("PropertyCollector", "session[1]pc-7"), f, false));
  }

  @Test
  void waitForUpdatesExFirstAndLater() throws IOException {
    MoRef pc = new MoRef("PropertyCollector", "session[1]pc-7");
    assertGolden("wait-for-updates-ex-first.xml", SoapRequests.waitForUpdatesEx(pc, "", 0, 1000));
    assertGolden("wait-for-updates-ex.xml", SoapRequests.waitForUpdatesEx(pc, "42", 5, 1000));
  }

  @Test
  void createListView() throws IOException {
    assertGolden(
        "create-list-view.xml",
        SoapRequests.createListView(
            new MoRef("ViewManager", "ViewManager"), List.of(new MoRef("Task", "task-1"))));
  }

  @Test
  void modifyListView() throws IOException {
    assertGolden(
        "modify-list-view.xml",
        SoapRequests.modifyListView(
            new MoRef("ListView", "session[1]view-2"),
            List.of(new MoRef("Task", "task-3"), new MoRef("Task", "task-4")),
            List.of(new MoRef("Task", "task-1"))));
  }

  @Test
  void reconfigureRulesAddsEditsAndRemovesByKey() throws IOException {
    MoRef cluster = new MoRef("ClusterComputeResource", "domain-c7");
    assertGolden("reconfigure-rules.xml", SoapRequests.reconfigureRules(cluster, RULE_CHANGES));
  }

  static final List<RuleChange> RULE_CHANGES =
      List.of(
          new RuleChange.Add(
              "vmgroup-ns-web",
              true,
              true,
              List.of(new MoRef("VirtualMachine", "vm-1"), new MoRef("VirtualMachine", "vm-2"))),
          new RuleChange.Edit(
              4, "vmgroup-ns-db", true, false, List.of(new MoRef("VirtualMachine", "vm-3"))),
          new RuleChange.Remove(5));

  static void assertGolden(String file, byte[] actual) throws IOException {
    String expected;
    try (InputStream in = SoapRequestsGoldenTest.class.getResourceAsStream("/golden/" + file)) {
      if (in == null) {
        // a missing golden file is written out for review, and the test still fails
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "golden-actual", file);
        Files.createDirectories(out.getParent());
        Files.write(out, actual);
        throw new AssertionError("golden file missing; actual written to " + out.toAbsolutePath());
      }
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(new String(actual, StandardCharsets.UTF_8)).isEqualTo(compact(expected));
  }

  /** Golden files are indented for review; requests are sent without whitespace between tags. */
  static String compact(String xml) {
    return xml.strip().replaceAll(">\\s+<", "><");
  }
}
