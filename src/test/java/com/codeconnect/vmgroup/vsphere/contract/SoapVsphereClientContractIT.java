package com.codeconnect.vmgroup.vsphere.contract;

import com.codeconnect.vmgroup.demo.GuestEdit;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.vsphere.Credentials;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.soap.SoapVsphereClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The contract against the SOAP client on govmomi's simulator, started through the launcher as the
 * other ITs start it. One simulator serves all tests (each keeps to its own folder); the one with
 * clone quirks is started only when a test asks for it.
 */
class SoapVsphereClientContractIT extends VsphereClientContract {
  private static Vcsim vcsim;
  private static Vcsim quirky;

  /** The simulator's own log tells a panic on its side from a client fault. */
  @RegisterExtension
  final TestWatcher simulatorLog =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          System.out.println("simulator log at the failure:\n" + vcsim.output());
        }
      };

  @BeforeAll
  static void startSimulator() {
    vcsim = simulator(false);
  }

  @AfterAll
  static void stopSimulators() {
    vcsim.close();
    if (quirky != null) {
      quirky.close();
    }
  }

  private static Vcsim simulator(boolean cloneQuirks) {
    return Vcsim.builder()
        .standaloneHosts(1)
        .snapshotTemplates(VsphereClientContract.TEMPLATE)
        .cloneQuirks(cloneQuirks)
        .start();
  }

  @Override
  protected Subject open(boolean cloneQuirks) {
    Vcsim sim;
    if (cloneQuirks) {
      if (quirky == null) {
        quirky = simulator(true);
      }
      sim = quirky;
    } else {
      sim = vcsim;
    }
    SoapVsphereClient client =
        SoapVsphereClient.builder(sim.url())
            .credentials(new Credentials("administrator@vsphere.local", "contract-password"))
            // no background calls during a test
            .keepAlive(Duration.ZERO)
            .build();
    return new Subject() {
      @Override
      public VsphereClient client() {
        return client;
      }

      @Override
      public void destroyVmOutOfBand(MoRef vm) {
        sim.destroyVm(vm.value());
      }

      @Override
      public void failClones(String regex) {
        if (regex == null) {
          sim.clearFailures();
        } else {
          sim.failClones(regex);
        }
      }

      @Override
      public void editGuest(MoRef vm, GuestEdit edit) {
        sim.setGuest(vm.value(), edit);
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }
}
