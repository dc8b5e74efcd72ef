package com.codeconnect.vmgroup.vsphere.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.LibraryDeploy;
import com.codeconnect.vmgroup.vsphere.LibraryItem;
import com.codeconnect.vmgroup.vsphere.LibraryLookup;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Content library calls against a scripted server: the {@code /api} rendering (which govmomi's
 * simulator doesn't serve), answers of the wrong shape, and an OVF deploy that reports failure in
 * an answer of success.
 */
class LibraryCallsTest {
  private static final String PASSWORD = "lib-s3cret";
  private static final String LIB = "lib-1";
  private static final String ITEM = "item-1";

  /** Answers by "METHOD path?query"; anything unscripted is 404. */
  private final Map<String, String> answers = new ConcurrentHashMap<>();

  /** Statuses other than 200 of scripted answers, by the same key. */
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();

  private final List<String> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          String key = ex.getRequestMethod() + " " + ex.getRequestURI();
          String sent = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          seen.add(key + (sent.isEmpty() ? "" : " " + sent));
          String answer = answers.get(key);
          byte[] body = answer == null ? new byte[0] : answer.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          int status = answer == null ? 404 : statuses.getOrDefault(key, 200);
          ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          if (body.length > 0) {
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private RestClient client(long maxBytes) {
    return RestClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .credentials(() -> new Credentials("admin", PASSWORD))
        .timeout(Duration.ofSeconds(5))
        .maxResponseBytes(maxBytes)
        .build();
  }

  private void restVcenter() {
    answers.put("POST /rest/com/vmware/cis/session", "{\"value\":\"t-1\"}");
    answers.put(
        "POST /rest/com/vmware/content/library?~action=find", "{\"value\":[\"" + LIB + "\"]}");
    answers.put(
        "GET /rest/com/vmware/content/library/id:" + LIB,
        "{\"value\":{\"id\":\"" + LIB + "\",\"name\":\"golden\",\"type\":\"LOCAL\"}}");
    answers.put(
        "POST /rest/com/vmware/content/library/item?~action=find",
        "{\"value\":[\"" + ITEM + "\"]}");
  }

  private static TaskInfo end(RestClient c, TaskRef task) {
    await().atMost(Duration.ofSeconds(5)).until(() -> c.ownTasks(List.of(task)).get(0).done());
    return c.ownTasks(List.of(task)).get(0);
  }

  @Test
  void underApiBodiesAreBareAndTheVmTemplateDeployPlacesTheVmPoweredOff() {
    answers.put("POST /api/session", "\"t-1\"");
    answers.put("POST /api/content/library?action=find", "[\"" + LIB + "\"]");
    answers.put("GET /api/content/library/" + LIB, "{\"id\":\"" + LIB + "\",\"name\":\"golden\"}");
    answers.put("POST /api/content/library/item?action=find", "[\"" + ITEM + "\"]");
    answers.put(
        "GET /api/content/library/item/" + ITEM,
        "{\"id\":\""
            + ITEM
            + "\",\"name\":\"ubuntu\",\"type\":\"vm-template\",\"library_id\":\""
            + LIB
            + "\",\"content_version\":\"7\",\"added_later\":true}");
    answers.put(
        "POST /api/vcenter/vm-template/library-items/" + ITEM + "?action=deploy", "\"vm-42\"");
    try (RestClient c = client(1 << 20)) {
      LibraryLookup found = c.findLibraryItem("golden", "ubuntu");
      assertThat(found.item())
          .isEqualTo(
              new LibraryItem(ITEM, "ubuntu", LibraryItem.Kind.VM_TEMPLATE, LIB, "golden", "7"));
      TaskInfo end =
          end(
              c,
              c.deployLibraryItem(
                  LibraryDeploy.of(
                      found.item(),
                      "web-0",
                      new MoRef("Folder", "group-v9"),
                      new MoRef("ResourcePool", "resgroup-8"))));
      assertThat(end.result()).isEqualTo(new MoRef("VirtualMachine", "vm-42"));
    }
    assertThat(seen)
        .contains("POST /api/content/library?action=find {\"name\":\"golden\"}")
        .contains(
            "POST /api/content/library/item?action=find {\"library_id\":\""
                + LIB
                + "\",\"name\":\"ubuntu\"}")
        .contains(
            "POST /api/vcenter/vm-template/library-items/"
                + ITEM
                + "?action=deploy {\"name\":\"web-0\",\"placement\":{\"folder\":\"group-v9\","
                + "\"resource_pool\":\"resgroup-8\"},\"powered_on\":false}");
  }

  @Test
  void anItemAnswerWithoutIdOrOfTheWrongShapeIsAClearError() {
    restVcenter();
    answers.put(
        "GET /rest/com/vmware/content/library/item/id:" + ITEM, "{\"value\":{\"name\":\"x\"}}");
    try (RestClient c = client(1 << 20)) {
      assertThatThrownBy(() -> c.findLibraryItem("golden", "x"))
          .isInstanceOf(VsphereException.Protocol.class)
          .hasMessageContaining("item.get")
          .hasMessageContaining("without id or name");
      answers.put(
          "GET /rest/com/vmware/content/library/item/id:" + ITEM, "{\"value\":[\"a list\"]}");
      assertThatThrownBy(() -> c.findLibraryItem("golden", "x"))
          .isInstanceOf(VsphereException.Protocol.class)
          .hasMessageContaining("item.get");
    }
  }

  @Test
  void aLookupAnswerTooLargeIsRefusedAndNothingIsDeployed() {
    restVcenter();
    answers.put(
        "POST /rest/com/vmware/content/library?~action=find",
        "{\"value\":[\"" + "x".repeat(4096) + "\"]}");
    try (RestClient c = client(1024)) {
      assertThatThrownBy(() -> c.findLibraryItem("golden", "x"))
          .isInstanceOf(VsphereException.Protocol.class);
    }
    assertThat(seen).noneMatch(s -> s.contains("deploy"));
  }

  @Test
  void anOvfDeployThatAnswersFailureEndsItsTaskWithTheReasonAndNoSecret() {
    restVcenter();
    answers.put(
        "POST /rest/com/vmware/vcenter/ovf/library-item/id:" + ITEM + "?~action=deploy",
        "{\"value\":{\"succeeded\":false,\"error\":{\"errors\":[{\"category\":\"SERVER\","
            + "\"error\":{\"@class\":\"com.vmware.vapi.std.errors.error\",\"messages\":"
            + "[{\"id\":\"x\",\"default_message\":\"datastore full for "
            + PASSWORD
            + "\"}]}}]}}}");
    LibraryItem ovf = new LibraryItem(ITEM, "appliance", LibraryItem.Kind.OVF, LIB, "golden", "1");
    try (RestClient c = client(1 << 20)) {
      TaskInfo end =
          end(
              c,
              c.deployLibraryItem(
                  LibraryDeploy.of(
                      ovf,
                      "web-1",
                      new MoRef("Folder", "group-v9"),
                      new MoRef("ResourcePool", "resgroup-8"))));
      assertThat(end.state()).isEqualTo(TaskInfo.State.ERROR);
      assertThat(end.error().getMessage())
          .contains("datastore full")
          .contains("web-1")
          .doesNotContain(PASSWORD);
    }
  }

  @Test
  void theNotesGoInTheVmTemplateDescriptionAndTheOvfAnnotationAndAreLeftOutWhenNone()
      throws IOException {
    restVcenter();
    String vmtxDeploy = "POST /rest/vcenter/vm-template/library-items/" + ITEM + "?action=deploy";
    String ovfDeploy =
        "POST /rest/com/vmware/vcenter/ovf/library-item/id:" + ITEM + "?~action=deploy";
    answers.put(vmtxDeploy, "{\"value\":\"vm-42\"}");
    answers.put(
        ovfDeploy,
        "{\"value\":{\"succeeded\":true,\"resource_id\":"
            + "{\"type\":\"VirtualMachine\",\"id\":\"vm-43\"}}}");
    LibraryItem vmtx =
        new LibraryItem(ITEM, "ubuntu", LibraryItem.Kind.VM_TEMPLATE, LIB, "golden", "1");
    LibraryItem ovf = new LibraryItem(ITEM, "appliance", LibraryItem.Kind.OVF, LIB, "golden", "1");
    String notes = "vmgroup default/web \"quoted\"\nsecond line";
    MoRef folder = new MoRef("Folder", "group-v9");
    MoRef pool = new MoRef("ResourcePool", "resgroup-8");
    try (RestClient c = client(1 << 20)) {
      for (LibraryDeploy d :
          List.of(
              LibraryDeploy.of(vmtx, "web-3", folder, pool).withAnnotation(notes),
              LibraryDeploy.of(ovf, "web-4", folder, pool).withAnnotation(notes),
              LibraryDeploy.of(vmtx, "web-5", folder, pool),
              LibraryDeploy.of(ovf, "web-6", folder, pool))) {
        assertThat(end(c, c.deployLibraryItem(d)).state()).isEqualTo(TaskInfo.State.SUCCESS);
      }
    }
    ObjectMapper json = new ObjectMapper();
    Map<String, JsonNode> sent = new HashMap<>();
    for (String s : seen) {
      if (s.startsWith(vmtxDeploy + " ")) {
        JsonNode spec = json.readTree(s.substring(vmtxDeploy.length() + 1)).path("spec");
        sent.put(spec.path("name").asText(), spec);
      } else if (s.startsWith(ovfDeploy + " ")) {
        JsonNode spec = json.readTree(s.substring(ovfDeploy.length() + 1)).path("deployment_spec");
        sent.put(spec.path("name").asText(), spec);
      }
    }
    assertThat(sent).containsOnlyKeys("web-3", "web-4", "web-5", "web-6");
    assertThat(sent.get("web-3").path("description").asText()).isEqualTo(notes);
    assertThat(sent.get("web-3").has("annotation")).isFalse();
    assertThat(sent.get("web-4").path("annotation").asText()).isEqualTo(notes);
    assertThat(sent.get("web-4").has("description")).isFalse();
    assertThat(sent.get("web-5").has("description")).isFalse();
    assertThat(sent.get("web-6").has("annotation")).isFalse();
  }

  @Test
  void aDeployRefusedForAnExistingNameIsADuplicate() {
    restVcenter();
    String deploy = "POST /rest/vcenter/vm-template/library-items/" + ITEM + "?action=deploy";
    answers.put(
        deploy,
        "{\"type\":\"com.vmware.vapi.std.errors.already_exists\",\"value\":{\"messages\":"
            + "[{\"id\":\"x\",\"default_message\":\"The name 'web-2' already exists.\"}]}}");
    statuses.put(deploy, 400);
    LibraryItem vmtx =
        new LibraryItem(ITEM, "ubuntu", LibraryItem.Kind.VM_TEMPLATE, LIB, "golden", "1");
    try (RestClient c = client(1 << 20)) {
      TaskInfo end =
          end(
              c,
              c.deployLibraryItem(
                  LibraryDeploy.of(
                      vmtx,
                      "web-2",
                      new MoRef("Folder", "group-v9"),
                      new MoRef("ResourcePool", "resgroup-8"))));
      assertThat(end.state()).isEqualTo(TaskInfo.State.ERROR);
      assertThat(end.error()).isInstanceOf(VsphereException.DuplicateName.class);
    }
  }
}
