package com.codeconnect.vmgroup.vsphere.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TagCategory;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST client against a scripted HTTP server: which rendering it picks, what it makes of
 * answers a vCenter (or something in front of it) should not send, and what it keeps secret.
 */
class RestClientTest {
  private static final String PASSWORD = "s3cret-pw";
  private static final String TOKEN = "token-1234567890";
  private static final String CATEGORY = "urn:vmomi:InventoryServiceCategory:c1:GLOBAL";

  private record Answer(int status, String body) {}

  private HttpServer server;
  private volatile Function<HttpExchange, Answer> script;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
          Answer a = script.apply(ex);
          byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
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

  private RestClient client(Duration timeout, long maxBytes) {
    return RestClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .credentials(() -> new Credentials("admin", PASSWORD))
        .timeout(timeout)
        .maxResponseBytes(maxBytes)
        .build();
  }

  private RestClient client() {
    return client(Duration.ofSeconds(5), 1 << 20);
  }

  /** A /rest vCenter (6.5-7): /api isn't there, categories answer with {@code body}. */
  private static Function<HttpExchange, Answer> restServer(String categoriesBody) {
    return ex -> {
      String path = ex.getRequestURI().getPath();
      if (path.startsWith("/api/")) {
        return new Answer(404, "");
      }
      if (path.equals("/rest/com/vmware/cis/session")) {
        return new Answer(200, "{\"value\":\"" + TOKEN + "\"}");
      }
      if (path.equals("/rest/com/vmware/cis/tagging/category")) {
        return new Answer(200, categoriesBody);
      }
      return new Answer(404, "");
    };
  }

  @Test
  void picksApiWhereTheServerServesIt() {
    script =
        ex -> {
          String path = ex.getRequestURI().getPath();
          if (path.equals("/api/session")) {
            return new Answer(201, "\"" + TOKEN + "\"");
          }
          if (path.equals("/api/cis/tagging/category")) {
            return new Answer(200, "[]");
          }
          return new Answer(404, "");
        };
    try (RestClient c = client()) {
      assertThat(c.tagCategories()).isEmpty();
      assertThat(c.apiRoot()).isEqualTo("/api");
    }
    assertThat(requests).contains("DELETE /api/session");
  }

  @Test
  void fallsBackToRestAndToleratesFieldsItDoesNotKnow() {
    script =
        ex -> {
          if (ex.getRequestURI().getPath().endsWith("/category/id:" + CATEGORY)) {
            return new Answer(
                200,
                "{\"value\":{\"id\":\""
                    + CATEGORY
                    + "\",\"name\":\"env\",\"cardinality\":\"MULTIPLE\",\"associable_types\":[],"
                    + "\"used_by\":[],\"added_in_8\":{\"x\":1}}}");
          }
          return restServer("{\"value\":[\"" + CATEGORY + "\"]}").apply(ex);
        };
    try (RestClient c = client()) {
      assertThat(c.tagCategories())
          .containsExactly(new TagCategory(CATEGORY, "env", false, List.of()));
      assertThat(c.apiRoot()).isEqualTo("/rest");
    }
  }

  @Test
  void anAnswerOfTheWrongShapeIsAClearError() {
    script = restServer("{\"value\":{\"not\":\"a list\"}}");
    try (RestClient c = client()) {
      assertThatThrownBy(c::tagCategories)
          .isInstanceOf(VsphereException.Protocol.class)
          .hasMessageContaining("category.list")
          .hasMessageContaining("unexpected shape");
    }
  }

  @Test
  void anAnswerThatIsNoJsonIsAClearError() {
    script = restServer("<html>proxy error</html>");
    try (RestClient c = client()) {
      assertThatThrownBy(c::tagCategories)
          .isInstanceOf(VsphereException.Protocol.class)
          .hasMessageContaining("not JSON");
    }
  }

  @Test
  void anAnswerTooLargeIsRefusedWithoutReadingIt() {
    script = restServer("{\"value\":[\"" + "x".repeat(4096) + "\"]}");
    try (RestClient c = client(Duration.ofSeconds(5), 1024)) {
      assertThatThrownBy(c::tagCategories)
          .isInstanceOf(VsphereException.Protocol.class)
          .hasMessageContaining("exceeds 1024 bytes");
    }
  }

  @Test
  void aServerThatHangsTimesOutAsATransientFault() {
    script =
        ex -> {
          if (ex.getRequestURI().getPath().endsWith("/category")) {
            try {
              Thread.sleep(2000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return restServer("{\"value\":[]}").apply(ex);
        };
    try (RestClient c = client(Duration.ofMillis(300), 1 << 20)) {
      long start = System.nanoTime();
      assertThatThrownBy(c::tagCategories)
          .isInstanceOf(VsphereException.Transport.class)
          .satisfies(e -> assertThat(((VsphereException) e).isTransient()).isTrue());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void errorsAreClassifiedLikeSoapFaultsAndCarryNoSecret() {
    AtomicInteger status = new AtomicInteger();
    script =
        ex -> {
          String query = ex.getRequestURI().getQuery();
          if (query != null && query.contains("list-tags-for-category")) {
            int s = status.get();
            return new Answer(
                s,
                "{\"type\":\"com.vmware.vapi.std.errors."
                    + (s == 404 ? "not_found" : s == 403 ? "unauthorized" : "service_unavailable")
                    + "\",\"value\":{\"messages\":[{\"default_message\":\"says "
                    + PASSWORD
                    + " and "
                    + TOKEN
                    + "\"}]}}");
          }
          return restServer("{\"value\":[]}").apply(ex);
        };
    TagCategory cat = new TagCategory(CATEGORY, "env", false, List.of());
    try (RestClient c = client()) {
      status.set(404);
      assertThatThrownBy(() -> c.tags(cat))
          .isInstanceOf(VsphereException.ManagedObjectNotFound.class);
      status.set(503);
      assertThatThrownBy(() -> c.tags(cat))
          .isInstanceOf(VsphereException.Transport.class)
          .satisfies(e -> assertThat(((VsphereException) e).isTransient()).isTrue());
      status.set(403);
      assertThatThrownBy(() -> c.tags(cat))
          .satisfies(
              e -> {
                VsphereException v = (VsphereException) e;
                assertThat(v.faultType()).isEqualTo("NoPermission");
                assertThat(v.isTransient()).isFalse();
                assertThat(v.getMessage()).doesNotContain(PASSWORD).doesNotContain(TOKEN);
              });
    }
  }

  @Test
  void aBatchThatFailsNamesWhatFailed() {
    script =
        ex -> {
          if (ex.getRequestURI().getQuery() != null
              && ex.getRequestURI().getQuery().contains("attach-multiple-tags-to-object")) {
            return new Answer(
                200,
                "{\"value\":{\"success\":false,\"error_messages\":[{\"type\":"
                    + "\"cis.tagging.objectNotFound.error\",\"message\":\"Tagging object t9 not"
                    + " found\"}]}}");
          }
          return restServer("{\"value\":[]}").apply(ex);
        };
    try (RestClient c = client()) {
      assertThatThrownBy(() -> c.attachTags(List.of("t9"), new MoRef("VirtualMachine", "vm-1")))
          .isInstanceOf(VsphereException.class)
          .hasMessageContaining("tag.attach")
          .hasMessageContaining("t9 not found");
    }
  }

  @Test
  void aRefusedLoginIsNotRetriedAtOnce() {
    AtomicInteger logins = new AtomicInteger();
    script =
        ex -> {
          String path = ex.getRequestURI().getPath();
          if (path.endsWith("/session")) {
            logins.incrementAndGet();
            return new Answer(path.startsWith("/api") ? 404 : 401, "");
          }
          return new Answer(404, "");
        };
    try (RestClient c = client()) {
      assertThatThrownBy(c::tagCategories)
          .isInstanceOf(VsphereException.InvalidLogin.class)
          .hasMessageNotContaining(PASSWORD);
      int after = logins.get();
      assertThatThrownBy(c::tagCategories).isInstanceOf(VsphereException.InvalidLogin.class);
      assertThat(logins.get()).isEqualTo(after);
    }
  }
}
