package com.codeconnect.vmgroup.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.BootstrapSpec;
import com.codeconnect.vmgroup.api.v1alpha1.SecretKeyRef;
import com.codeconnect.vmgroup.api.v1alpha1.VCenter;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.config.VcenterAddress;
import com.codeconnect.vmgroup.decision.SpecValidator;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample is a VmGroup the operator accepts, with nothing the model doesn't know, or a Secret
 * one of them reads.
 */
class SamplesTest {
  static Stream<Path> samples() throws IOException {
    return files().filter(p -> !isSecret(p));
  }

  static Stream<Path> secretSamples() throws IOException {
    return files().filter(SamplesTest::isSecret);
  }

  private static Stream<Path> files() throws IOException {
    return Files.list(Path.of("deploy/samples"))
        .filter(p -> p.toString().endsWith(".yaml"))
        .sorted();
  }

  private static boolean isSecret(Path p) {
    try {
      return "Secret".equals(Serialization.unmarshal(Files.readString(p), Map.class).get("kind"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A sample Secret holds the key a sample group reads, and nothing that looks like a real
   * credential: a sample is copied as it is.
   */
  @ParameterizedTest
  @MethodSource("secretSamples")
  void sampleSecretIsReadByASampleGroup(Path sample) throws IOException {
    Secret secret = Serialization.unmarshal(Files.readString(sample), Secret.class);
    assertThat(secret.getStringData()).as("readable in the sample").isNotEmpty();
    assertThat(secret.getData()).isNullOrEmpty();
    List<SecretKeyRef> refs = new ArrayList<>();
    for (Path p : samples().toList()) {
      VmGroup group = Serialization.unmarshal(Files.readString(p), VmGroup.class);
      BootstrapSpec bootstrap = group.getSpec().getBootstrap();
      if (bootstrap != null && bootstrap.secretRef() != null) {
        refs.add(bootstrap.secretRef());
      }
    }
    assertThat(refs)
        .anySatisfy(
            r -> {
              assertThat(r.getName()).isEqualTo(secret.getMetadata().getName());
              assertThat(secret.getStringData()).containsKey(r.getKey());
            });
    assertThat(String.join("\n", secret.getStringData().values()).toLowerCase())
        .doesNotContain("password:", "passwd:", "private key", "ssh-rsa ", "ssh-ed25519 ");
  }

  @ParameterizedTest
  @MethodSource("samples")
  void sampleIsAValidVmGroup(Path sample) throws IOException {
    String yaml = Files.readString(sample);
    VmGroup group = Serialization.unmarshal(yaml, VmGroup.class);
    assertThat(group.getMetadata().getName()).isNotBlank();
    assertThat(SpecValidator.validate(group.getSpec(), 100)).isEmpty();
    BootstrapSpec bootstrap = group.getSpec().getBootstrap();
    if (bootstrap != null && bootstrap.secretRef() != null) {
      SecretKeyRef ref = bootstrap.secretRef();
      assertThat(secretSamples())
          .as("the sample Secret %s that %s reads", ref.getName(), sample)
          .anySatisfy(
              p -> {
                Secret secret = Serialization.unmarshal(Files.readString(p), Secret.class);
                assertThat(secret.getMetadata().getName()).isEqualTo(ref.getName());
                assertThat(secret.getStringData()).containsKey(ref.getKey());
              });
    }
    // a field the model doesn't know would be dropped silently: compare the round trip
    Object original = Serialization.unmarshal(yaml, Object.class);
    Object roundTrip = Serialization.unmarshal(Serialization.asYaml(group), Object.class);
    assertThat(spec(roundTrip)).isEqualTo(spec(original));
  }

  static Stream<Path> vcenterSamples() throws IOException {
    return Files.list(Path.of("deploy/samples/vcenters"))
        .filter(p -> p.toString().endsWith(".yaml"))
        .sorted();
  }

  @ParameterizedTest
  @MethodSource("vcenterSamples")
  void sampleIsAValidVCenter(Path sample) throws IOException {
    String yaml = Files.readString(sample);
    VCenter vc = Serialization.unmarshal(yaml, VCenter.class);
    assertThat(vc.getMetadata().getName()).isNotBlank();
    assertThat(vc.getMetadata().getNamespace()).as("cluster-scoped").isNull();
    assertThat(VcenterAddress.sdkUrl(vc.getSpec().url).getScheme()).isEqualTo("https");
    assertThat(vc.getSpec().credentialsSecretRef.name).isNotBlank();
    assertThat(vc.getSpec().tls == null || vc.getSpec().tls.insecureSkipVerifyDevOnly == null)
        .as("a sample must not teach skipping TLS verification")
        .isTrue();
    Object original = Serialization.unmarshal(yaml, Object.class);
    Object roundTrip = Serialization.unmarshal(Serialization.asYaml(vc), Object.class);
    assertThat(spec(roundTrip)).isEqualTo(spec(original));
  }

  @SuppressWarnings("unchecked")
  private static Object spec(Object resource) {
    return ((java.util.Map<String, Object>) resource).get("spec");
  }
}
