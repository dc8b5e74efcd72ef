package com.codeconnect.vmgroup.vsphere.soap;

import static com.codeconnect.vmgroup.vsphere.soap.SoapResponseParserTest.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Feed behaviour the simulator can't show: InvalidCollectorVersion, ModifyListView returning
 * unresolved tasks (as vCenter does), and a long poll longer than the client's normal timeout.
 */
class SoapChangeFeedTest {
  private static final Pattern METHOD =
      Pattern.compile("<soapenv:Body><([A-Za-z_]+) xmlns=\"urn:vim25\">");
  private static final MoRef ROOT = new MoRef("Folder", "group-v3");

  private HttpServer server;
  private URI url;
  private final Map<String, Deque<String[]>> script = new HashMap<>();
  private final List<String> seen = new ArrayList<>();
  private final List<String> listChanges = new ArrayList<>();
  private volatile long waitDelayMillis;
  // when set, ModifyListView calls are held until the gate opens (at most 10 s)
  private volatile CountDownLatch listViewGate;
  private volatile CountDownLatch listViewArrived;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/sdk",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Matcher m = METHOD.matcher(body);
          String method = m.find() ? m.group(1) : "?";
          String[] reply;
          synchronized (seen) {
            seen.add(method.equals("WaitForUpdatesEx") ? method + " " + waitArgs(body) : method);
            if (method.equals("ModifyListView")) {
              listChanges.add(listChange(body));
            }
            Deque<String[]> q = script.get(method);
            reply = q == null || q.isEmpty() ? null : q.size() == 1 ? q.peek() : q.poll();
          }
          CountDownLatch gate = listViewGate;
          if (method.equals("ModifyListView") && gate != null) {
            listViewArrived.countDown();
            try {
              gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          if (method.equals("WaitForUpdatesEx") && waitDelayMillis > 0) {
            try {
              Thread.sleep(waitDelayMillis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          if (reply == null) {
            reply = new String[] {"200", response(method, "")};
          }
          if (method.equals("Login")) {
            ex.getResponseHeaders()
                .add("Set-Cookie", "vmware_soap_session=\"c1\"; Path=/; HttpOnly");
          }
          byte[] out = reply[1].getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(Integer.parseInt(reply[0]), out.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(out);
          }
        });
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sdk");
    on(
        "RetrieveServiceContent",
        "200",
        response(
            "RetrieveServiceContent",
            "<returnval><rootFolder type=\"Folder\">group-d1</rootFolder>"
                + "<propertyCollector type=\"PropertyCollector\">propertyCollector"
                + "</propertyCollector><viewManager type=\"ViewManager\">ViewManager</viewManager>"
                + "<sessionManager type=\"SessionManager\">SessionManager</sessionManager>"
                + "</returnval>"));
    on("Login", "200", response("Login", "<returnval><key>k1</key></returnval>"));
    on(
        "CreatePropertyCollector",
        "200",
        ref("CreatePropertyCollector", "PropertyCollector", "pc-1"));
    on("CreateContainerView", "200", ref("CreateContainerView", "ContainerView", "view-1"));
    on("CreateListView", "200", ref("CreateListView", "ListView", "view-2"));
    on("CreateFilter", "200", ref("CreateFilter", "PropertyFilter", "filter-1"));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static String waitArgs(String body) {
    Matcher v = Pattern.compile("<version>([^<]*)</version>").matcher(body);
    Matcher w = Pattern.compile("<maxWaitSeconds>([^<]*)</maxWaitSeconds>").matcher(body);
    return (v.find() ? v.group(1) : "") + "/" + (w.find() ? w.group(1) : "?");
  }

  /** A ModifyListView as "+task-1 -task-2" (additions, then removals). */
  private static String listChange(String body) {
    List<String> parts = new ArrayList<>();
    Matcher m = Pattern.compile("<(add|remove) type=\"Task\">([^<]*)</").matcher(body);
    while (m.find()) {
      parts.add((m.group(1).equals("add") ? "+" : "-") + m.group(2));
    }
    return String.join(" ", parts);
  }

  private void on(String method, String... reply) {
    script.computeIfAbsent(method, k -> new ArrayDeque<>()).add(reply);
  }

  private static String response(String method, String content) {
    return envelope(
        "<" + method + "Response xmlns=\"urn:vim25\">" + content + "</" + method + "Response>");
  }

  private static String ref(String method, String type, String id) {
    return response(method, "<returnval type=\"" + type + "\">" + id + "</returnval>");
  }

  private static String updateSet(String version, String folderId) {
    return response(
        "WaitForUpdatesEx",
        "<returnval><version>"
            + version
            + "</version><filterSet><filter type=\"PropertyFilter\">filter-1</filter>"
            + "<objectSet><kind>enter</kind><obj type=\"Folder\">"
            + folderId
            + "</obj><changeSet><name>name</name><op>assign</op>"
            + "<val xsi:type=\"xsd:string\">f</val></changeSet></objectSet></filterSet>"
            + "</returnval>");
  }

  private static String fault(String type) {
    return envelope(
        "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>"
            + type
            + "</faultstring><detail><"
            + type
            + "Fault xmlns=\"urn:vim25\" xsi:type=\""
            + type
            + "\"/></detail></soapenv:Fault>");
  }

  private SoapVsphereClient client(Duration timeout) {
    return SoapVsphereClient.builder(url)
        .credentials(new Credentials("me", "pw"))
        .timeout(timeout)
        .keepAlive(Duration.ZERO)
        .build();
  }

  @Test
  void invalidCollectorVersionRebuildsAndResyncs() {
    on("WaitForUpdatesEx", "200", updateSet("1", "group-v10"));
    on("WaitForUpdatesEx", "500", fault("InvalidCollectorVersion"));
    on("WaitForUpdatesEx", "200", updateSet("1", "group-v11"));
    on("WaitForUpdatesEx", "200", response("WaitForUpdatesEx", ""));
    try (SoapVsphereClient c = client(Duration.ofSeconds(5))) {
      ChangeFeed feed = c.changeFeed(ROOT);
      ChangeBatch first = feed.next(Duration.ofSeconds(1));
      assertThat(first.resync()).isTrue();
      assertThat(first.changes())
          .extracting(ObjectChange::ref)
          .containsExactly(new MoRef("Folder", "group-v10"));

      ChangeBatch again = feed.next(Duration.ofSeconds(1));
      assertThat(again.resync()).isTrue();
      assertThat(again.changes())
          .extracting(ObjectChange::ref)
          .containsExactly(new MoRef("Folder", "group-v11"));

      assertThat(feed.next(Duration.ofSeconds(1))).isEqualTo(ChangeBatch.empty());
      feed.close();
      assertThat(c.callCount("CreatePropertyCollector")).isEqualTo(2);
      assertThat(c.callCount("CreateFilter")).isEqualTo(2);
      // the broken build was destroyed before the new one, and the new one on close
      assertThat(c.callCount("DestroyPropertyCollector")).isEqualTo(2);
      assertThat(c.callCount("DestroyPropertyFilter")).isEqualTo(2);
      assertThat(c.callCount("DestroyView")).isEqualTo(4);
    }
    synchronized (seen) {
      assertThat(seen.stream().filter(s -> s.startsWith("WaitForUpdatesEx")))
          .containsExactly(
              "WaitForUpdatesEx /1",
              "WaitForUpdatesEx 1/1",
              "WaitForUpdatesEx /1",
              "WaitForUpdatesEx 1/1");
    }
  }

  @Test
  void unresolvedTasksOfModifyListViewAreReportedOnceAsFailed() {
    on("WaitForUpdatesEx", "200", updateSet("1", "group-v10"));
    on("WaitForUpdatesEx", "200", response("WaitForUpdatesEx", ""));
    on(
        "ModifyListView",
        "200",
        response("ModifyListView", "<returnval type=\"Task\">task-7</returnval>"));
    try (SoapVsphereClient c = client(Duration.ofSeconds(5));
        ChangeFeed feed = c.changeFeed(ROOT)) {
      assertThat(feed.next(Duration.ofSeconds(1)).resync()).isTrue();
      TaskRef gone = new TaskRef(new MoRef("Task", "task-7"));
      feed.watchTasks(List.of(gone));
      ChangeBatch b = feed.next(Duration.ofSeconds(30));
      assertThat(b.resync()).isFalse();
      assertThat(b.changes())
          .singleElement()
          .satisfies(
              ch -> {
                assertThat(ch.ref()).isEqualTo(gone.ref());
                assertThat(ch.kind()).isEqualTo(ObjectChange.Kind.TASK);
                assertThat(ch.values().get("state")).isEqualTo(TaskInfo.State.ERROR);
                assertThat(ch.values().get("error"))
                    .isInstanceOf(VsphereException.ManagedObjectNotFound.class);
              });
      assertThat(feed.next(Duration.ofSeconds(1))).isEqualTo(ChangeBatch.empty());
    }
    synchronized (seen) {
      // the pending failure made the wait return at once instead of waiting 30 s
      assertThat(seen.stream().filter(s -> s.startsWith("WaitForUpdatesEx")))
          .containsExactly("WaitForUpdatesEx /1", "WaitForUpdatesEx 1/0", "WaitForUpdatesEx 1/1");
    }
  }

  @Test
  void aRemovalNeverWaitsBehindAnotherListChangeAndRidesWithIt() throws Exception {
    on("WaitForUpdatesEx", "200", updateSet("1", "group-v10"));
    on("WaitForUpdatesEx", "200", response("WaitForUpdatesEx", ""));
    TaskRef first = new TaskRef(new MoRef("Task", "task-1"));
    TaskRef second = new TaskRef(new MoRef("Task", "task-2"));
    TaskRef third = new TaskRef(new MoRef("Task", "task-3"));
    TaskRef fourth = new TaskRef(new MoRef("Task", "task-4"));
    try (SoapVsphereClient c = client(Duration.ofSeconds(20));
        ChangeFeed feed = c.changeFeed(ROOT)) {
      assertThat(feed.next(Duration.ofSeconds(1)).resync()).isTrue();
      feed.watchTasks(List.of(first, second));
      // A watch whose call the server holds, as a busy vCenter does.
      listViewGate = new CountDownLatch(1);
      listViewArrived = new CountDownLatch(1);
      Thread watcher = new Thread(() -> feed.watchTasks(List.of(third)));
      watcher.start();
      listViewArrived.await();
      // Meanwhile two tasks end: their removal neither waits for that call nor makes its own.
      feed.unwatchTasks(List.of(first));
      feed.unwatchTasks(List.of(second));
      int duringTheHeldCall;
      synchronized (seen) {
        duringTheHeldCall = listChanges.size();
      }
      listViewGate.countDown();
      watcher.join();
      assertThat(duringTheHeldCall).isEqualTo(2);
      // With no call under way, a removal goes out at once.
      listViewGate = null;
      feed.unwatchTasks(List.of(third));
      feed.watchTasks(List.of(fourth));
    }
    synchronized (seen) {
      assertThat(listChanges)
          .containsExactly("+task-1 +task-2", "+task-3", "-task-1 -task-2", "-task-3", "+task-4");
    }
  }

  @Test
  void longPollMayOutlastTheNormalTimeout() {
    on("WaitForUpdatesEx", "200", updateSet("1", "group-v10"));
    on("WaitForUpdatesEx", "200", response("WaitForUpdatesEx", ""));
    try (SoapVsphereClient c = client(Duration.ofSeconds(1));
        ChangeFeed feed = c.changeFeed(ROOT)) {
      assertThat(feed.next(Duration.ofSeconds(2)).resync()).isTrue();
      waitDelayMillis = 1500; // past the 1 s call timeout, within maxWait + margin
      assertThat(feed.next(Duration.ofSeconds(2))).isEqualTo(ChangeBatch.empty());
    }
  }
}
