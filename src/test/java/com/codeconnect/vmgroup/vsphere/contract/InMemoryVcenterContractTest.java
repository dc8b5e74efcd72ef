package com.codeconnect.vmgroup.vsphere.contract;

import com.codeconnect.vmgroup.demo.GuestEdit;
import com.codeconnect.vmgroup.vsphere.GuestState;
import com.codeconnect.vmgroup.vsphere.MoRef;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.fake.Administrator;
import com.codeconnect.vmgroup.vsphere.fake.InMemoryVcenter;

/** The contract against the in-memory vCenter: a fresh one per test, tasks done at next look. */
class InMemoryVcenterContractTest extends VsphereClientContract {

  @Override
  protected Subject open(boolean cloneQuirks) {
    InMemoryVcenter vcenter = InMemoryVcenter.builder().cloneHonoursSpec(!cloneQuirks).build();
    return new Subject() {
      @Override
      public VsphereClient client() {
        return vcenter;
      }

      @Override
      public void destroyVmOutOfBand(MoRef vm) {
        vcenter.admin().destroy(vm);
      }

      @Override
      public void failClones(String regex) {
        vcenter.faults().failClones(regex);
      }

      @Override
      public void editGuest(MoRef vm, GuestEdit edit) {
        Administrator admin = vcenter.admin();
        if (edit.heartbeat() != null || edit.tools() != null) {
          GuestState now = admin.vm(vm).orElseThrow().guest();
          admin.setGuest(
              vm,
              edit.tools() != null ? edit.tools() : now.tools(),
              edit.heartbeat() != null ? edit.heartbeat() : now.heartbeat());
        }
        if (edit.ipAddresses() != null) {
          admin.setGuestIps(vm, edit.ipAddresses());
        }
        if (edit.guestInfoKey() != null) {
          admin.setGuestInfo(vm, edit.guestInfoKey(), edit.guestInfoValue());
        }
      }

      @Override
      public void close() {
        vcenter.close();
      }
    };
  }
}
