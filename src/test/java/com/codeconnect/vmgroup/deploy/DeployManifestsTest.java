package com.codeconnect.vmgroup.deploy;

import static com.codeconnect.vmgroup.deploy.Manifests.ofType;
import static com.codeconnect.vmgroup.deploy.Manifests.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders every overlay under deploy/ with {@code kubectl kustomize}, parses each document strictly
 * into Fabric8's model, and checks least-privilege RBAC and the Deployment's hardening. A widening
 * of the RBAC or a lost security setting fails the build.
 */
class DeployManifestsTest {
  static final String NS = "vmgroup-operator-system";
  static final String SA = "vmgroup-operator";
  static final String VCENTERS_ROLE = "vmgroup-operator-vcenters";
  static final List<String> OVERLAYS =
      List.of("default", "ha", "namespaced", "dev", "monitoring", "vcenters");

  private static final Map<String, List<HasMetadata>> RENDERED = new ConcurrentHashMap<>();

  private static List<HasMetadata> rendered(String overlay) {
    return RENDERED.computeIfAbsent(overlay, o -> Manifests.parseAll(Manifests.render(o)));
  }

  // ---- validity ---------------------------------------------------------------------------

  /**
   * {@code kubectl apply -f deploy/crd/} reads every .yaml, .yml and .json file of the folder and
   * fails on one that is no Kubernetes object: the folder holds the CRDs and nothing else kubectl
   * would read (its kustomization is named {@code Kustomization}, which kubectl skips and kustomize
   * reads).
   */
  @Test
  void kubectlApplyOfTheCrdFolderReadsOnlyTheCrds() throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Path.of("deploy/crd");
    List<String> read;
    try (var files = java.nio.file.Files.list(dir)) {
      read =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"))
              .sorted()
              .toList();
    }
    assertThat(read)
        .containsExactly(
            "vcenters.vm.codeconnect.vmworld.com-v1.yml",
            "vmgroups.vm.codeconnect.vmworld.com-v1.yml");
    for (String f : read) {
      List<HasMetadata> objects =
          Manifests.parseAll(java.nio.file.Files.readString(dir.resolve(f)));
      assertThat(objects)
          .extracting(HasMetadata::getKind)
          .containsExactly("CustomResourceDefinition");
    }
    assertThat(dir.resolve("Kustomization")).exists();
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "ha", "namespaced", "dev", "monitoring", "vcenters"})
  void everyDocumentIsAValidObjectWithTheExpectedSet(String overlay) {
    List<HasMetadata> all = rendered(overlay);
    Set<String> ids =
        all.stream()
            .map(
                r ->
                    r.getKind()
                        + "/"
                        + Optional.ofNullable(r.getMetadata().getNamespace()).orElse("")
                        + "/"
                        + r.getMetadata().getName())
            .collect(Collectors.toSet());
    assertThat(ids).hasSize(all.size()); // no duplicates

    List<String> expected =
        new ArrayList<>(
            List.of(
                "CustomResourceDefinition//vmgroups.vm.codeconnect.vmworld.com",
                "CustomResourceDefinition//vcenters.vm.codeconnect.vmworld.com",
                "Namespace//" + NS,
                "ServiceAccount/" + NS + "/" + SA,
                "Role/" + NS + "/vmgroup-operator",
                "RoleBinding/" + NS + "/vmgroup-operator",
                "Deployment/" + NS + "/vmgroup-operator",
                "Service/" + NS + "/vmgroup-operator-metrics"));
    switch (overlay) {
      case "namespaced" -> {
        for (String ns : List.of("team-a", "team-b")) {
          expected.add("Role/" + ns + "/vmgroup-operator");
          expected.add("RoleBinding/" + ns + "/vmgroup-operator");
        }
      }
      default -> {
        expected.add("ClusterRole//vmgroup-operator");
        expected.add("ClusterRoleBinding//vmgroup-operator");
      }
    }
    switch (overlay) {
      case "ha" -> expected.add("PodDisruptionBudget/" + NS + "/vmgroup-operator");
      case "dev" -> expected.add("Secret/" + NS + "/vc-creds");
      case "monitoring" -> expected.add("ServiceMonitor/" + NS + "/vmgroup-operator");
      case "vcenters" -> {
        expected.add("ClusterRole//" + VCENTERS_ROLE);
        expected.add("ClusterRoleBinding//" + VCENTERS_ROLE);
        expected.add("Role/" + NS + "/" + VCENTERS_ROLE);
        expected.add("RoleBinding/" + NS + "/" + VCENTERS_ROLE);
        expected.add("Role/default/" + VCENTERS_ROLE);
        expected.add("RoleBinding/default/" + VCENTERS_ROLE);
      }
      default -> {}
    }
    assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void anUnknownFieldFailsTheParse() {
    String deployment =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: x
        spec:
          replica: 2
          selector:
            matchLabels: {app: x}
          template:
            metadata:
              labels: {app: x}
            spec:
              containers: [{name: x, image: x}]
        """;
    assertThatThrownBy(() -> Manifests.parseAll(deployment))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Deployment x is not a valid object")
        .hasMessageContaining("replica");
    // the same document with the right field parses
    assertThat(Manifests.parseAll(deployment.replace("replica:", "replicas:")))
        .singleElement()
        .isInstanceOfSatisfying(
            Deployment.class, d -> assertThat(d.getSpec().getReplicas()).isEqualTo(2));
  }

  @Test
  void unknownFieldsDeepInsideAndWrongTypesFailToo() {
    String container =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x}
        spec:
          selector: {matchLabels: {app: x}}
          template:
            metadata: {labels: {app: x}}
            spec:
              containers:
                - name: x
                  image: x
                  securityContext: {readOnlyRootFileSystem: true}
        """;
    assertThatThrownBy(() -> Manifests.parseAll(container))
        .hasMessageContaining("readOnlyRootFileSystem");
    String wrongType =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x}
        spec: {replicas: two}
        """;
    assertThatThrownBy(() -> Manifests.parseAll(wrongType))
        .isInstanceOf(IllegalArgumentException.class);
    String role =
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: x}
        rules: [{apiGroups: [""], resource: [secrets], verbs: [get]}]
        """;
    assertThatThrownBy(() -> Manifests.parseAll(role)).hasMessageContaining("resource");
    assertThatThrownBy(
            () -> Manifests.parseAll("apiVersion: v1\nkind: ConfigMapp\nmetadata: {name: x}\n"))
        .hasMessageContaining("has no model here");
  }

  @Test
  void theSampleSecretIsValidHasOnlyPlaceholdersAndIsRenderedOnlyInDev() throws Exception {
    Path sample = Manifests.DEPLOY.resolve("base/sample-secret/vc-creds.yaml");
    Secret secret = (Secret) Manifests.parseAll(Files.readString(sample)).get(0);
    assertThat(secret.getMetadata().getName()).isEqualTo("vc-creds");
    assertThat(secret.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(secret.getStringData()).containsOnlyKeys("VC_HOST", "VC_USER", "VC_PASS");
    assertThat(secret.getStringData().get("VC_PASS")).isEqualTo("REPLACE_ME");
    assertThat(Files.readString(sample)).containsIgnoringCase("sample");
    for (String overlay : OVERLAYS) {
      assertThat(ofType(rendered(overlay), Secret.class))
          .as("Secrets rendered by deploy/%s", overlay)
          .hasSize(overlay.equals("dev") ? 1 : 0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "ha", "namespaced", "dev", "monitoring", "vcenters"})
  void theCrdIsTheGeneratedOneAndClusterScoped(String overlay) throws Exception {
    List<CustomResourceDefinition> crds = ofType(rendered(overlay), CustomResourceDefinition.class);
    assertThat(crds).hasSize(2);
    for (String plural : List.of("vmgroups", "vcenters")) {
      CustomResourceDefinition crd =
          crds.stream()
              .filter(c -> plural.equals(c.getSpec().getNames().getPlural()))
              .collect(onlyOne());
      assertThat(crd.getMetadata().getNamespace()).isNull();
      assertThat(crd.getSpec().getGroup()).isEqualTo(RbacPolicy.GROUP);
      CustomResourceDefinition generated =
          (CustomResourceDefinition)
              Manifests.parseAll(
                      Files.readString(
                          Manifests.DEPLOY.resolve(
                              "crd/" + plural + ".vm.codeconnect.vmworld.com-v1.yml")))
                  .get(0);
      assertThat(crd.getSpec()).isEqualTo(generated.getSpec());
    }
    assertThat(
            crds.stream()
                .filter(c -> "vcenters".equals(c.getSpec().getNames().getPlural()))
                .findFirst()
                .orElseThrow()
                .getSpec()
                .getScope())
        .as("a VCenter serves many namespaces")
        .isEqualTo("Cluster");
  }

  // ---- RBAC ------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"default", "ha", "namespaced", "dev", "monitoring", "vcenters"})
  void rbacGrantsExactlyTheAllowedRules(String overlay) {
    List<HasMetadata> all = rendered(overlay);
    List<ClusterRole> vcenterClusterRoles = named(ofType(all, ClusterRole.class), VCENTERS_ROLE);
    List<Role> vcenterRoles = named(ofType(all, Role.class), VCENTERS_ROLE);
    List<ClusterRole> clusterRoles = named(ofType(all, ClusterRole.class), "vmgroup-operator");
    List<Role> roles = named(ofType(all, Role.class), "vmgroup-operator");
    if (overlay.equals("vcenters")) {
      assertThat(RbacPolicy.grants(vcenterClusterRoles.stream().collect(onlyOne()).getRules()))
          .as("ClusterRole %s", VCENTERS_ROLE)
          .containsExactlyElementsOf(RbacPolicy.VCENTERS);
      assertThat(vcenterRoles)
          .extracting(r -> r.getMetadata().getNamespace())
          .containsExactlyInAnyOrder(NS, "default");
      assertThat(RbacPolicy.grants(roleIn(vcenterRoles, NS).getRules()))
          .as("Role %s in %s", VCENTERS_ROLE, NS)
          .containsExactlyElementsOf(RbacPolicy.VCENTERS_OPERATOR_NAMESPACE);
      assertThat(RbacPolicy.grants(roleIn(vcenterRoles, "default").getRules()))
          .as("Role %s in default, where Events about VCenters live", VCENTERS_ROLE)
          .containsExactlyElementsOf(RbacPolicy.VCENTERS_EVENTS_NAMESPACE);
    } else {
      assertThat(vcenterClusterRoles).as("VCenter rules outside deploy/vcenters").isEmpty();
      assertThat(vcenterRoles).as("VCenter rules outside deploy/vcenters").isEmpty();
    }

    Role own = roleIn(roles, NS);
    assertThat(RbacPolicy.grants(own.getRules()))
        .as("Role in %s", NS)
        .containsExactlyElementsOf(RbacPolicy.OPERATOR_NAMESPACE);

    if (overlay.equals("namespaced")) {
      assertThat(clusterRoles).as("ClusterRoles of the namespaced overlay").isEmpty();
      assertThat(ofType(all, ClusterRoleBinding.class)).isEmpty();
      assertThat(roles).hasSize(3);
      for (String ns : List.of("team-a", "team-b")) {
        assertThat(RbacPolicy.grants(roleIn(roles, ns).getRules()))
            .as("Role in watched namespace %s", ns)
            .containsExactlyElementsOf(RbacPolicy.VMGROUPS_AND_EVENTS);
      }
    } else {
      assertThat(roles).hasSize(1);
      ClusterRole cr = clusterRoles.stream().collect(onlyOne());
      assertThat(cr.getAggregationRule()).isNull();
      assertThat(RbacPolicy.grants(cr.getRules()))
          .as("ClusterRole %s", cr.getMetadata().getName())
          .containsExactlyElementsOf(RbacPolicy.VMGROUPS_AND_EVENTS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "ha", "namespaced", "dev", "monitoring", "vcenters"})
  void bindingsGiveTheRolesToTheOperatorsServiceAccountOnly(String overlay) {
    List<HasMetadata> all = rendered(overlay);
    ServiceAccount sa = one(all, ServiceAccount.class);
    assertThat(sa.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(sa.getAutomountServiceAccountToken()).isFalse();

    for (RoleBinding rb : ofType(all, RoleBinding.class)) {
      assertThat(rb.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(rb.getRoleRef().getName())
          .isIn("vmgroup-operator", VCENTERS_ROLE)
          .isEqualTo(rb.getMetadata().getName());
      assertOnlyTheOperator(rb.getSubjects());
    }
    for (ClusterRoleBinding crb : ofType(all, ClusterRoleBinding.class)) {
      assertThat(crb.getRoleRef().getKind()).isEqualTo("ClusterRole");
      assertThat(crb.getRoleRef().getName())
          .isIn("vmgroup-operator", VCENTERS_ROLE)
          .isEqualTo(crb.getMetadata().getName());
      assertOnlyTheOperator(crb.getSubjects());
    }
  }

  private static void assertOnlyTheOperator(List<Subject> subjects) {
    assertThat(subjects)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(SA);
              assertThat(s.getNamespace()).isEqualTo(NS);
            });
  }

  @Test
  void aWidenedRuleIsCaught() {
    ClusterRole cr = one(rendered("default"), ClusterRole.class);
    Set<String> allowed = RbacPolicy.VMGROUPS_AND_EVENTS;
    assertThat(RbacPolicy.grants(cr.getRules())).isEqualTo(allowed);

    assertThat(
            RbacPolicy.grants(changed(cr.getRules(), "vmgroups", r -> r.getVerbs().add("delete"))))
        .as("extra verb")
        .isNotEqualTo(allowed)
        .contains(RbacPolicy.GROUP + "|vmgroups|*|delete");
    assertThat(
            RbacPolicy.grants(changed(cr.getRules(), "vmgroups", r -> r.getResources().add("*"))))
        .as("wildcard resource")
        .isNotEqualTo(allowed);
    assertThat(RbacPolicy.grants(changed(cr.getRules(), "vmgroups", r -> r.setVerbs(List.of("*")))))
        .as("wildcard verb")
        .isNotEqualTo(allowed);
    assertThat(
            RbacPolicy.grants(
                changed(cr.getRules(), "vmgroups", r -> r.setApiGroups(List.of("*")))))
        .as("wildcard group")
        .isNotEqualTo(allowed);

    List<PolicyRule> secrets = new ArrayList<>(cr.getRules());
    PolicyRule secretRule = new PolicyRule();
    secretRule.setApiGroups(List.of(""));
    secretRule.setResources(List.of("secrets"));
    secretRule.setResourceNames(List.of("vc-creds"));
    secretRule.setVerbs(List.of("get"));
    secrets.add(secretRule);
    assertThat(RbacPolicy.grants(secrets))
        .as("a ClusterRole granting secrets, even one by name")
        .isNotEqualTo(allowed)
        .contains("|secrets|vc-creds|get");

    Role own = roleIn(ofType(rendered("default"), Role.class), NS);
    assertThat(
            RbacPolicy.grants(
                changed(own.getRules(), "secrets", r -> r.setResourceNames(new ArrayList<>()))))
        .as("the Secret rule without its resourceNames")
        .contains("|secrets|*|get")
        .isNotEqualTo(RbacPolicy.OPERATOR_NAMESPACE);

    PolicyRule url = new PolicyRule();
    url.setNonResourceURLs(List.of("/metrics"));
    url.setVerbs(List.of("get"));
    List<PolicyRule> withUrl = new ArrayList<>(cr.getRules());
    withUrl.add(url);
    assertThat(RbacPolicy.grants(withUrl)).as("non-resource URL").isNotEqualTo(allowed);
  }

  /** The rules with the first rule about {@code resource} replaced by a changed copy. */
  private static List<PolicyRule> changed(
      List<PolicyRule> rules, String resource, java.util.function.Consumer<PolicyRule> change) {
    List<PolicyRule> out = new ArrayList<>(rules);
    for (int i = 0; i < out.size(); i++) {
      PolicyRule r = out.get(i);
      if (r.getResources().contains(resource)) {
        PolicyRule copy = new PolicyRule();
        copy.setApiGroups(new ArrayList<>(r.getApiGroups()));
        copy.setResources(new ArrayList<>(r.getResources()));
        copy.setResourceNames(new ArrayList<>(r.getResourceNames()));
        copy.setVerbs(new ArrayList<>(r.getVerbs()));
        change.accept(copy);
        out.set(i, copy);
        return out;
      }
    }
    throw new AssertionError("no rule about " + resource);
  }

  private static <T extends HasMetadata> List<T> named(List<T> all, String name) {
    return all.stream().filter(r -> name.equals(r.getMetadata().getName())).toList();
  }

  private static Role roleIn(List<Role> roles, String namespace) {
    return roles.stream()
        .filter(r -> namespace.equals(r.getMetadata().getNamespace()))
        .collect(onlyOne());
  }

  private static <T> java.util.stream.Collector<T, ?, T> onlyOne() {
    return Collectors.collectingAndThen(
        Collectors.toList(),
        l -> {
          assertThat(l).hasSize(1);
          return l.get(0);
        });
  }

  // ---- the Deployment --------------------------------------------------------------------

  private static Deployment deployment(String overlay) {
    return one(rendered(overlay), Deployment.class);
  }

  private static Container operator(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().stream().collect(onlyOne());
  }

  private static Map<String, EnvVar> env(Container c) {
    return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "ha", "namespaced", "dev", "monitoring", "vcenters"})
  void theDeploymentIsHardened(String overlay) {
    Deployment d = deployment(overlay);
    assertThat(d.getMetadata().getNamespace()).isEqualTo(NS);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo(SA);
    assertThat(pod.getAutomountServiceAccountToken()).as("pod token (API access)").isTrue();
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getInitContainers()).isNullOrEmpty();

    Container c = operator(d);
    assertThat(c.getImage()).isEqualTo("vmgroup-operator:0.1.0");
    var sc = c.getSecurityContext();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    assertProbe(c.getLivenessProbe(), "/healthz");
    assertProbe(c.getReadinessProbe(), "/readyz");

    var res = c.getResources();
    assertThat(res.getRequests())
        .containsEntry("cpu", new Quantity("100m"))
        .containsEntry("memory", new Quantity("192Mi"));
    assertThat(res.getLimits()).containsEntry("memory", new Quantity("256Mi"));

    Map<String, EnvVar> env = env(c);
    assertThat(c.getCommand())
        .contains("-XX:MaxRAMPercentage=50", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
        .endsWith("-jar", "/app/vmgroup-operator.jar");
    // The JVM prints "Picked up ..." on stderr for these, a plain-text line in JSON logs.
    assertThat(env).doesNotContainKeys("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
    assertThat(env).doesNotContainKey("VC_PASS"); // only as a file
    assertThat(env).doesNotContainKeys("VC_THUMBPRINT_SKIP", "JAVA_OPTS");
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "ha", "namespaced", "dev", "monitoring"})
  void theDeploymentRunsTheImagesEntrypointWithTheSameJvmOptions(String overlay) throws Exception {
    assertThat(operator(deployment(overlay)).getCommand()).isEqualTo(dockerfileEntrypoint());
  }

  /**
   * The archive the JVM options name must be the one the image dumps, for the jar the ENTRYPOINT
   * runs (an archive for another jar path is silently ignored, so nothing else would notice), from
   * the checked-in class list, which must name the operator's existing classes.
   */
  @Test
  void theImageDumpsTheClassArchiveTheEntrypointMaps() throws Exception {
    List<String> entrypoint = dockerfileEntrypoint();
    String archive =
        entrypoint.stream()
            .filter(o -> o.startsWith("-XX:SharedArchiveFile="))
            .map(o -> o.substring("-XX:SharedArchiveFile=".length()))
            .findFirst()
            .orElseThrow();
    String jar = entrypoint.get(entrypoint.indexOf("-jar") + 1);
    String dockerfile = Files.readString(Manifests.DEPLOY.getParent().resolve("Dockerfile"));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "(?m)^RUN\\s+(\\[\"[^\"]*java\", \"-Xshare:dump\".*\\])\\s*$")
            .matcher(dockerfile);
    assertThat(m.find()).as("an exec-form RUN java -Xshare:dump in the Dockerfile").isTrue();
    List<String> dump =
        List.of(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(m.group(1), String[].class));
    assertThat(dump.get(0)).isEqualTo(entrypoint.get(0));
    assertThat(dump).contains("-XX:SharedArchiveFile=" + archive, "-cp", jar);
    String classList =
        dump.stream()
            .filter(o -> o.startsWith("-XX:SharedClassListFile="))
            .map(o -> o.substring("-XX:SharedClassListFile=".length()))
            .findFirst()
            .orElseThrow();
    assertThat(dockerfile)
        .contains("COPY deploy/cds/vmgroup-operator.classlist " + classList + "\n");

    // Rot check: most of the operator's own classes on the list still exist. A few renamed ones
    // only cost start-up time; scripts/cds-classlist.sh makes a new list.
    List<String> own =
        Files.readAllLines(Manifests.DEPLOY.resolve("cds/vmgroup-operator.classlist")).stream()
            .filter(l -> l.startsWith("com/codeconnect/vmgroup/") && !l.contains(" "))
            .toList();
    assertThat(own).hasSizeGreaterThan(100);
    long present =
        own.stream()
            .filter(c -> getClass().getClassLoader().getResource(c + ".class") != null)
            .count();
    assertThat(present)
        .as("operator classes of the class list that still exist (scripts/cds-classlist.sh)")
        .isGreaterThanOrEqualTo(own.size() * 9L / 10);
  }

  /** The exec-form ENTRYPOINT of the Dockerfile, as a list. */
  static List<String> dockerfileEntrypoint() throws Exception {
    String dockerfile = Files.readString(Manifests.DEPLOY.getParent().resolve("Dockerfile"));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*\\])\\s*$").matcher(dockerfile);
    assertThat(m.find()).as("an exec-form ENTRYPOINT in the Dockerfile").isTrue();
    return List.of(
        new com.fasterxml.jackson.databind.ObjectMapper().readValue(m.group(1), String[].class));
  }

  private static void assertProbe(Probe probe, String path) {
    assertThat(probe).as("probe %s", path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(probe.getTimeoutSeconds()).isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "ha", "namespaced", "dev", "monitoring", "vcenters"})
  void credentialsComeFromTheVcCredsSecretWithThePasswordAsAFile(String overlay) {
    Deployment d = deployment(overlay);
    Container c = operator(d);
    Map<String, EnvVar> env = env(c);
    for (String key : List.of("VC_HOST", "VC_USER")) {
      var ref = env.get(key).getValueFrom().getSecretKeyRef();
      assertThat(ref.getName()).as(key).isEqualTo("vc-creds");
      assertThat(ref.getKey()).as(key).isEqualTo(key);
      assertThat(ref.getOptional()).as(key).isNotEqualTo(Boolean.TRUE);
    }
    assertThat(env.get("VC_PASS_FILE").getValue()).isEqualTo("/etc/vc-creds/VC_PASS");

    Volume creds =
        d.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getSecret() != null)
            .collect(onlyOne());
    assertThat(creds.getSecret().getSecretName()).isEqualTo("vc-creds");
    assertThat(creds.getSecret().getItems())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getKey()).isEqualTo("VC_PASS");
              assertThat(i.getPath()).isEqualTo("VC_PASS");
            });
    // group-readable for the pod's fsGroup, not world-readable
    assertThat(creds.getSecret().getDefaultMode()).isEqualTo(0440);
    assertThat(c.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo(creds.getName());
              assertThat(m.getMountPath()).isEqualTo("/etc/vc-creds");
              assertThat(m.getReadOnly()).isTrue();
            });
    // the only other volume is the writable /tmp
    assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
        .allSatisfy(v -> assertThat(v.getSecret() != null || v.getEmptyDir() != null).isTrue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "ha", "namespaced", "dev", "monitoring", "vcenters"})
  void tlsVerificationIsOnExceptInDev(String overlay) {
    Container c = operator(deployment(overlay));
    Map<String, EnvVar> env = env(c);
    List<String> args = Optional.ofNullable(c.getArgs()).orElse(List.of());
    List<String> command = Optional.ofNullable(c.getCommand()).orElse(List.of());
    assertThat(Stream.concat(args.stream(), command.stream()))
        .noneMatch(a -> a.contains("insecure"));
    if (overlay.equals("dev")) {
      assertThat(env.get("VC_INSECURE").getValue()).isEqualTo("true");
      assertThat(deployment(overlay).getMetadata().getAnnotations())
          .containsKey("vmgroup.codeconnect.vmworld.com/dev-only");
    } else {
      assertThat(env).doesNotContainKey("VC_INSECURE");
    }
    assertThat(Manifests.render(overlay).contains("VC_INSECURE")).isEqualTo(overlay.equals("dev"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "ha", "namespaced", "dev", "monitoring", "vcenters"})
  void onlyTheHaOverlayRunsTwoReplicasWithLeaderElection(String overlay) {
    Deployment d = deployment(overlay);
    Container c = operator(d);
    Map<String, EnvVar> env = env(c);
    List<String> args = Optional.ofNullable(c.getArgs()).orElse(List.of());
    if (overlay.equals("ha")) {
      assertThat(d.getSpec().getReplicas()).isEqualTo(2);
      assertThat(args).contains("--leader-election");
      assertThat(env.get("LEADER_ELECTION").getValue()).isEqualTo("true");
      assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    } else {
      assertThat(d.getSpec().getReplicas()).isEqualTo(1);
      assertThat(args).doesNotContain("--leader-election");
      assertThat(env).doesNotContainKey("LEADER_ELECTION");
      // without leader election a rollout must not overlap two operators
      assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "ha", "namespaced", "dev", "monitoring", "vcenters"})
  void onlyTheNamespacedOverlayLimitsTheWatch(String overlay) {
    Map<String, EnvVar> env = env(operator(deployment(overlay)));
    if (overlay.equals("namespaced")) {
      assertThat(env.get("WATCH_NAMESPACES").getValue()).isEqualTo("team-a,team-b");
      assertThat(ofType(rendered(overlay), ClusterRole.class))
          .noneMatch(
              cr ->
                  cr.getRules().stream()
                      .anyMatch(
                          r -> r.getResources().stream().anyMatch(x -> x.startsWith("vmgroups"))));
    } else {
      assertThat(env).doesNotContainKey("WATCH_NAMESPACES");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "ha", "namespaced", "dev", "monitoring", "vcenters"})
  void theMetricsServiceSelectsTheOperatorPods(String overlay) {
    Deployment d = deployment(overlay);
    Service s = one(rendered(overlay), Service.class);
    assertThat(s.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(s.getSpec().getSelector());
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .containsAllEntriesOf(s.getSpec().getSelector());
    assertThat(s.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getPort()).isEqualTo(8080);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
  }

  @Test
  void theServiceMonitorScrapesTheMetricsService() {
    List<HasMetadata> all = rendered("monitoring");
    GenericKubernetesResource sm = one(all, GenericKubernetesResource.class);
    assertThat(sm.getKind()).isEqualTo("ServiceMonitor");
    Service svc = one(all, Service.class);
    @SuppressWarnings("unchecked")
    Map<String, String> match = (Map<String, String>) sm.get("spec", "selector", "matchLabels");
    assertThat(svc.getMetadata().getLabels()).containsAllEntriesOf(match);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> endpoints = (List<Map<String, Object>>) sm.get("spec", "endpoints");
    assertThat(endpoints)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e).containsEntry("port", "http").containsEntry("path", "/metrics");
            });
    assertThat(sm.getAdditionalProperties().keySet()).isSubsetOf(Set.of("spec"));
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) sm.get("spec");
    assertThat(spec.keySet()).isSubsetOf(Set.of("selector", "namespaceSelector", "endpoints"));
  }
}
