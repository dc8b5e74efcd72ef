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
   * Starts deploying a VM from a VM template (VMTX) or OVF item into a folder, powered off, and
   * returns at once. The deploy is a task: {@link VsphereClient#tasks} answers for it and a change
   * feed that watches it reports its end (kind TASK), with the new VM as its result. A name the
   * folder already holds ends the task with {@link VsphereException.DuplicateName}.
   */
  TaskRef deployLibraryItem(LibraryDeploy request);
}
