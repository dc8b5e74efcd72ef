package com.codeconnect.vmgroup.vsphere.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.vsphere.CallListener;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.LibraryDeploy;
import com.codeconnect.vmgroup.vsphere.LibraryLookup.Outcome;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.TlsChoice;
import com.codeconnect.vmgroup.vsphere.VcenterConnection;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.soap.SoapClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The content library contract against the SOAP client and its REST sibling, made by the one
 * factory as the operator makes them, on govmomi's simulator behind the launcher (which adds
 * content versions and turns a VM template deploy's result into a VM).
 */
class RestLibraryContractIT extends LibraryContract {
  private static final String USER = "administrator@vsphere.local";
  private static final String PASSWORD = "library-contract-p4ss";
  private static Vcsim vcsim;
  private static VsphereClient client;
  private static final List<String> heard = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() {
    vcsim = Vcsim.builder().credentials(USER, PASSWORD).contentLibrary(LIBRARY).start();
    CallListener listener =
        (protocol, method, outcome, latency) -> heard.add(protocol + ":" + method + "=" + outcome);
    client =
        new SoapClients(listener)
            .connect(
                new VcenterConnection(
                    vcsim.url(),
                    () -> new Credentials(USER, PASSWORD),
                    new TlsChoice.SystemTrustStore(),
                    Duration.ofSeconds(5),
                    Duration.ZERO));
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

  @Override
  protected String publish(String item) {
    return vcsim.publishLibraryItem(item);
  }

  @Test
  void lookupsAndDeploysAreRestCallsCountedUnderTheirOperation() {
    heard.clear();
    var found = client.findLibraryItem(LIBRARY, VMTX);
    assertThat(found.outcome()).isEqualTo(Outcome.FOUND);
    MoRef folder = client.datacenter(client.datacenters().get(0).ref()).vmFolder();
    MoRef pool = client.resourcePools(client.datacenters().get(0).ref()).get(0).ref();
    long start = System.nanoTime();
    TaskRef task =
        client.deployLibraryItem(LibraryDeploy.of(found.item(), "lib-counted", folder, pool));
    assertThat((System.nanoTime() - start) / 1_000_000)
        .as("the deploy runs on the client's own thread")
        .isLessThan(1_000);
    TaskInfo end = awaitEnd(task);
    assertThat(end.state()).isEqualTo(TaskInfo.State.SUCCESS);
    assertThat(heard).contains("rest:library.find=ok", "rest:item.find=ok", "rest:vmtx.deploy=ok");
    client.destroy(end.result());
  }
}
