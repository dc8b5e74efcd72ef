package com.codeconnect.vmgroup.vsphere.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.vsphere.LibraryItem;
import com.codeconnect.vmgroup.vsphere.LibraryLookup;
import com.codeconnect.vmgroup.vsphere.LibraryLookup.Candidate;
import com.codeconnect.vmgroup.vsphere.LibraryLookup.Outcome;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.fake.Administrator;
import com.codeconnect.vmgroup.vsphere.fake.InMemoryVcenter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The content library contract against the in-memory vCenter, a fresh one per test; beyond it,
 * names that several libraries or items share, which the simulator's launcher doesn't make.
 */
class InMemoryLibraryContractTest extends LibraryContract {
  private InMemoryVcenter vcenter;
  private MoRef template;

  @BeforeEach
  void open() {
    vcenter = InMemoryVcenter.builder().build();
    Administrator admin = vcenter.admin();
    MoRef dc = vcenter.datacenters().get(0).ref();
    template = vcenter.findVmsByName(dc, "vm-operator-template").get(0).ref();
    String library = admin.addLibrary(LIBRARY);
    admin.addLibraryItem(library, VMTX, LibraryItem.Kind.VM_TEMPLATE, template);
    admin.addLibraryItem(library, OVF, LibraryItem.Kind.OVF, template);
  }

  @AfterEach
  void close() {
    vcenter.close();
  }

  @Override
  protected VsphereClient client() {
    return vcenter;
  }

  @Override
  protected String publish(String item) {
    return vcenter.admin().publishLibraryItem(item);
  }

  @Test
  void aLibraryNameTwoLibrariesShareIsAmbiguousAndNamesBoth() {
    vcenter.admin().addLibrary(LIBRARY);
    LibraryLookup found = vcenter.findLibraryItem(LIBRARY, VMTX);
    assertThat(found.outcome()).isEqualTo(Outcome.LIBRARY_AMBIGUOUS);
    assertThat(found.candidates()).extracting(Candidate::name).containsExactly(LIBRARY, LIBRARY);
    assertThat(found.candidates()).extracting(Candidate::id).doesNotHaveDuplicates();
  }

  @Test
  void anItemNameTwoItemsOfTheLibraryShareIsAmbiguous() {
    String other = vcenter.admin().addLibrary("other");
    vcenter.admin().addLibraryItem(other, VMTX, LibraryItem.Kind.VM_TEMPLATE, template);
    assertThat(vcenter.findLibraryItem(LIBRARY, VMTX).outcome()).isEqualTo(Outcome.FOUND);

    String library = vcenter.findLibraryItem(LIBRARY, VMTX).item().libraryId();
    vcenter.admin().addLibraryItem(library, VMTX.toUpperCase(), LibraryItem.Kind.OVF, template);
    assertThat(vcenter.findLibraryItem(LIBRARY, VMTX).outcome())
        .as("an exact match wins over one that differs in case")
        .isEqualTo(Outcome.FOUND);
    vcenter.admin().addLibraryItem(library, VMTX, LibraryItem.Kind.OVF, template);
    LibraryLookup found = vcenter.findLibraryItem(LIBRARY, VMTX);
    assertThat(found.outcome()).isEqualTo(Outcome.ITEM_AMBIGUOUS);
    assertThat(found.candidates()).hasSize(2);
  }
}
