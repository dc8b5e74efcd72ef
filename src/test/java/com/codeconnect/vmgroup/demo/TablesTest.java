package com.codeconnect.vmgroup.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The demo's `kubectl get vg -A` table has the columns a cluster prints from the CRD. */
class TablesTest {
  @Test
  void theGroupTableHasTheCrdsPrinterColumns() throws Exception {
    CustomResourceDefinition crd;
    try (InputStream in =
        Files.newInputStream(Path.of("deploy/crd/vmgroups.vm.codeconnect.vmworld.com-v1.yml"))) {
      crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
    List<String> expected = new ArrayList<>(List.of("NAMESPACE", "NAME"));
    for (CustomResourceColumnDefinition c :
        crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns()) {
      expected.add(c.getName().toUpperCase(Locale.ROOT));
    }
    String header = Tables.vmGroups(List.of()).lines().findFirst().orElseThrow();
    assertThat(header.trim().split("\\s+")).containsExactlyElementsOf(expected);
  }
}
