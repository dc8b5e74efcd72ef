package com.codeconnect.vmgroup.faults;

import com.codeconnect.vmgroup.api.v1alpha1.ContentLibrarySpec;
import com.codeconnect.vmgroup.api.v1alpha1.SourceSpec;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import com.codeconnect.vmgroup.demo.Vcsim;
import com.codeconnect.vmgroup.demo.VcsimBuilder;

/**
 * The crash-anywhere scenario with content library deploys: half the groups from the VM template
 * item, half from the OVF item. A deploy can't carry the ownership markers, so a kill between a
 * deploy and the reconfigure that marks its VM leaves a VM known only by its name and the deploy
 * token in its Notes: the next life must finish that VM, neither deploying the replica again nor
 * leaving the VM behind, and the audit at the end finds no stray, duplicate or missing VM.
 */
class CrashAnywhereLibraryIT extends CrashAnywhereIT {
  private static final String LIBRARY = "golden";

  @Override
  protected VcsimBuilder simulator() {
    return super.simulator().contentLibrary(LIBRARY);
  }

  @Override
  protected int groupCount() {
    return 4;
  }

  @Override
  protected int replicas() {
    return 6;
  }

  @Override
  protected int rounds() {
    return Math.min(ROUNDS, 4);
  }

  @Override
  protected String prefix() {
    return "crl";
  }

  @Override
  protected String report() {
    return "crash-anywhere-library";
  }

  @Override
  protected void createGroup(String name, int i) {
    VmGroupSpec spec = new VmGroupSpec(1, 1, replicas(), null);
    spec.setSource(
        new SourceSpec(
            new ContentLibrarySpec(LIBRARY, i % 2 == 0 ? Vcsim.VMTX_ITEM : Vcsim.OVF_ITEM)));
    groups.create(name, spec);
  }
}
