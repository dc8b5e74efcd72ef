package com.codeconnect.vmgroup.api.v1alpha1;

/**
 * The CEL rules of a VmGroup's spec (x-kubernetes-validations) and their messages: what an API
 * server that enforces them refuses before the operator sees it. {@code SpecValidator} says the
 * same for servers that don't.
 */
final class SpecRules {
  private SpecRules() {}

  static final String CORES_DIVIDE_CPU =
      "!has(self.coresPerSocket) || self.cpu % self.coresPerSocket == 0";
  static final String CORES_DIVIDE_CPU_MESSAGE =
      "cpu must be a multiple of coresPerSocket: every socket has the same number of cores";
  static final String ADDRESSES_NEED_BOOTSTRAP =
      "!has(self.networks) || self.networks.all(n, !has(n.addresses)) || (has(self.bootstrap)"
          + " && (has(self.bootstrap.cloudInit) || has(self.bootstrap.linuxPrep)"
          + " || has(self.bootstrap.sysprep)))";
  static final String ADDRESSES_NEED_BOOTSTRAP_MESSAGE =
      "static addresses in networks need bootstrap (cloudInit, linuxPrep or sysprep) to be"
          + " applied in the guest";
  static final String LINKED_DISK_FIXED =
      "!has(self.disk) || !has(self.disk.sizeGiB) || !has(self.cloneMode)"
          + " || self.cloneMode != 'linked'";
  static final String LINKED_DISK_FIXED_MESSAGE =
      "disk.sizeGiB can't be used with cloneMode linked: a linked clone's disk is a delta of the"
          + " template's snapshot, which vSphere can't grow";

  /**
   * The placement fields that say where the VMs are, compared one by one, so that antiAffinity and
   * failureDomains, which move no VM, can change; a field absent on both sides is unchanged.
   */
  static final String PLACEMENT_FIXED =
      ""
          + "(has(self.placement) && has(self.placement.datacenter)"
          + " ? self.placement.datacenter : '')"
          + " == (has(oldSelf.placement) && has(oldSelf.placement.datacenter)"
          + " ? oldSelf.placement.datacenter : '')"
          + " && "
          + "(has(self.placement) && has(self.placement.resourcePool)"
          + " ? self.placement.resourcePool : '')"
          + " == (has(oldSelf.placement) && has(oldSelf.placement.resourcePool)"
          + " ? oldSelf.placement.resourcePool : '')"
          + " && "
          + "(has(self.placement) && has(self.placement.datastore)"
          + " ? self.placement.datastore : '')"
          + " == (has(oldSelf.placement) && has(oldSelf.placement.datastore)"
          + " ? oldSelf.placement.datastore : '')"
          + " && "
          + "(has(self.placement) && has(self.placement.folder)"
          + " ? self.placement.folder : '')"
          + " == (has(oldSelf.placement) && has(oldSelf.placement.folder)"
          + " ? oldSelf.placement.folder : '')";

  static final String PLACEMENT_FIXED_MESSAGE =
      "placement can't change once the group exists (datacenter, resourcePool, datastore and"
          + " folder; antiAffinity and failureDomains can): its VMs would be left behind; create a"
          + " new group instead";
  static final String DEADLINE_AFTER_MIN_READY =
      "!has(self.progressDeadlineSeconds) || !has(self.minReadySeconds)"
          + " || self.progressDeadlineSeconds > self.minReadySeconds";
  static final String DEADLINE_AFTER_MIN_READY_MESSAGE =
      "progressDeadlineSeconds must be more than minReadySeconds: a new VM counts only after"
          + " minReadySeconds";
  static final String DOMAIN_NETWORKS_MATCH =
      "!has(self.placement) || !has(self.placement.failureDomains)"
          + " || self.placement.failureDomains.all(d, !has(d.networks)"
          + " || (has(self.networks) && size(d.networks) == size(self.networks)))";
  static final String DOMAIN_NETWORKS_MATCH_MESSAGE =
      "a failure domain's networks name one network for each entry of spec.networks, in order";

  static final String MEMORY_RULE =
      "type(self) == int ? self >= "
          + MemoryQuantity.MIN_GIB
          + " && self <= "
          + MemoryQuantity.MAX_GIB
          + " : self.matches('"
          + MemoryQuantity.QUANTITY_PATTERN
          + "')";
  static final String MEMORY_RULE_MESSAGE =
      "must be a whole number of GiB from 1 to 24576, or a quantity such as 1536Mi or 16Gi";

  static final String ONE_SOURCE = "has(self.template) != has(self.source)";
  static final String ONE_SOURCE_MESSAGE =
      "exactly one of template and source.contentLibrary says where VMs come from";
  static final String LIBRARY_CLONES_FULL =
      "!has(self.source) || !has(self.cloneMode) || self.cloneMode != 'linked'";
  static final String LIBRARY_CLONES_FULL_MESSAGE =
      "cloneMode linked needs a template's snapshot; a content library item is deployed as a full"
          + " copy";
}
