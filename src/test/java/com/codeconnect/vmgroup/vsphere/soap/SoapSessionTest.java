package com.codeconnect.vmgroup.vsphere.soap;

import static com.codeconnect.vmgroup.vsphere.soap.SoapResponseParserTest.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.SessionState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Session handling and paging against a scripted stub: behaviour the simulator can't show (it never
 * pages, and always accepts a login).
 */
class SoapSessionTest {
  private static final String PASSWORD = "stub-Pa55word";
  private static final Pattern METHOD =
      Pattern.compile("<soapenv:Body><([A-Za-z_]+) xmlns=\"urn:vim25\">");

  private HttpServer server;
  private URI url;
  private final Map<String, Deque<String[]>> script = new HashMap<>();
  private final List<String> seen = new ArrayList<>();
  private volatile long loginDelayMillis;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext(
        "/sdk",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Matcher m = METHOD.matcher(body);
          String method = m.find() ? m.group(1) : "?";
          String cookie = ex.getRequestHeaders().getFirst("Cookie");
          String[] reply;
          synchronized (seen) {
            seen.add(method + (cookie == null ? "" : " " + cookie));
            Deque<String[]> q = script.get(method);
            reply = q == null || q.isEmpty() ? null : q.size() == 1 ? q.peek() : q.poll();
          }
          if (method.equals("Login") && loginDelayMillis > 0) {
            try {
              Thread.sleep(loginDelayMillis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          if (reply == null) {
            reply = new String[] {"500", fault("NotImplemented", "no script for " + method)};
          }
          byte[] out = reply[1].getBytes(StandardCharsets.UTF_8);
          if (method.equals("Login") && reply[0].equals("200")) {
            ex.getResponseHeaders()
                .add("Set-Cookie", "vmware_soap_session=\"" + reply[2] + "\"; Path=/; HttpOnly");
          }
          ex.sendResponseHeaders(Integer.parseInt(reply[0]), out.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(out);
          }
        });
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sdk");
    on("RetrieveServiceContent", "200", serviceContent());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void on(String method, String... reply) {
    script.computeIfAbsent(method, k -> new ArrayDeque<>()).add(reply);
  }

  private SoapVsphereClient client() {
    return SoapVsphereClient.builder(url).credentials(new Credentials("me", PASSWORD)).build();
  }

  private static String fault(String type, String message) {
    return envelope(
        "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>"
            + message
            + "</faultstring><detail><"
            + type
            + "Fault xmlns=\"urn:vim25\" xsi:type=\""
            + type
            + "\"/></detail></soapenv:Fault>");
  }

  private static String serviceContent() {
    return envelope(
        "<RetrieveServiceContentResponse xmlns=\"urn:vim25\"><returnval>"
            + "<rootFolder type=\"Folder\">group-d1</rootFolder>"
            + "<propertyCollector type=\"PropertyCollector\">propertyCollector"
            + "</propertyCollector><viewManager type=\"ViewManager\">ViewManager</viewManager>"
            + "<about><apiVersion>6.7.3</apiVersion></about>"
            + "<searchIndex type=\"SearchIndex\">SearchIndex</searchIndex>"
            + "<sessionManager type=\"SessionManager\">SessionManager</sessionManager>"
            + "</returnval></RetrieveServiceContentResponse>");
  }

  private static String login(String key) {
    return envelope(
        "<LoginResponse xmlns=\"urn:vim25\"><returnval><key>"
            + key
            + "</key><userName>me</userName></returnval></LoginResponse>");
  }

  private static String vm(String id, String name, String state, String extraKey) {
    return "<objects><obj type=\"VirtualMachine\">"
        + id
        + "</obj>"
        + prop("name", "xsd:string", name)
        + "<propSet><name>parent</name><val type=\"Folder\" xsi:type=\"ManagedObjectReference\">"
        + "group-v3</val></propSet>"
        + prop("runtime.powerState", "VirtualMachinePowerState", state)
        + prop("config.hardware.numCPU", "xsd:int", "4")
        + prop("config.hardware.memoryMB", "xsd:int", "8192")
        + prop("config.template", "xsd:boolean", "false")
        + prop("config.instanceUuid", "xsd:string", "uuid-" + id)
        + prop("guest.ipAddress", "xsd:string", "10.0.0.1")
        + "<propSet><name>config.extraConfig</name><val xsi:type=\"ArrayOfOptionValue\">"
        + "<OptionValue xsi:type=\"OptionValue\"><key>"
        + extraKey
        + "</key><value xsi:type=\"xsd:string\">v&amp;1</value></OptionValue>"
        + "<OptionValue xsi:type=\"OptionValue\"><key>svga.present</key>"
        + "<value xsi:type=\"xsd:string\">TRUE</value></OptionValue></val></propSet>"
        + "</objects>";
  }

  static String prop(String name, String type, String value) {
    return "<propSet><name>"
        + name
        + "</name><val xsi:type=\""
        + type
        + "\">"
        + value
        + "</val></propSet>";
  }

  /** A ContainerView session[1]view-1 for every CreateContainerView, and DestroyView accepted. */
  private void scriptContainerView() {
    on(
        "CreateContainerView",
        "200",
        envelope(
            "<CreateContainerViewResponse xmlns=\"urn:vim25\"><returnval"
                + " type=\"ContainerView\">session[1]view-1</returnval>"
                + "</CreateContainerViewResponse>"));
    on("DestroyView", "200", envelope("<DestroyViewResponse xmlns=\"urn:vim25\"/>"));
  }

  @Test
  void aContainerViewGoneWithItsSessionMeansLoggingInAgainAndReadingAnew() {
    // Some servers answer a read of a dead session without a session, and then miss the view
    // the read goes through: that is a lost session, not a missing object.
    on("Login", "200", login("key-1"), "cookie-1");
    on("Login", "200", login("key-2"), "cookie-2");
    scriptContainerView();
    on(
        "RetrievePropertiesEx",
        "500",
        envelope(
            "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>gone"
                + "</faultstring><detail><ManagedObjectNotFoundFault xmlns=\"urn:vim25\""
                + " xsi:type=\"ManagedObjectNotFound\"><obj type=\"ContainerView\">"
                + "session[1]view-1</obj></ManagedObjectNotFoundFault></detail></soapenv:Fault>"));
    on(
        "RetrievePropertiesEx",
        "200",
        envelope(
            "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"></RetrievePropertiesExResponse>"));
    try (SoapVsphereClient c = client()) {
      assertThat(c.findVmsByName(new MoRef("Folder", "group-d1"), "web-0")).isEmpty();
    }
    assertThat(seen.stream().filter(m -> m.startsWith("Login")).count()).isEqualTo(2);
    assertThat(seen.stream().filter(m -> m.startsWith("CreateContainerView")).toList())
        .hasSize(2)
        .last()
        .asString()
        .contains("cookie-2");
  }

  @Test
  void aMissingObjectThatIsNotTheViewIsReportedAsSuch() {
    on("Login", "200", login("key-1"), "cookie-1");
    scriptContainerView();
    on(
        "RetrievePropertiesEx",
        "500",
        envelope(
            "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>gone"
                + "</faultstring><detail><ManagedObjectNotFoundFault xmlns=\"urn:vim25\""
                + " xsi:type=\"ManagedObjectNotFound\"><obj type=\"Folder\">group-d1</obj>"
                + "</ManagedObjectNotFoundFault></detail></soapenv:Fault>"));
    try (SoapVsphereClient c = client()) {
      assertThat(catchThrowable(() -> c.findVmsByName(new MoRef("Folder", "group-d1"), "web-0")))
          .isInstanceOf(VsphereException.ManagedObjectNotFound.class);
    }
    assertThat(seen.stream().filter(m -> m.startsWith("Login")).count()).isEqualTo(1);
  }

  @Test
  void logsInLazilySendsCookieAndFollowsPagingTokens() {
    on("Login", "200", login("key-1"), "cookie-1");
    on(
        "RetrievePropertiesEx",
        "200",
        envelope(
            "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><token>t1</token>"
                + vm("vm-1", "a%2fb", "poweredOn", "vmgroup.owner")
                + "</returnval></RetrievePropertiesExResponse>"));
    on(
        "ContinueRetrievePropertiesEx",
        "200",
        envelope(
            "<ContinueRetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval>"
                + vm("vm-2", "c", "suspended", "other")
                + "</returnval></ContinueRetrievePropertiesExResponse>"));
    try (SoapVsphereClient c = client()) {
      List<VmInfo> vms = c.vmsInFolder(new MoRef("Folder", "group-v3"));
      assertThat(vms).extracting(VmInfo::name).containsExactly("a/b", "c");
      VmInfo first = vms.get(0);
      assertThat(first.powerState()).isEqualTo(PowerState.POWERED_ON);
      assertThat(first.cpu()).isEqualTo(4);
      assertThat(first.memoryMiB()).isEqualTo(8192);
      assertThat(first.parent()).isEqualTo(new MoRef("Folder", "group-v3"));
      assertThat(first.ipAddress()).isEqualTo("10.0.0.1");
      assertThat(first.instanceUuid()).isEqualTo("uuid-vm-1");
      assertThat(first.extraConfig()).isEqualTo(Map.of("vmgroup.owner", "v&1"));
      assertThat(vms.get(1).extraConfig()).isEmpty();
      assertThat(vms.get(1).powerState()).isEqualTo(PowerState.SUSPENDED);
    }
    assertThat(seen)
        .containsExactly(
            "RetrieveServiceContent",
            "Login",
            "RetrievePropertiesEx vmware_soap_session=\"cookie-1\"",
            "ContinueRetrievePropertiesEx vmware_soap_session=\"cookie-1\"",
            "Logout vmware_soap_session=\"cookie-1\"");
  }

  @Test
  void notAuthenticatedLogsInOnceAndRetriesWithTheNewCookie() {
    on("Login", "200", login("key-1"), "cookie-1");
    on("Login", "200", login("key-2"), "cookie-2");
    on("CreateFolder", "500", fault("NotAuthenticated", "session gone"));
    on(
        "CreateFolder",
        "200",
        envelope(
            "<CreateFolderResponse xmlns=\"urn:vim25\"><returnval type=\"Folder\">group-v9"
                + "</returnval></CreateFolderResponse>"));
    try (SoapVsphereClient c = client()) {
      assertThat(c.createFolder(new MoRef("Folder", "group-v3"), "x"))
          .isEqualTo(new MoRef("Folder", "group-v9"));
      assertThat(c.callCount("Login")).isEqualTo(2);
    }
    assertThat(seen)
        .containsSubsequence(
            "CreateFolder vmware_soap_session=\"cookie-1\"",
            "Login",
            "CreateFolder vmware_soap_session=\"cookie-2\"");
  }

  @Test
  void secondNotAuthenticatedIsNotRetriedAgain() {
    on("Login", "200", login("key-1"), "cookie-1");
    on("CreateFolder", "500", fault("NotAuthenticated", "session gone"));
    try (SoapVsphereClient c = client()) {
      Throwable t = catchThrowable(() -> c.createFolder(new MoRef("Folder", "group-v3"), "x"));
      assertThat(t).isInstanceOf(VsphereException.NotAuthenticated.class);
      assertThat(c.callCount("Login")).isEqualTo(2);
      assertThat(c.callCount("CreateFolder")).isEqualTo(2);
    }
  }

  @Test
  void loginFaultNeverCarriesThePassword() {
    on("Login", "500", fault("InvalidLogin", "bad password " + PASSWORD + " for me"));
    try (SoapVsphereClient c = client()) {
      Throwable t = catchThrowable(c::datacenters);
      assertThat(t).isInstanceOf(VsphereException.InvalidLogin.class);
      assertThat(t.getMessage()).doesNotContain(PASSWORD).contains("***");
      assertThat(String.valueOf(t)).doesNotContain(PASSWORD);
    }
  }

  @Test
  void concurrentCallersShareOneFailedLogin() throws Exception {
    loginDelayMillis = 300;
    on("Login", "500", fault("InvalidLogin", "Cannot complete login"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    java.util.concurrent.atomic.AtomicReference<Credentials> creds =
        new java.util.concurrent.atomic.AtomicReference<>(new Credentials("me", PASSWORD));
    try (SoapVsphereClient c = SoapVsphereClient.builder(url).credentials(creds::get).build()) {
      c.about();
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Throwable>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return catchThrowable(() -> c.childFolders(new MoRef("Folder", "group-v3")));
                }));
      }
      go.countDown();
      for (Future<Throwable> f : results) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(VsphereException.InvalidLogin.class);
      }
      assertThat(c.callCount("Login")).isEqualTo(1);
      // a later call with the same rejected credentials doesn't even try (backoff) ...
      assertThat(catchThrowable(() -> c.childFolders(new MoRef("Folder", "group-v3"))))
          .isInstanceOf(VsphereException.InvalidLogin.class)
          .hasMessageContaining("not trying them again")
          .hasMessageNotContaining(PASSWORD);
      assertThat(c.callCount("Login")).isEqualTo(1);
      // ... but rotated credentials are tried at once
      creds.set(new Credentials("me", PASSWORD + "-rotated"));
      assertThat(catchThrowable(() -> c.childFolders(new MoRef("Folder", "group-v3"))))
          .isInstanceOf(VsphereException.InvalidLogin.class);
      assertThat(c.callCount("Login")).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sessionStateFollowsLoginsRejectionsAndLogout() {
    on("Login", "200", login("key-1"), "cookie-1");
    on("Login", "500", fault("InvalidLogin", "Cannot complete login"));
    on("Login", "200", login("key-3"), "cookie-3");
    on("CreateFolder", "500", fault("NotAuthenticated", "session gone"));
    String empty = envelope("<RetrievePropertiesExResponse xmlns=\"urn:vim25\"/>");
    on("RetrievePropertiesEx", "200", empty);
    // the lost session is refused (as vCenter does), then the new one works
    on("RetrievePropertiesEx", "500", fault("NotAuthenticated", "session gone"));
    on("RetrievePropertiesEx", "200", empty);
    java.util.concurrent.atomic.AtomicReference<Credentials> creds =
        new java.util.concurrent.atomic.AtomicReference<>(new Credentials("me", PASSWORD));
    SoapVsphereClient c = SoapVsphereClient.builder(url).credentials(creds::get).build();
    try {
      assertThat(c.sessionState()).as("before any call").isEqualTo(SessionState.NONE);
      c.about();
      assertThat(c.sessionState()).as("about needs no session").isEqualTo(SessionState.NONE);
      c.vmsInFolder(new MoRef("Folder", "group-v3"));
      assertThat(c.sessionState()).isEqualTo(SessionState.VALID);
      // vCenter drops the session and refuses the password at the re-login
      assertThat(catchThrowable(() -> c.createFolder(new MoRef("Folder", "group-v3"), "x")))
          .isInstanceOf(VsphereException.InvalidLogin.class);
      assertThat(c.sessionState()).isEqualTo(SessionState.REJECTED);
      // a rotated password is tried at once and works
      creds.set(new Credentials("me", PASSWORD + "-rotated"));
      c.vmsInFolder(new MoRef("Folder", "group-v3"));
      assertThat(c.sessionState()).isEqualTo(SessionState.VALID);
    } finally {
      c.close();
    }
    assertThat(c.sessionState()).as("after logout").isEqualTo(SessionState.NONE);
  }

  @Test
  void aLoginThatCannotReachVcenterIsLoginFailedNotRejected() {
    on("Login", "503", "unavailable");
    try (SoapVsphereClient c = client()) {
      assertThat(catchThrowable(c::datacenters)).isInstanceOf(VsphereException.class);
      assertThat(c.sessionState()).isEqualTo(SessionState.LOGIN_FAILED);
    }
  }
}
