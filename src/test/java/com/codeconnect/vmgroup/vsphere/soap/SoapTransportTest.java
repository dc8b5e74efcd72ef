package com.codeconnect.vmgroup.vsphere.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a local stub server that answers with whatever a test sets. */
class SoapTransportTest {
  private HttpServer server;
  private final AtomicReference<Reply> reply = new AtomicReference<>();
  private final List<String> soapActions = new ArrayList<>();

  record Reply(int status, byte[] body, boolean chunked, long delayMillis) {}

  private URI start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/sdk",
        ex -> {
          ex.getRequestBody().readAllBytes();
          synchronized (soapActions) {
            soapActions.add(ex.getRequestHeaders().getFirst("SOAPAction"));
          }
          Reply r = reply.get();
          try {
            Thread.sleep(r.delayMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.getResponseHeaders().add("Content-Type", "text/xml; charset=utf-8");
          try {
            ex.sendResponseHeaders(r.status(), r.chunked() ? 0 : r.body().length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(r.body());
            }
          } catch (IOException ignored) {
            // the client hung up, as it should for an oversized body
          }
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sdk");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private SoapVsphereClient client(URI url, long maxBytes, Duration timeout) {
    return SoapVsphereClient.builder(url)
        .credentials(new Credentials("u", "secret-pw"))
        .maxResponseBytes(maxBytes)
        .timeout(timeout)
        .build();
  }

  private static byte[] serviceContent(String padding) {
    return SoapResponseParserTest.bytes(
        SoapResponseParserTest.envelope(
            "<RetrieveServiceContentResponse xmlns=\"urn:vim25\"><returnval>"
                + "<rootFolder type=\"Folder\">group-d1</rootFolder>"
                + "<propertyCollector type=\"PropertyCollector\">propertyCollector"
                + "</propertyCollector><viewManager type=\"ViewManager\">ViewManager</viewManager>"
                + "<about><name>VMware vCenter Server</name><fullName>VMware vCenter Server 7.0"
                + "</fullName><version>7.0.3</version><apiVersion>7.0.3.0</apiVersion>"
                + "<instanceUuid>abc</instanceUuid></about>"
                + "<searchIndex type=\"SearchIndex\">SearchIndex</searchIndex>"
                + "<sessionManager type=\"SessionManager\">SessionManager</sessionManager>"
                + padding
                + "</returnval></RetrieveServiceContentResponse>"));
  }

  @Test
  void readsAboutAndSwitchesSoapActionToServerVersion() throws IOException {
    URI url = start();
    reply.set(new Reply(200, serviceContent(""), false, 0));
    try (SoapVsphereClient c = client(url, 1 << 20, Duration.ofSeconds(5))) {
      assertThat(c.about().apiVersion()).isEqualTo("7.0.3.0");
      c.about();
      assertThat(soapActions).containsExactly("urn:vim25/6.5", "urn:vim25/7.0.3.0");
      assertThat(c.callCount("RetrieveServiceContent")).isEqualTo(2);
    }
  }

  @Test
  void oversizedResponseWithContentLengthIsRefused() throws IOException {
    URI url = start();
    reply.set(new Reply(200, serviceContent("<x>" + "a".repeat(200_000) + "</x>"), false, 0));
    try (SoapVsphereClient c = client(url, 64 * 1024, Duration.ofSeconds(5))) {
      assertThatThrownBy(c::about)
          .isInstanceOf(VsphereException.Protocol.class)
          .hasMessageContaining("exceeds");
    }
  }

  @Test
  void oversizedChunkedResponseIsRefused() throws IOException {
    URI url = start();
    reply.set(new Reply(200, serviceContent("<x>" + "a".repeat(2_000_000) + "</x>"), true, 0));
    try (SoapVsphereClient c = client(url, 64 * 1024, Duration.ofSeconds(5))) {
      assertThatThrownBy(c::about)
          .isInstanceOf(VsphereException.Protocol.class)
          .hasMessageContaining("exceeds");
    }
  }

  @Test
  void http503IsTransport() throws IOException {
    URI url = start();
    reply.set(new Reply(503, "busy".getBytes(StandardCharsets.UTF_8), false, 0));
    try (SoapVsphereClient c = client(url, 1 << 20, Duration.ofSeconds(5))) {
      assertThatThrownBy(c::about)
          .isInstanceOf(VsphereException.Transport.class)
          .hasMessageContaining("503");
    }
  }

  @Test
  void http500WithoutSoapFaultIsTransport() throws IOException {
    URI url = start();
    reply.set(new Reply(500, "<html>oops</html>".getBytes(StandardCharsets.UTF_8), false, 0));
    try (SoapVsphereClient c = client(url, 1 << 20, Duration.ofSeconds(5))) {
      assertThatThrownBy(c::about)
          .isInstanceOf(VsphereException.Transport.class)
          .hasMessageContaining("500");
    }
  }

  @Test
  void http500WithSoapFaultIsTypedFault() throws IOException {
    URI url = start();
    reply.set(
        new Reply(
            500,
            SoapResponseParserTest.bytes(
                SoapResponseParserTest.envelope(
                    "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>x"
                        + "</faultstring><detail><TaskInProgressFault xmlns=\"urn:vim25\""
                        + " xsi:type=\"TaskInProgress\"/></detail></soapenv:Fault>")),
            false,
            0));
    try (SoapVsphereClient c = client(url, 1 << 20, Duration.ofSeconds(5))) {
      assertThatThrownBy(c::about).isInstanceOf(VsphereException.TaskInProgress.class);
    }
  }

  @Test
  void slowServerTimesOut() throws IOException {
    URI url = start();
    reply.set(new Reply(200, serviceContent(""), false, 3000));
    try (SoapVsphereClient c = client(url, 1 << 20, Duration.ofMillis(300))) {
      long t0 = System.nanoTime();
      assertThatThrownBy(c::about).isInstanceOf(VsphereException.Transport.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void listenerHearsEveryCall() throws IOException {
    URI url = start();
    reply.set(new Reply(503, new byte[0], false, 0));
    List<String> heard = new ArrayList<>();
    try (SoapVsphereClient c = client(url, 1 << 20, Duration.ofSeconds(5))) {
      c.setListener((p, m, outcome, latency) -> heard.add(m + "=" + outcome));
      assertThatThrownBy(c::about).isInstanceOf(VsphereException.Transport.class);
      reply.set(new Reply(200, serviceContent(""), false, 0));
      c.about();
    }
    assertThat(heard)
        .containsExactly("RetrieveServiceContent=Transport", "RetrieveServiceContent=ok");
  }
}
