package com.codeconnect.vmgroup.vsphere;

/**
 * A second client of the same vCenter beside the SOAP one: the REST API (vSphere Automation), which
 * alone offers tags and content libraries. The SOAP client hands those calls to it, so the operator
 * keeps holding one {@link VsphereClient}.
 */
public interface SiblingClient extends Tagging, ContentLibraries, AutoCloseable {

  /** The sibling's own session, as it knows it now, without a call. */
  SessionState sessionState();

  /** Logs out. */
  @Override
  void close();
}
