package com.codeconnect.vmgroup.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.codeconnect.vmgroup.api.v1alpha1.VCenter;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import com.codeconnect.vmgroup.config.VcenterAddress;
import com.codeconnect.vmgroup.decision.SpecValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample is a VmGroup the operator accepts, with nothing the model doesn't know. */
class SamplesTest {
  static Stream<Path> samples() throws IOException {
    return Files.list(Path.of("deploy/samples"))
        .filter(p -> p.toString().endsWith(".yaml"))
        .sorted();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void sampleIsAValidVmGroup(Path sample) throws IOException {
    String yaml = Files.readString(sample);
    VmGroup group = Serialization.unmarshal(yaml, VmGroup.class);
    assertThat(group.getMetadata().getName()).isNotBlank();
    assertThat(SpecValidator.validate(group.getSpec(), 100)).isEmpty();
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
