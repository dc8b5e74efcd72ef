package com.codeconnect.vmgroup.vsphere.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.LibraryDeploy;
import com.codeconnect.vmgroup.vsphere.LibraryItem;
import com.codeconnect.vmgroup.vsphere.LibraryLookup;
import com.codeconnect.vmgroup.vsphere.LibraryLookup.Candidate;
import com.codeconnect.vmgroup.vsphere.LibraryLookup.Outcome;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the operator relies on from content libraries (REST on vCenter), run against the SOAP client
 * with its REST sibling on govmomi's simulator and against the in-memory vCenter.
 *
 * <p>Each subject holds a library {@link #LIBRARY} with a VM template item {@link #VMTX} and an OVF
 * item {@link #OVF}. The simulator is shared by the tests, so each deploy uses a name of its own.
 */
public abstract class LibraryContract {
  public static final String LIBRARY = "contract-golden";
  public static final String VMTX = "vm-operator-vmtx";
  public static final String OVF = "vm-operator-ovf";

  protected abstract VsphereClient client();

  /** Makes new content of the items of that name, as an upload would; returns its version. */
  protected abstract String publish(String item);

  private LibraryItem item(String name) {
    LibraryLookup found = client().findLibraryItem(LIBRARY, name);
    assertThat(found.outcome()).isEqualTo(Outcome.FOUND);
    return found.item();
  }

  private DatacenterInfo datacenter() {
    return client().datacenter(client().datacenters().get(0).ref());
  }

  private MoRef pool() {
    return client().resourcePools(datacenter().ref()).stream()
        .map(NamedRef::ref)
        .findFirst()
        .orElseThrow();
  }

  private VmInfo only(String name) {
    return client().findVmsByName(datacenter().vmFolder(), name).stream()
        .filter(v -> v.name().equals(name))
        .reduce((a, b) -> a == b ? a : null)
        .orElseThrow();
  }

  @Test
  void itemsAreFoundByLibraryAndItemNameWithTheirKindAndContentVersion() {
    LibraryItem vmtx = item(VMTX);
    assertThat(vmtx.kind()).isEqualTo(LibraryItem.Kind.VM_TEMPLATE);
    assertThat(vmtx.libraryName()).isEqualTo(LIBRARY);
    assertThat(vmtx.contentVersion()).isNotBlank();
    LibraryItem ovf = item(OVF);
    assertThat(ovf.kind()).isEqualTo(LibraryItem.Kind.OVF);
    assertThat(ovf.id()).isNotEqualTo(vmtx.id());
    assertThat(ovf.libraryId()).isEqualTo(vmtx.libraryId());
  }

  @Test
  void aMissingLibraryOrItemNamesWhatExists() {
    LibraryLookup noLibrary = client().findLibraryItem("no-such-library", VMTX);
    assertThat(noLibrary.outcome()).isEqualTo(Outcome.LIBRARY_NOT_FOUND);
    assertThat(noLibrary.item()).isNull();
    assertThat(noLibrary.candidates()).extracting(Candidate::name).contains(LIBRARY);

    LibraryLookup noItem = client().findLibraryItem(LIBRARY, "no-such-item");
    assertThat(noItem.outcome()).isEqualTo(Outcome.ITEM_NOT_FOUND);
    assertThat(noItem.candidates()).extracting(Candidate::name).contains(VMTX, OVF);
  }

  /**
   * vCenter matches item names regardless of case too; govmomi's simulator doesn't, so only the
   * library's name is checked here.
   */
  @Test
  void aLibraryNameThatDiffersOnlyInCaseIsFound() {
    LibraryLookup found = client().findLibraryItem(LIBRARY.toUpperCase(Locale.ROOT), OVF);
    assertThat(found.outcome()).isEqualTo(Outcome.FOUND);
    assertThat(found.item().name()).isEqualTo(OVF);
  }

  @Test
  void aNewVersionOfAnItemIsSeenByTheNextLookup() {
    String before = item(OVF).contentVersion();
    String published = publish(OVF);
    assertThat(published).isNotEqualTo(before);
    assertThat(item(OVF).contentVersion()).isEqualTo(published);
    assertThat(item(VMTX).contentVersion()).isNotNull();
  }

  @Test
  void aVmTemplateItemDeploysAPoweredOffVmUnderTheGivenNameInTheFolder() {
    deploysAPoweredOffVm(VMTX);
  }

  @Test
  void anOvfItemDeploysAPoweredOffVmUnderTheGivenNameInTheFolder() {
    deploysAPoweredOffVm(OVF);
  }

  private void deploysAPoweredOffVm(String itemName) {
    String name = "lib-" + UUID.randomUUID().toString().substring(0, 8);
    MoRef folder = datacenter().vmFolder();
    MoRef vm = client().deployLibraryItem(LibraryDeploy.of(item(itemName), name, folder, pool()));
    assertThat(vm.type()).isEqualTo("VirtualMachine");
    VmInfo seen = only(name);
    assertThat(seen.ref()).isEqualTo(vm);
    assertThat(seen.parent()).isEqualTo(folder);
    assertThat(seen.template()).isFalse();
    assertThat(seen.powerState()).isEqualTo(PowerState.POWERED_OFF);
    client().destroy(vm);
  }

  @Test
  void aNameTheFolderHoldsIsADuplicateAndNoSecondVmIsMade() {
    String name = "lib-" + UUID.randomUUID().toString().substring(0, 8);
    MoRef folder = datacenter().vmFolder();
    LibraryItem vmtx = item(VMTX);
    MoRef first = client().deployLibraryItem(LibraryDeploy.of(vmtx, name, folder, pool()));
    assertThatThrownBy(
            () -> client().deployLibraryItem(LibraryDeploy.of(item(OVF), name, folder, pool())))
        .isInstanceOf(VsphereException.DuplicateName.class);
    assertThatThrownBy(
            () -> client().deployLibraryItem(LibraryDeploy.of(vmtx, name, folder, pool())))
        .isInstanceOf(VsphereException.DuplicateName.class);
    assertThat(only(name).ref()).isEqualTo(first);
    client().destroy(first);
  }
}
