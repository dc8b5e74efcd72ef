package com.codeconnect.vmgroup.vsphere.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.vsphere.CallListener;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.SessionState;
import com.codeconnect.vmgroup.vsphere.TlsChoice;
import com.codeconnect.vmgroup.vsphere.VcenterConnection;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import com.codeconnect.vmgroup.vsphere.soap.SoapClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tags and custom attributes contract against the SOAP client and its REST sibling, made by the
 * one factory as the operator makes them, on govmomi's simulator (which serves {@code /rest} only).
 * Beyond the contract: the REST session itself.
 */
class RestMetadataContractIT extends MetadataContract {
  private static final String USER = "administrator@vsphere.local";
  private static final String PASSWORD = "rest-contract-p4ss";
  private static Vcsim vcsim;
  private static VsphereClient client;
  private static final List<String> heard = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() {
    vcsim =
        Vcsim.builder()
            .credentials(USER, PASSWORD)
            .tagCategory(ENV, "prod", "test")
            .tagCategory(TEAM, "a")
            .start();
    client = connect();
  }

  private static VsphereClient connect() {
    CallListener listener =
        (protocol, method, outcome, latency) -> heard.add(protocol + ":" + method + "=" + outcome);
    return new SoapClients(listener).connect(connection(PASSWORD));
  }

  private static VcenterConnection connection(String password) {
    return new VcenterConnection(
        vcsim.url(),
        () -> new Credentials(USER, password),
        new TlsChoice.SystemTrustStore(),
        Duration.ofSeconds(5),
        Duration.ZERO);
  }

  @AfterAll
  static void stop() {
    client.close();
    vcsim.close();
  }

  @Override
  protected VsphereClient client() {
    return client;
  }

  @Test
  void oneRestSessionServesEveryCallAndIsCountedUnderItsProtocol() {
    client.tagCategories();
    int sessions = vcsim.restSessionCount();
    heard.clear();
    client.tagCategories();
    client.tagCategories();
    assertThat(vcsim.restSessionCount()).isEqualTo(sessions);
    assertThat(heard).isNotEmpty().allMatch(h -> h.startsWith("rest:") && h.endsWith("=ok"));
    assertThat(heard).noneMatch(h -> h.contains("session.create"));
  }

  @Test
  void aLostSessionIsReplacedOnceForEveryCallerThatLostIt() throws Exception {
    client.tagCategories();
    assertThat(vcsim.terminateRestSessions()).isPositive();
    heard.clear();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(
            pool.submit(
                () -> {
                  go.await();
                  return client.tagCategories().size();
                }));
      }
      go.countDown();
      for (Future<Integer> f : calls) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(2);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(heard.stream().filter(h -> h.equals("rest:session.create=ok"))).hasSize(1);
  }

  @Test
  void closingLogsOutOfBothApisAndAWrongPasswordIsRefusedClearly() {
    VsphereClient own = connect();
    own.tagCategories();
    int before = vcsim.restSessionCount();
    own.close();
    assertThat(vcsim.restSessionCount()).isEqualTo(before - 1);

    try (VsphereClient wrong = new SoapClients(null).connect(connection("not-" + PASSWORD))) {
      VsphereException e = null;
      try {
        wrong.tagCategories();
      } catch (VsphereException thrown) {
        e = thrown;
      }
      assertThat(e).isInstanceOf(VsphereException.InvalidLogin.class);
      assertThat(e.getMessage()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void aRestEndpointThatFailsIsTransientAndRecovers() {
    client.tagCategories();
    vcsim.restFault("error", 503);
    try {
      VsphereException e = catchVsphere(() -> client.tagCategories());
      assertThat(e).isInstanceOf(VsphereException.Transport.class);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.getMessage()).contains("503");
      // SOAP is unaffected
      assertThat(client.datacenters()).isNotEmpty();
    } finally {
      vcsim.restFault("none", 503);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> client.tagCategories().size() >= 2);
    assertThat(client.sessionState()).isEqualTo(SessionState.VALID);
  }

  private static VsphereException catchVsphere(Runnable r) {
    try {
      r.run();
    } catch (VsphereException e) {
      return e;
    }
    throw new AssertionError("no VsphereException");
  }
}
