package com.codeconnect.vmgroup.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.decision.Placement;
import com.codeconnect.vmgroup.testing.TestClock;
import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateResolverTest {
  final TestClock clock = new TestClock("2026-11-26T10:00:00Z");
  final List<VmInfo> templates = new ArrayList<>();
  int lookups;

  /** A client whose only answer is findVmsByName over {@link #templates}. */
  final VsphereClient client =
      (VsphereClient)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {VsphereClient.class},
              (proxy, method, args) -> {
                if (method.getName().equals("findVmsByName")) {
                  lookups++;
                  return templates.stream().filter(vm -> vm.name().equals(args[1])).toList();
                }
                throw new UnsupportedOperationException(method.getName());
              });

  final MoRef vmFolder = new MoRef("Folder", "group-v3");
  final Placement placement =
      new Placement(
          new DatacenterInfo(new MoRef("Datacenter", "dc-1"), "DC0", vmFolder, null),
          null,
          null,
          null,
          null,
          new MoRef("Folder", "vmgroup"),
          "/DC0/vm/vmgroup");

  VmInfo template(String name, String id) {
    return new VmInfo(
        new MoRef("VirtualMachine", id),
        name,
        vmFolder,
        PowerState.POWERED_OFF,
        1,
        32,
        true,
        null,
        null,
        Map.of());
  }

  @Test
  void aFoundTemplateIsRememberedForAWhileThenLookedUpAgain() {
    TemplateResolver resolver = new TemplateResolver(client, clock);
    templates.add(template("ubuntu", "vm-1"));
    for (int i = 0; i < 5; i++) {
      assertThat(resolver.resolve(placement, "ubuntu", false))
          .isEqualTo(new TemplateResolver.Found(new MoRef("VirtualMachine", "vm-1"), null));
    }
    assertThat(lookups).isEqualTo(1);

    // replaced meanwhile: seen once the remembered answer runs out
    templates.set(0, template("ubuntu", "vm-2"));
    clock.advance(TemplateResolver.REMEMBER_FOUND);
    assertThat(resolver.resolve(placement, "ubuntu", false))
        .isEqualTo(new TemplateResolver.Found(new MoRef("VirtualMachine", "vm-2"), null));
    assertThat(lookups).isEqualTo(2);
  }

  @Test
  void forgetMakesTheNextLookupAskVcenter() {
    TemplateResolver resolver = new TemplateResolver(client, clock);
    templates.add(template("ubuntu", "vm-1"));
    resolver.resolve(placement, "ubuntu", false);
    resolver.forget();
    templates.clear();
    assertThat(resolver.resolve(placement, "ubuntu", false))
        .isInstanceOf(TemplateResolver.Missing.class);
    assertThat(lookups).isEqualTo(2);
  }

  @Test
  void aMissingOrAmbiguousTemplateIsNeverRemembered() {
    TemplateResolver resolver = new TemplateResolver(client, clock);
    assertThat(resolver.resolve(placement, "ubuntu", false))
        .isInstanceOf(TemplateResolver.Missing.class);
    templates.add(template("ubuntu", "vm-1"));
    assertThat(resolver.resolve(placement, "ubuntu", false))
        .isInstanceOf(TemplateResolver.Found.class);
    assertThat(lookups).isEqualTo(2);

    resolver.forget();
    templates.add(template("ubuntu", "vm-9"));
    assertThat(resolver.resolve(placement, "ubuntu", false))
        .isInstanceOf(TemplateResolver.Missing.class);
    assertThat(resolver.resolve(placement, "ubuntu", false))
        .isInstanceOf(TemplateResolver.Missing.class);
    assertThat(lookups).isEqualTo(4);
  }

  @Test
  void linkedAndFullClonesOfOneTemplateAreRememberedApart() {
    TemplateResolver resolver = new TemplateResolver(client, clock);
    templates.add(template("ubuntu", "vm-1"));
    resolver.resolve(placement, "ubuntu", false);
    // no snapshot: a linked clone can't use it, and that answer is not taken from the full one's
    assertThat(resolver.resolve(placement, "ubuntu", true))
        .isInstanceOf(TemplateResolver.Missing.class);
    assertThat(Duration.ofSeconds(10)).isEqualTo(TemplateResolver.REMEMBER_FOUND);
  }
}
