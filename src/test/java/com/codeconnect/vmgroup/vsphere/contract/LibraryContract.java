package com.codeconnect.vmgroup.vsphere.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.ChangeFeed;
import com.codeconnect.vmgroup.vsphere.DatacenterInfo;
import com.codeconnect.vmgroup.vsphere.LibraryDeploy;
import com.codeconnect.vmgroup.vsphere.LibraryItem;
import com.codeconnect.vmgroup.vsphere.LibraryLookup;
import com.codeconnect.vmgroup.vsphere.LibraryLookup.Candidate;
import com.codeconnect.vmgroup.vsphere.LibraryLookup.Outcome;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.NamedRef;
import com.codeconnect.vmgroup.vsphere.ObjectChange;
import com.codeconnect.vmgroup.vsphere.PowerState;
import com.codeconnect.vmgroup.vsphere.TaskInfo;
import com.codeconnect.vmgroup.vsphere.TaskRef;
import com.codeconnect.vmgroup.vsphere.VmInfo;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.VsphereException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The Notes are what tells the operator's VM apart when its deployer is gone before the markers
   * are written, so they must be on the VM by the time the deploy has ended.
   */
  @Test
  void bothKindsOfItemDeployAVmCarryingTheGivenNotes() {
    MoRef folder = datacenter().vmFolder();
    for (String itemName : List.of(VMTX, OVF)) {
      String name = "lib-" + UUID.randomUUID().toString().substring(0, 8);
      String notes = "vmgroup default/web & " + name + "\nsecond line";
      TaskInfo end =
          awaitEnd(
              client()
                  .deployLibraryItem(
                      LibraryDeploy.of(item(itemName), name, folder, pool())
                          .withAnnotation(notes)));
      assertThat(end.state()).as(String.valueOf(end.error())).isEqualTo(TaskInfo.State.SUCCESS);
      MoRef vm = end.result();
      assertThat(client().details(vm).annotation()).as(itemName).isEqualTo(notes);
      client().destroy(vm);
    }
  }

  protected TaskInfo awaitEnd(TaskRef task) {
    return ContractFixture.awaitTask(client(), task);
  }

  private MoRef deployed(LibraryItem item, String name, MoRef folder) {
    TaskInfo end =
        awaitEnd(client().deployLibraryItem(LibraryDeploy.of(item, name, folder, pool())));
    assertThat(end.state()).as(String.valueOf(end.error())).isEqualTo(TaskInfo.State.SUCCESS);
    return end.result();
  }

  private void deploysAPoweredOffVm(String itemName) {
    String name = "lib-" + UUID.randomUUID().toString().substring(0, 8);
    MoRef folder = datacenter().vmFolder();
    MoRef vm = deployed(item(itemName), name, folder);
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
    MoRef first = deployed(vmtx, name, folder);
    for (LibraryItem again : List.of(item(OVF), vmtx)) {
      TaskInfo end =
          awaitEnd(client().deployLibraryItem(LibraryDeploy.of(again, name, folder, pool())));
      assertThat(end.state()).isEqualTo(TaskInfo.State.ERROR);
      assertThat(end.error()).isInstanceOf(VsphereException.DuplicateName.class);
    }
    assertThat(only(name).ref()).isEqualTo(first);
    client().destroy(first);
  }

  /** What lets a deterministic name stand for "made once": vCenter holds it from the start. */
  @Test
  void ofDeploysOfOneNameStartedTogetherOneMakesTheVm() {
    String name = "lib-" + UUID.randomUUID().toString().substring(0, 8);
    MoRef folder = datacenter().vmFolder();
    List<TaskRef> started = new ArrayList<>();
    for (String item : List.of(OVF, OVF, VMTX, OVF)) {
      started.add(client().deployLibraryItem(LibraryDeploy.of(item(item), name, folder, pool())));
    }
    List<TaskInfo> ends = started.stream().map(this::awaitEnd).toList();
    assertThat(ends).filteredOn(e -> e.state() == TaskInfo.State.SUCCESS).hasSize(1);
    assertThat(ends)
        .filteredOn(e -> e.state() == TaskInfo.State.ERROR)
        .allSatisfy(e -> assertThat(e.error()).isInstanceOf(VsphereException.DuplicateName.class));
    client().destroy(only(name).ref());
  }

  @Test
  void aWatchedDeployReportsItsEndThroughTheChangeFeed() {
    String name = "lib-" + UUID.randomUUID().toString().substring(0, 8);
    MoRef folder = datacenter().vmFolder();
    try (ChangeFeed feed = client().changeFeed(folder)) {
      feed.next(Duration.ZERO);
      TaskRef task = client().deployLibraryItem(LibraryDeploy.of(item(OVF), name, folder, pool()));
      feed.watchTasks(List.of(task));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      ObjectChange end = null;
      while (end == null && System.nanoTime() < deadline) {
        end =
            feed.next(Duration.ofMillis(500)).changes().stream()
                .filter(c -> c.kind() == ObjectChange.Kind.TASK && c.ref().equals(task.ref()))
                .filter(c -> c.values().get("state") == TaskInfo.State.SUCCESS)
                .findFirst()
                .orElse(null);
      }
      assertThat(end).as("the deploy's end in the feed").isNotNull();
      MoRef vm = (MoRef) end.values().get("result");
      assertThat(only(name).ref()).isEqualTo(vm);
      client().destroy(vm);
    }
  }
}
