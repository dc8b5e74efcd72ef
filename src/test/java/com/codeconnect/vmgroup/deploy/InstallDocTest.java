package com.codeconnect.vmgroup.deploy;

import static com.codeconnect.vmgroup.deploy.Manifests.one;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.decision.SpecValidator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Install on a cluster" walks from {@code kubectl apply -k deploy/default} to a
 * running group. No cluster is available to run it, so this checks what can be checked without one:
 * every path it names exists, every overlay renders to valid objects, every file it applies is
 * valid, and the names it uses (namespace, Secret and its keys, Deployment, image, short name,
 * template) are the ones the rendered manifests and samples use. Every {@code kubectl} command of
 * the section must be of a kind checked here, so a new step can't slip in unchecked.
 */
class InstallDocTest {
  static final Path ROOT = Manifests.DEPLOY.getParent();
  static final String HEADING = "## Install on a cluster";

  private static final Pattern PATH =
      Pattern.compile("(?<![\\w/.-])((?:deploy|docs)/[\\w./-]*[\\w/]|Dockerfile)(?![\\w/-])");
  private static final Pattern INLINE_KUBECTL = Pattern.compile("`(kubectl [^`]+)`");

  /**
   * Repository paths a text names. {@code kubectl ... deploy/<name>} is kubectl's short form of a
   * Deployment, not a path.
   */
  static Set<String> paths(String text) {
    Set<String> paths = new LinkedHashSet<>();
    Matcher m =
        PATH.matcher(text.replaceAll("(status|logs|port-forward) deploy/", "$1 deployment/"));
    while (m.find()) {
      paths.add(m.group(1));
    }
    return paths;
  }

  static String readme() throws IOException {
    return Files.readString(ROOT.resolve("README.md"));
  }

  /** The section from its heading to the next second-level heading. */
  static String section() throws IOException {
    String readme = readme();
    int start = readme.indexOf("\n" + HEADING + "\n");
    assertThat(start).as("README has the section '%s'", HEADING).isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  /** The commands of the section's ```bash blocks: continuations joined, comments dropped. */
  static List<String> blockCommands(String text) {
    List<String> commands = new ArrayList<>();
    Matcher block = Pattern.compile("(?s)```bash\\n(.*?)```").matcher(text);
    while (block.find()) {
      String joined = block.group(1).replaceAll("\\\\\\n\\s*", " ");
      for (String line : joined.split("\\n")) {
        String command = line.replaceAll("(^|\\s)#.*$", "").strip();
        if (!command.isEmpty()) {
          commands.add(command);
        }
      }
    }
    return commands;
  }

  /** Every kubectl command of the section: in its code blocks and inline in its prose. */
  static List<String> kubectlCommands(String text) {
    List<String> all = new ArrayList<>();
    blockCommands(text).stream().filter(c -> c.startsWith("kubectl ")).forEach(all::add);
    Matcher inline = INLINE_KUBECTL.matcher(text.replaceAll("(?s)```bash\\n.*?```", ""));
    while (inline.find()) {
      all.add(inline.group(1).replaceAll("\\s+", " "));
    }
    return all;
  }

  static List<String> words(String command) {
    return List.of(command.split("\\s+"));
  }

  /** The value after {@code flag} in a command, e.g. {@code -n}'s namespace. */
  static String after(String command, String flag) {
    List<String> w = words(command);
    int i = w.indexOf(flag);
    assertThat(i).as("'%s' in: %s", flag, command).isNotNegative();
    return w.get(i + 1);
  }

  static List<HasMetadata> rendered(String overlayDir) {
    assertThat(overlayDir).startsWith("deploy/");
    return Manifests.parseAll(Manifests.render(overlayDir.substring("deploy/".length())));
  }

  @Test
  void theSectionStartsFromApplyingTheDefaultOverlayAndEndsWithAGroup() throws IOException {
    List<String> commands = blockCommands(section());
    int apply = commands.indexOf("kubectl apply -k deploy/default");
    int secret =
        indexOfFirst(commands, c -> c.contains("create secret generic vc-creds"), "the Secret");
    int rollout = indexOfFirst(commands, c -> c.contains("rollout status"), "the rollout");
    int group = commands.indexOf("kubectl apply -f deploy/samples/vg-1.yaml");
    assertThat(apply).as("kubectl apply -k deploy/default").isNotNegative();
    assertThat(List.of(apply, secret, rollout, group)).isSorted();
    assertThat(commands.get(group + 1)).startsWith("kubectl get vg vg-1");
  }

  private static int indexOfFirst(
      List<String> commands, java.util.function.Predicate<String> p, String what) {
    for (int i = 0; i < commands.size(); i++) {
      if (p.test(commands.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no command for " + what + " in " + commands);
  }

  @Test
  void everyPathTheSectionNamesExists() throws IOException {
    Set<String> paths = paths(section());
    assertThat(paths)
        .contains("deploy/default", "deploy/samples/vg-1.yaml", "Dockerfile", "docs/operations.md");
    assertThat(paths).allSatisfy(p -> assertThat(ROOT.resolve(p)).as(p).exists());
  }

  @Test
  void everyOverlayTheSectionNamesRendersToValidObjects() throws IOException {
    Set<String> overlays = new LinkedHashSet<>();
    for (String p : paths(section())) {
      if (Files.isRegularFile(ROOT.resolve(p).resolve("kustomization.yaml"))) {
        overlays.add(p);
      }
    }
    assertThat(overlays)
        .contains("deploy/default", "deploy/ha", "deploy/namespaced", "deploy/monitoring");
    for (String overlay : overlays) {
      List<HasMetadata> objects = rendered(overlay);
      vmGroupCrd(objects);
      one(objects, Deployment.class);
      one(objects, Namespace.class);
    }
  }

  @Test
  void everyKubectlCommandIsOfAKindCheckedHere() throws IOException {
    List<String> commands = kubectlCommands(section());
    assertThat(commands).hasSizeGreaterThan(8);
    for (String c : commands) {
      List<String> w = words(c);
      String verb = w.get(1);
      if (c.contains(" -k ")) {
        assertThat(verb).as(c).isIn("apply", "delete");
        rendered(after(c, "-k"));
      } else if (c.contains(" -f ")) {
        assertThat(verb).as(c).isIn("apply", "delete");
        assertAppliable(after(c, "-f"));
      } else if (c.contains("create secret generic")) {
        assertSecretMatchesTheDeployment(c);
      } else if (w.contains("rollout")
          || w.contains("logs")
          || w.contains("port-forward")
          || verb.equals("describe") && w.get(2).equals("pod")) {
        assertNamesTheOperator(c);
      } else if (verb.equals("get") || verb.equals("describe")) {
        assertNamesTheSampleGroup(c);
      } else {
        throw new AssertionError("a kubectl command this test doesn't check: " + c);
      }
    }
  }

  /**
   * A file that {@code kubectl apply -f} takes: a VmGroup sample valid for the operator, or the
   * CRD.
   */
  private static void assertAppliable(String path) throws IOException {
    Path file = ROOT.resolve(path);
    assertThat(file).as(path).isRegularFile();
    String yaml = Files.readString(file);
    if (path.startsWith("deploy/samples/")) {
      VmGroup group = Serialization.unmarshal(yaml, VmGroup.class);
      assertThat(group.getMetadata().getName()).as(path).isNotBlank();
      assertThat(SpecValidator.validate(group.getSpec(), 100)).as(path).isEmpty();
    } else {
      assertThat(Manifests.ofType(Manifests.parseAll(yaml), CustomResourceDefinition.class))
          .as(path)
          .isNotEmpty();
    }
  }

  /**
   * The Secret the section creates is the one the Deployment reads: same namespace and name, and
   * exactly the keys it reads (VC_HOST and VC_USER as variables, VC_PASS as a mounted file).
   */
  private static void assertSecretMatchesTheDeployment(String command) {
    String namespace = after(command, "-n");
    String name = words(command).get(words(command).indexOf("generic") + 1);
    Set<String> keys = new HashSet<>();
    Matcher key = Pattern.compile("--from-(?:literal|file)=(\\w+)=").matcher(command);
    while (key.find()) {
      keys.add(key.group(1));
    }
    Deployment d = one(rendered("deploy/default"), Deployment.class);
    assertThat(d.getMetadata().getNamespace()).isEqualTo(namespace);
    Set<String> read = new HashSet<>();
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    for (EnvVar e : c.getEnv()) {
      if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
        assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo(name);
        read.add(e.getValueFrom().getSecretKeyRef().getKey());
      }
    }
    for (Volume v : d.getSpec().getTemplate().getSpec().getVolumes()) {
      if (v.getSecret() != null) {
        assertThat(v.getSecret().getSecretName()).isEqualTo(name);
        v.getSecret().getItems().stream().map(KeyToPath::getKey).forEach(read::add);
      }
    }
    assertThat(keys).as("the keys the section creates").isEqualTo(read).contains("VC_PASS");
  }

  /** {@code -n <ns> ... deploy/<name>}: the Deployment of the default overlay. */
  private static void assertNamesTheOperator(String command) {
    Deployment d = one(rendered("deploy/default"), Deployment.class);
    assertThat(after(command, "-n")).as(command).isEqualTo(d.getMetadata().getNamespace());
    if (command.contains("deploy/")) {
      assertThat(command).contains("deploy/" + d.getMetadata().getName());
    }
  }

  /** The VmGroup CRD among the rendered objects (the VCenter CRD comes with it). */
  private static CustomResourceDefinition vmGroupCrd(List<HasMetadata> objects) {
    List<CustomResourceDefinition> crds =
        Manifests.ofType(objects, CustomResourceDefinition.class).stream()
            .filter(c -> c.getSpec().getNames().getKind().equals("VmGroup"))
            .toList();
    assertThat(crds).hasSize(1);
    return crds.get(0);
  }

  /** {@code kubectl get vg vg-1}: the CRD's short name and the sample's name. */
  private static void assertNamesTheSampleGroup(String command) throws IOException {
    List<String> w = words(command);
    CustomResourceDefinition crd = vmGroupCrd(rendered("deploy/default"));
    assertThat(crd.getSpec().getNames().getShortNames()).contains(w.get(2));
    VmGroup sample =
        Serialization.unmarshal(
            Files.readString(ROOT.resolve("deploy/samples/vg-1.yaml")), VmGroup.class);
    assertThat(w.get(3)).as(command).isEqualTo(sample.getMetadata().getName());
  }

  @Test
  void theImageTheSectionBuildsIsTheImageTheDeploymentRuns() throws IOException {
    List<String> commands = blockCommands(section());
    String build =
        commands.stream().filter(c -> c.startsWith("docker build")).findFirst().orElseThrow();
    assertThat(build).endsWith(" .");
    assertThat(ROOT.resolve("Dockerfile")).isRegularFile();
    String image = after(build, "-t");
    for (String overlay : DeployManifestsTest.OVERLAYS) {
      Deployment d = one(rendered("deploy/" + overlay), Deployment.class);
      assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .as(overlay)
          .isEqualTo(image);
    }
    assertThat(commands).anyMatch(c -> c.equals("kind load docker-image " + image));
  }

  @Test
  void theTemplateTheSectionAsksForIsTheSamplesTemplate() throws IOException {
    VmGroup sample =
        Serialization.unmarshal(
            Files.readString(ROOT.resolve("deploy/samples/vg-1.yaml")), VmGroup.class);
    assertThat(section()).contains("`" + sample.getSpec().getTemplate() + "`");
  }

  @Test
  void theJarTheSectionRunsOutsideAClusterIsTheOneMavenBuilds() throws IOException {
    List<String> commands = blockCommands(section());
    assertThat(commands).contains("mvn package -DskipTests");
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
    assertThat(finalName.find()).isTrue();
    assertThat(commands).contains("java -jar target/" + finalName.group(1) + ".jar");
  }

  @Test
  void everyDeployPathInTheOperationsGuideExistsToo() throws IOException {
    String guide = Files.readString(ROOT.resolve("docs/operations.md"));
    Set<String> paths = paths(guide);
    assertThat(paths).isNotEmpty();
    assertThat(paths).allSatisfy(p -> assertThat(ROOT.resolve(p)).as(p).exists());
    for (String c : kubectlCommands(guide)) {
      if (c.contains(" -k ")) {
        rendered(after(c, "-k"));
      }
    }
  }
}
