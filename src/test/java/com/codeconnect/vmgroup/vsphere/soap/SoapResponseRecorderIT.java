package com.codeconnect.vmgroup.vsphere.soap;

import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.CloneRequest;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the simulator's answers to every call the client makes, as the seeds of {@link
 * SoapResponseFuzzTest}. Run by hand when the client starts using a new method: {@code mvn -o
 * verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SoapResponseRecorderIT
 * -Drecord.responses=true}; the files land in {@code src/test/resources/responses}.
 */
@EnabledIfSystemProperty(named = "record.responses", matches = "true")
class SoapResponseRecorderIT {
  static final Path OUT = Path.of("src/test/resources/responses");
  private static final Pattern METHOD = Pattern.compile("<soapenv:Body><([A-Za-z_]+)");
  private static final int KEEP_PER_METHOD = 10;
  private static final int MAX_BYTES = 64 * 1024;

  @Test
  void record() throws Exception {
    Files.createDirectories(OUT);
    Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    HttpClient http = HttpClient.newHttpClient();
    try (Vcsim sim = Vcsim.builder().vms(2).start()) {
      HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      proxy.createContext(
          "/sdk",
          ex -> {
            byte[] request = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder rb =
                HttpRequest.newBuilder(sim.url())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                    .header("Content-Type", "text/xml; charset=utf-8")
                    .header(
                        "SOAPAction",
                        String.valueOf(ex.getRequestHeaders().getFirst("SOAPAction")));
            String cookie = ex.getRequestHeaders().getFirst("Cookie");
            if (cookie != null) {
              rb.header("Cookie", cookie);
            }
            HttpResponse<byte[]> r;
            try {
              r = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException | IOException e) {
              System.err.println("RECORDER forward failed: " + e);
              throw new IOException(e);
            }
            Matcher m = METHOD.matcher(new String(request, StandardCharsets.UTF_8));
            String method = m.find() ? m.group(1) : "Unknown";
            String kind = r.statusCode() == 200 ? method : method + "-fault";
            int n = counts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            if (n <= KEEP_PER_METHOD && r.body().length <= MAX_BYTES) {
              Files.write(OUT.resolve(kind + "-" + n + ".xml"), r.body());
            }
            r.headers()
                .allValues("Set-Cookie")
                .forEach(c -> ex.getResponseHeaders().add("Set-Cookie", c));
            ex.sendResponseHeaders(r.statusCode(), r.body().length);
            try (OutputStream o = ex.getResponseBody()) {
              o.write(r.body());
            }
          });
      proxy.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
      proxy.start();
      URI url = URI.create("http://127.0.0.1:" + proxy.getAddress().getPort() + "/sdk");
      try (SoapVsphereClient c =
          SoapVsphereClient.builder(url)
              .credentials(new Credentials("administrator@vsphere.local", "rec-password"))
              .build()) {
        drive(c);
      } finally {
        proxy.stop(0);
      }
    }
  }

  private static void drive(SoapVsphereClient c) throws InterruptedException {
    c.about();
    NamedRef dcRef = c.datacenters().get(0);
    DatacenterInfo dc = c.datacenter(dcRef.ref());
    NamedRef pool = c.resourcePools(dcRef.ref()).get(0);
    c.findByInventoryPath("/DC0/vm/nothing-here");
    MoRef template = c.findVmsByName(dc.vmFolder(), "vm-operator-template").get(0).ref();
    c.childFolders(dc.vmFolder());
    MoRef folder = c.createFolder(dc.vmFolder(), "recorded");
    quietly(() -> c.createFolder(dc.vmFolder(), "recorded")); // DuplicateName
    c.findByInventoryPath("/DC0/vm/recorded");
    try (ChangeFeed feed = c.changeFeed(dc.vmFolder())) {
      feed.next(Duration.ofSeconds(1));
      TaskRef clone =
          c.cloneVm(
              new CloneRequest(
                  template,
                  folder,
                  pool.ref(),
                  null,
                  "rec-0",
                  1,
                  1024,
                  Map.of("vmgroup.owner.uid", "uid-1")));
      feed.watchTasks(List.of(clone));
      for (int i = 0; i < 5; i++) {
        feed.next(Duration.ofMillis(500));
      }
      await(c, clone);
      VmInfo vm = c.vmsInFolder(folder).get(0);
      await(c, c.reconfigureVm(vm.ref(), 2, 2048));
      await(c, c.powerOnVm(vm.ref()));
      feed.next(Duration.ofMillis(500));
      quietly(() -> await(c, c.powerOnVm(vm.ref()))); // InvalidPowerState
      await(c, c.powerOffVm(vm.ref()));
      await(c, c.destroy(vm.ref()));
      // the simulator sometimes drops this connection after a destroy; the recording is what counts
      quietly(() -> feed.next(Duration.ofMillis(500)));
      quietly(() -> c.powerOnVm(new MoRef("VirtualMachine", "vm-999"))); // ManagedObjectNotFound
      c.tasks(List.of(clone, new TaskRef(new MoRef("Task", "task-999"))));
      feed.unwatchTasks(List.of(clone));
    }
  }

  private static void await(SoapVsphereClient c, TaskRef t) {
    for (int i = 0; i < 100; i++) {
      TaskInfo info = c.tasks(List.of(t)).get(0);
      if (info.state() == TaskInfo.State.SUCCESS || info.state() == TaskInfo.State.ERROR) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException expected) {
      // recorded for its fault
    }
  }
}
