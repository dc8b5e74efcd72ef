package com.codeconnect.vmgroup.vsphere;

/**
 * Content libraries: finding an item by names and deploying a VM from it. On vCenter these are
 * calls of the REST API (vSphere Automation), made beside the SOAP session with the same
 * credentials.
 */
public interface ContentLibraries {

  /**
   * Looks an item up by the names an administrator sees. A name that several libraries (or several
   * items of the library) share is not guessed at: the answer is ambiguous and names them.
   */
  LibraryLookup findLibraryItem(String library, String item);

  /**
   * Deploys a VM from a VM template (VMTX) or OVF item into a folder, powered off, and returns the
   * new VM. Neither REST rendering offers a deploy as a vCenter task: this is one synchronous call
   * that lasts as long as vCenter copies the item (minutes on real storage), so callers keep it off
   * any thread that must stay responsive. A name the folder already holds throws {@link
   * VsphereException.DuplicateName}.
   */
  MoRef deployLibraryItem(LibraryDeploy request);
}
