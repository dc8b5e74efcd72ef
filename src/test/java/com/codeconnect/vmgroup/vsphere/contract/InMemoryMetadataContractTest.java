package com.codeconnect.vmgroup.vsphere.contract;

import com.codeconnect.vmgroup.vsphere.TagCategory;
import com.codeconnect.vmgroup.vsphere.VsphereClient;
import com.codeconnect.vmgroup.vsphere.fake.Administrator;
import com.codeconnect.vmgroup.vsphere.fake.InMemoryVcenter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The tags and custom attributes contract against the in-memory vCenter, a fresh one per test. */
class InMemoryMetadataContractTest extends MetadataContract {
  private InMemoryVcenter vcenter;

  @BeforeEach
  void open() {
    vcenter = InMemoryVcenter.builder().build();
    Administrator admin = vcenter.admin();
    TagCategory env = admin.addTagCategory(ENV);
    admin.addTag(env, "prod");
    admin.addTag(env, "test");
    admin.addTag(admin.addTagCategory(TEAM), "a");
  }

  @AfterEach
  void close() {
    vcenter.close();
  }

  @Override
  protected VsphereClient client() {
    return vcenter;
  }
}
