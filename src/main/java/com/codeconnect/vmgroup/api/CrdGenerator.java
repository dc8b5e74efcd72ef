package com.codeconnect.vmgroup.api;

import com.codeconnect.vmgroup.api.v1alpha1.VCenter;
import com.codeconnect.vmgroup.api.v1alpha1.VmGroup;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Build step: generates the CRDs from the API model and compares them with the checked-in copies.
 *
 * <p>Arguments: output directory, checked-in directory, "true" to overwrite the checked-in copies
 * instead of failing when they differ, and the checked-in API reference rendered from the CRD. Runs
 * at build time only (the generator is a provided dependency and not part of the runnable jar).
 */
public final class CrdGenerator {
  private CrdGenerator() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    Path checkedIn = Path.of(args[1]);
    boolean update = args.length > 2 && Boolean.parseBoolean(args[2]);
    Files.createDirectories(out);
    new CRDGenerator()
        .inOutputDir(out.toFile())
        .forCRDVersions("v1")
        .withPostProcessor(
            new CRDPostProcessor() {
              @Override
              public HasMetadata process(HasMetadata crd, String version) {
                if (crd instanceof CustomResourceDefinition definition) {
                  orderPrinterColumns(
                      definition,
                      "VCenter".equals(definition.getSpec().getNames().getKind())
                          ? VCenter.class
                          : VmGroup.class);
                }
                return crd;
              }
            })
        .customResourceClasses(VmGroup.class, VCenter.class)
        .generate();

    // generated file -> checked-in copy
    java.util.Map<Path, Path> copies = new java.util.LinkedHashMap<>();
    try (var files = Files.list(out)) {
      files
          .filter(f -> f.toString().endsWith("-v1.yml"))
          .sorted()
          .forEach(f -> copies.put(f, checkedIn.resolve(f.getFileName())));
    }
    if (args.length > 3) {
      List<CustomResourceDefinition> crds = new java.util.ArrayList<>();
      for (String plural : List.of("vmgroups", "vcenters")) {
        try (var in = Files.newInputStream(out.resolve(plural + "." + VmGroup.GROUP + "-v1.yml"))) {
          crds.add(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(in));
        }
      }
      Path reference = out.resolve("api-reference.md");
      Files.writeString(reference, ApiReference.render(crds));
      copies.put(reference, Path.of(args[3]));
    }
    List<Path> stale = new java.util.ArrayList<>();
    for (var e : copies.entrySet()) {
      if (!sameContent(e.getKey(), e.getValue())) {
        stale.add(e.getValue());
        if (update) {
          Files.createDirectories(e.getValue().getParent());
          Files.copy(e.getKey(), e.getValue(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          System.out.println("updated " + e.getValue());
        }
      }
    }
    if (!stale.isEmpty() && !update) {
      System.err.println(
          "The checked-in CRD or API reference differs from what the Java model generates: "
              + stale
              + ". Run: mvn process-classes -Dcrd.update=true, and commit the result.");
      System.exit(1);
    }
  }

  /** kubectl shows columns in CRD order; keep the order the annotations are declared in. */
  static void orderPrinterColumns(CustomResourceDefinition crd, Class<?> type) {
    List<String> declared =
        Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    crd.getSpec()
        .getVersions()
        .forEach(
            v -> {
              if (v.getAdditionalPrinterColumns() != null) {
                v.getAdditionalPrinterColumns()
                    .sort(
                        Comparator.comparingInt(
                            (CustomResourceColumnDefinition c) -> {
                              int i = declared.indexOf(c.getName());
                              return i < 0 ? Integer.MAX_VALUE : i;
                            }));
              }
            });
  }

  private static boolean sameContent(Path a, Path b) {
    try {
      return Files.exists(b) && Files.mismatch(a, b) == -1;
    } catch (IOException e) {
      return false;
    }
  }
}
