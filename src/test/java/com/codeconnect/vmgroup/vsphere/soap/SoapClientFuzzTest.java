package com.codeconnect.vmgroup.vsphere.soap;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.ChangeBatch;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario 11, through the whole client: a fake vCenter answers every call the way the
 * simulator did (recorded responses), except one method, which gets a mutated or hand-made hostile
 * answer, and the client's public operation that reads it must return a value or throw a {@link
 * VsphereException}, in time, with no session cookie, password or unbounded text in any message,
 * thrown or returned (task errors). Seeds are fixed; a failure names its case.
 */
class SoapClientFuzzTest {
  static final long SEED = 7_011L;
  static final int CASES = Integer.getInteger("fuzz.cases", 1000);
  private static final Pattern METHOD = Pattern.compile("<soapenv:Body><([A-Za-z_]+)");
  private static final MoRef FOLDER = new MoRef("Folder", "folder-3");
  private static final MoRef VM = new MoRef("VirtualMachine", "vm-1");

  private static TinyHttpServer server;
  private static URI url;
  private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor();
  private static SoapVsphereClient client;

  /** Methods that get a hostile answer, and the answer. */
  private static final Map<String, Reply> HOSTILE = new java.util.concurrent.ConcurrentHashMap<>();

  /** How a reply is sent: status, body, and whether to drip or stream it without end. */
  record Reply(int status, byte[] body, boolean endless, long dripMillis) {
    static Reply of(byte[] body) {
      return new Reply(200, body, false, 0);
    }
  }

  @BeforeAll
  static void start() throws IOException {
    server = new TinyHttpServer(SoapClientFuzzTest::handle);
    url = URI.create("http://127.0.0.1:" + server.port() + "/sdk");
    client = newClient();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
    RUNNER.shutdownNow();
  }

  private static SoapVsphereClient newClient() {
    return SoapVsphereClient.builder(url)
        .credentials(new Credentials("fuzz", HostileXml.PASSWORD))
        .timeout(Duration.ofSeconds(2))
        .maxResponseBytes(4 << 20)
        .keepAlive(Duration.ZERO)
        .build();
  }

  private static TinyHttpServer.Response handle(String request) {
    Matcher m = METHOD.matcher(request);
    String method = m.find() ? m.group(1) : "?";
    Reply reply = HOSTILE.getOrDefault(method, recordedReply(method));
    String[] headers =
        method.equals("Login")
            ? new String[] {
              "Set-Cookie: vmware_soap_session=\"" + HostileXml.COOKIE + "\"; Path=/; HttpOnly"
            }
            : new String[0];
    TinyHttpServer.Mode mode =
        reply.endless()
            ? TinyHttpServer.Mode.ENDLESS
            : reply.dripMillis() > 0 ? TinyHttpServer.Mode.DRIP : TinyHttpServer.Mode.WHOLE;
    return new TinyHttpServer.Response(
        reply.status(), headers, reply.body(), mode, reply.dripMillis());
  }

  /** What the simulator answered to a method, or an empty success. */
  private static Reply recordedReply(String method) {
    String file =
        switch (method) {
          case "RetrievePropertiesEx" -> "RetrievePropertiesEx-6.xml";
          case "WaitForUpdatesEx" -> "WaitForUpdatesEx-4.xml";
          default -> method + "-1.xml";
        };
    if (!HostileXml.RECORDED.resolve(file).toFile().exists()) {
      file = "DestroyView-1.xml";
    }
    return Reply.of(HostileXml.recorded(file).getBytes(StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------ operations

  /** The client operations that read a method's response, each returning what it returned. */
  private static List<Function<SoapVsphereClient, Object>> operations(String method) {
    return switch (method) {
      case "RetrievePropertiesEx" ->
          List.of(
              c -> c.vmsInFolder(FOLDER),
              c -> c.tasks(List.of(new TaskRef(new MoRef("Task", "task-1")))),
              c -> c.datacenters(),
              c -> c.datacenter(new MoRef("Datacenter", "datacenter-2")),
              c -> c.childFolders(FOLDER),
              c -> c.findVmsByName(FOLDER, "vm-operator-template"),
              c -> c.resourcePools(new MoRef("Datacenter", "datacenter-2")));
      case "RetrieveServiceContent" -> List.of(c -> c.about());
      case "FindByInventoryPath" -> List.of(c -> c.findByInventoryPath("/DC0/vm/x"));
      case "CreateFolder" -> List.of(c -> c.createFolder(FOLDER, "f"));
      case "CloneVM_Task" ->
          List.of(
              c ->
                  c.cloneVm(
                      new CloneRequest(
                          VM, FOLDER, new MoRef("ResourcePool", "p"), null, "n", 1, 1024, null)));
      case "ReconfigVM_Task" -> List.of(c -> c.reconfigureVm(VM, 1, 1024));
      case "PowerOnVM_Task" -> List.of(c -> c.powerOnVm(VM));
      case "PowerOffVM_Task" -> List.of(c -> c.powerOffVm(VM));
      case "Destroy_Task" -> List.of(c -> c.destroy(VM));
      case "CreateContainerView", "DestroyView" -> List.of(c -> c.findVmsByName(FOLDER, "x"));
      case "WaitForUpdatesEx",
          "CreatePropertyCollector",
          "CreateFilter",
          "CreateListView",
          "ModifyListView" ->
          List.of(SoapClientFuzzTest::feedOnce);
      default -> List.of();
    };
  }

  /** One batch of a fresh change feed watching one task: the feed's whole read path. */
  private static Object feedOnce(SoapVsphereClient c) {
    try (ChangeFeed feed = c.changeFeed(FOLDER)) {
      feed.watchTasks(List.of(new TaskRef(new MoRef("Task", "task-1"))));
      return feed.next(Duration.ZERO);
    }
  }

  // ------------------------------------------------------------------ cases

  @Test
  void mutatedResponsesThroughTheClientGiveAValueOrACleanTypedError() throws Exception {
    List<String> files =
        HostileXml.recordedFiles().stream().filter(f -> !operations(method(f)).isEmpty()).toList();
    List<String> failures = new ArrayList<>();
    int errors = 0;
    long slowest = 0;
    String slowestCase = null;
    long start = System.nanoTime();
    for (int i = 0; i < CASES; i++) {
      String file = files.get(i % files.size());
      Random rnd = new Random(SEED * 31 + i);
      StringBuilder ops = new StringBuilder();
      byte[] body = HostileXml.mutate(HostileXml.recorded(file), rnd, ops);
      List<Function<SoapVsphereClient, Object>> candidates = operations(method(file));
      Function<SoapVsphereClient, Object> op = candidates.get(rnd.nextInt(candidates.size()));
      int status = file.contains("-fault-") ? 500 : 200;
      long caseStart = System.nanoTime();
      String problem = attack(method(file), new Reply(status, body, false, 0), op);
      long caseMillis = (System.nanoTime() - caseStart) / 1_000_000;
      if (caseMillis > slowest) {
        slowest = caseMillis;
        slowestCase = i + " (" + file + ", ops " + ops + ") " + problem;
      }
      if (problem == null) {
        continue;
      }
      if (problem.equals("error") || problem.equals("returned error")) {
        errors++;
      } else {
        failures.add("case " + i + " (" + file + ", ops " + ops + "): " + problem);
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(failures).isEmpty();
    assertThat(errors).isGreaterThan(CASES / 4);
    System.out.printf(
        "client fuzz: %d cases, %d clean VsphereExceptions, %d ms; slowest %d ms: case %s%n",
        CASES, errors, millis, slowest, slowestCase);
  }

  @Test
  void secretsEchoedByTheServerNeverReachAMessage() throws Exception {
    String echo = "cookie " + HostileXml.COOKIE + " password " + HostileXml.PASSWORD;
    String fault =
        HostileXml.envelope(
            "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>"
                + echo
                + "</faultstring><detail><Fault xmlns=\"urn:vim25\" xsi:type=\"SystemError\"/>"
                + "</detail></soapenv:Fault>");
    String taskError =
        HostileXml.envelope(
            "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><objects>"
                + "<obj type=\"Task\">task-1</obj>"
                + "<propSet><name>info.state</name><val xsi:type=\"TaskInfoState\">error</val>"
                + "</propSet><propSet><name>info.error</name>"
                + "<val xsi:type=\"LocalizedMethodFault\"><fault xsi:type=\"SystemError\"/>"
                + "<localizedMessage>"
                + echo
                + "</localizedMessage></val></propSet></objects></returnval>"
                + "</RetrievePropertiesExResponse>");
    String badNumber =
        HostileXml.recorded("RetrievePropertiesEx-5.xml")
            .replaceFirst(">vm-[0-9]+</obj>", ">" + HostileXml.COOKIE + "</obj>")
            .replaceFirst(
                "(<name>config.hardware.numCPU</name><val[^>]*>)[0-9]+",
                "$1" + HostileXml.PASSWORD);
    String unknownKind =
        HostileXml.recorded("WaitForUpdatesEx-1.xml")
            .replaceFirst("<kind>enter</kind>", "<kind>" + echo + "</kind>");
    List<Object[]> cases =
        List.of(
            new Object[] {"Login", fault, 500, operations("CreateFolder").get(0)},
            new Object[] {"CreateFolder", fault, 500, operations("CreateFolder").get(0)},
            new Object[] {
              "RetrievePropertiesEx", taskError, 200, operations("RetrievePropertiesEx").get(1)
            },
            new Object[] {
              "RetrievePropertiesEx", badNumber, 200, operations("RetrievePropertiesEx").get(0)
            },
            new Object[] {
              "WaitForUpdatesEx", unknownKind, 200, operations("WaitForUpdatesEx").get(0)
            },
            new Object[] {"PowerOnVM_Task", fault, 200, operations("PowerOnVM_Task").get(0)});
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      Function<SoapVsphereClient, Object> op = (Function<SoapVsphereClient, Object>) c[3];
      String method = (String) c[0];
      boolean login = method.equals("Login");
      SoapVsphereClient fresh = login ? newClient() : client;
      String problem =
          attack(
              method,
              new Reply((int) c[2], ((String) c[1]).getBytes(StandardCharsets.UTF_8), false, 0),
              op,
              fresh);
      assertThat(problem).as("%s", c[0]).isIn("error", "returned error");
      if (login) {
        fresh.close();
      }
    }
  }

  @Test
  void countsBeyondIntAreRefusedNotWrapped() throws Exception {
    // 2^32 + 1 CPUs would read as 1 after a cast to int
    String vms =
        HostileXml.recorded("RetrievePropertiesEx-5.xml")
            .replaceFirst("(<name>config.hardware.numCPU</name><val[^>]*>)[0-9]+", "$14294967297");
    HOSTILE.put("RetrievePropertiesEx", Reply.of(vms.getBytes(StandardCharsets.UTF_8)));
    try {
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> client.vmsInFolder(FOLDER)))
          .isInstanceOf(VsphereException.Protocol.class)
          .hasMessageContaining("config.hardware.numCPU")
          .hasMessageContaining("out of range");
    } finally {
      HOSTILE.clear();
    }
    String feed =
        HostileXml.recorded("WaitForUpdatesEx-1.xml")
            .replaceFirst(
                "(<name>config.hardware.numCPU</name><op>assign</op><val[^>]*>)[0-9]+",
                "$14294967297");
    assertThat(feed).contains(">4294967297<");
    assertThat(
            attack(
                "WaitForUpdatesEx",
                Reply.of(feed.getBytes(StandardCharsets.UTF_8)),
                SoapClientFuzzTest::feedOnce))
        .isEqualTo("error");
  }

  @Test
  void transportAttacksEndInTime() throws Exception {
    byte[] start = "<?xml version=\"1.0\"?><soapenv:Envelope".getBytes(StandardCharsets.UTF_8);
    Function<SoapVsphereClient, Object> about = SoapVsphereClient::about;
    // a body that never ends is cut at the size limit
    assertThat(attack("RetrieveServiceContent", new Reply(200, start, true, 0), about))
        .isEqualTo("error");
    // a body that drips one byte every 50 ms outlasts the 2 s call timeout
    assertThat(
            attack(
                "RetrieveServiceContent",
                new Reply(
                    200, HostileXml.recorded("RetrieveServiceContent-1.xml").getBytes(), false, 50),
                about))
        .isEqualTo("error");
    // error statuses with secrets in the body
    for (int status : new int[] {302, 401, 404, 500, 503}) {
      byte[] body = ("<html>" + HostileXml.COOKIE + HostileXml.PASSWORD + "</html>").getBytes();
      assertThat(attack("RetrieveServiceContent", new Reply(status, body, false, 0), about))
          .as("HTTP %d", status)
          .isEqualTo("error");
    }
  }

  @Test
  void aServerThatPagesForeverIsRefused() throws Exception {
    String page =
        HostileXml.recorded("RetrievePropertiesEx-4.xml")
            .replace("</returnval>", "<token>again</token></returnval>");
    String cont =
        page.replace("RetrievePropertiesExResponse", "ContinueRetrievePropertiesExResponse");
    HOSTILE.put("ContinueRetrievePropertiesEx", Reply.of(cont.getBytes(StandardCharsets.UTF_8)));
    try {
      String problem =
          attack(
              "RetrievePropertiesEx",
              Reply.of(page.getBytes(StandardCharsets.UTF_8)),
              operations("RetrievePropertiesEx").get(4),
              client,
              30);
      assertThat(problem).isEqualTo("error");
    } finally {
      HOSTILE.clear();
    }
  }

  // ------------------------------------------------------------------ checking

  private static String method(String file) {
    String base = file.substring(0, file.lastIndexOf('-'));
    return base.endsWith("-fault") ? base.substring(0, base.length() - "-fault".length()) : base;
  }

  private static String attack(String method, Reply reply, Function<SoapVsphereClient, Object> op)
      throws Exception {
    return attack(method, reply, op, client);
  }

  private static String attack(
      String method, Reply reply, Function<SoapVsphereClient, Object> op, SoapVsphereClient c)
      throws Exception {
    return attack(method, reply, op, c, 15);
  }

  /**
   * Serves {@code reply} to {@code method} while {@code op} runs. Null when it returned a clean
   * value, "error" for a clean VsphereException, "returned error" for a clean value carrying one,
   * else what was wrong.
   */
  private static String attack(
      String method,
      Reply reply,
      Function<SoapVsphereClient, Object> op,
      SoapVsphereClient c,
      int seconds)
      throws Exception {
    HOSTILE.put(method, reply);
    Callable<Object> call = () -> op.apply(c);
    Future<Object> f = RUNNER.submit(call);
    try {
      Object value = f.get(seconds, TimeUnit.SECONDS);
      List<VsphereException> carried = carriedErrors(value);
      for (VsphereException e : carried) {
        String dirty = dirty(e);
        if (dirty != null) {
          return "returned " + dirty;
        }
      }
      return carried.isEmpty() ? null : "returned error";
    } catch (TimeoutException e) {
      f.cancel(true);
      return "no answer within " + seconds + " s";
    } catch (ExecutionException e) {
      Throwable t = e.getCause();
      if (!(t instanceof VsphereException ve)) {
        return "threw " + t;
      }
      String dirty = dirty(ve);
      return dirty == null ? "error" : dirty;
    } finally {
      HOSTILE.remove(method);
    }
  }

  /** Errors a successful call hands back as values: task errors, in tasks() and the feed. */
  private static List<VsphereException> carriedErrors(Object value) {
    List<VsphereException> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof TaskInfo t && t.error() != null) {
          out.add(t.error());
        }
      }
    }
    if (value instanceof ChangeBatch b) {
      for (ObjectChange c : b.changes()) {
        if (c.values().get("error") instanceof VsphereException e) {
          out.add(e);
        }
      }
    }
    return out;
  }

  /** What is wrong with the exception's messages, or null. */
  private static String dirty(VsphereException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      for (String s : List.of(HostileXml.COOKIE, HostileXml.PASSWORD)) {
        if (m.contains(s)) {
          return "message quotes a secret: " + m;
        }
      }
      if (m.length() > Redaction.MAX_MESSAGE + 3) {
        return "message of " + m.length() + " characters";
      }
    }
    if (e.faultType() == null
        || e.faultType().contains(HostileXml.COOKIE)
        || e.faultType().length() > Redaction.MAX_FAULT_TYPE) {
      return "fault type " + e.faultType();
    }
    return null;
  }
}
