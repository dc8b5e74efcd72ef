package com.codeconnect.vmgroup.testing;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroupSpec;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The VmGroups of one namespace, written as a user would with kubectl. An edit reads, changes and
 * writes the group, and tries again when the operator wrote in between (409 Conflict).
 */
public final class Groups {
  /** How many times an edit is tried before a conflict fails the test. */
  public static final int CONFLICT_TRIES = 10;

  private final KubernetesClient kube;
  private final String namespace;
  private final int tries;

  private Groups(KubernetesClient kube, String namespace, int tries) {
    this.kube = kube;
    this.namespace = namespace;
    this.tries = tries;
  }

  /** The groups of {@code namespace}; edits are tried {@link #CONFLICT_TRIES} times. */
  public static Groups in(KubernetesClient kube, String namespace) {
    return new Groups(kube, namespace, CONFLICT_TRIES);
  }

  /** The same groups, each edit tried up to {@code tries} times. */
  public Groups triesOnConflict(int tries) {
    return new Groups(kube, namespace, tries);
  }

  public String namespace() {
    return namespace;
  }

  /** Creates the namespace, or updates its labels if it exists. */
  public Groups createNamespace(Map<String, String> labels) {
    kube.resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .withLabels(labels)
                .endMetadata()
                .build())
        .createOr(NonDeletingOperation::update);
    return this;
  }

  public Groups createNamespace() {
    return createNamespace(Map.of());
  }

  public VmGroup create(String name, int cpu, int memoryGiB, int replicas, String template) {
    return create(name, new VmGroupSpec(cpu, memoryGiB, replicas, template));
  }

  public VmGroup create(String name, VmGroupSpec spec) {
    return kube.resource(new VmGroup(namespace, name, spec)).create();
  }

  /** The group as the API server has it now; null when there is none. */
  public VmGroup get(String name) {
    return resource(name).get();
  }

  public List<VmGroup> list() {
    return kube.resources(VmGroup.class).inNamespace(namespace).list().getItems();
  }

  /** Like `kubectl edit` of the spec. */
  public void edit(String name, Consumer<VmGroupSpec> change) {
    update(name, g -> change.accept(g.getSpec()));
  }

  /** Like `kubectl edit` of the whole group: labels, annotations and spec. */
  public void update(String name, Consumer<VmGroup> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        resource(name)
            .edit(
                g -> {
                  change.accept(g);
                  return g;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= tries) {
          throw e;
        }
      }
    }
  }

  /** Sets spec.replicas by an edit; the scale subresource is for servers that have one. */
  public void scale(String name, int replicas) {
    edit(name, s -> s.setReplicas(replicas));
  }

  public void delete(String name) {
    resource(name).delete();
  }

  private Resource<VmGroup> resource(String name) {
    return kube.resources(VmGroup.class).inNamespace(namespace).withName(name);
  }
}
