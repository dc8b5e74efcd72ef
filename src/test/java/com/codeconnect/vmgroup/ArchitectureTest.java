package com.codeconnect.vmgroup;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the packages, checked at every build (docs/architecture.md draws it). A rule
 * broken here fails {@code mvn verify}: fix the dependency, don't widen the rule without saying why
 * in the architecture doc.
 */
class ArchitectureTest {
  static final String ROOT = "com.codeconnect.vmgroup";
  private static final String PROJECT = ROOT + "..";
  private static final String API = ROOT + ".api..";
  private static final String SEAM = ROOT + ".vsphere";
  private static final String CACHE = ROOT + ".vsphere.cache..";
  private static final String SOAP = ROOT + ".vsphere.soap..";
  private static final String REST = ROOT + ".vsphere.rest..";
  private static final String DECISION = ROOT + ".decision..";
  private static final String ENDPOINT = ROOT + ".endpoint..";
  private static final String CONTROLLER = ROOT + ".controller..";
  private static final String APP = ROOT + ".app..";
  private static final String DEMO = ROOT + ".demo..";
  private static final String CONFIG = ROOT + ".config..";
  private static final String OBSERVABILITY = ROOT + ".observability..";
  private static JavaClasses classes;

  @BeforeAll
  static void importProductionClasses() {
    // the main classes' own directory (or jar): whatever the build directory is called, no test
    // class is among them
    try {
      classes =
          new ClassFileImporter()
              .importPath(
                  java.nio.file.Path.of(
                      Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void check(ArchRule rule) {
    rule.check(classes);
  }

  /** The CRD model is generated into the CRD and read by everything: it depends on nothing. */
  @Test
  void apiImportsNothingOfTheProject() {
    check(
        noClasses()
            .that()
            .resideInAPackage(API)
            .should()
            .dependOnClassesThat(resideInAPackage(PROJECT).and(not(resideInAPackage(API)))));
  }

  /** Only the SOAP client knows XML; everything else deals in domain records. */
  @Test
  void onlyTheSoapClientKnowsXml() {
    check(
        noClasses()
            .that()
            .resideOutsideOfPackage(SOAP)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javax.xml..", "org.w3c.dom..", "org.xml.sax.."));
  }

  /**
   * The REST client is the SOAP client's sibling, which only the SOAP factory puts beside it: it
   * knows the seam and the REST wire, nothing of SOAP; nothing but the SOAP factory knows it.
   */
  @Test
  void theRestClientIsASiblingBehindTheSeam() {
    check(
        noClasses()
            .that()
            .resideInAPackage(REST)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(SOAP));
    check(
        noClasses()
            .that()
            .resideOutsideOfPackages(REST, SOAP)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(REST));
  }

  /** HTTP is spoken by the two vCenter clients and the simulator launcher's wrapper only. */
  @Test
  void onlyTheClientsSpeakHttp() {
    check(
        noClasses()
            .that()
            .resideOutsideOfPackages(SOAP, REST, DEMO)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("java.net.http.."));
  }

  /**
   * The SOAP client is chosen where the operator is put together (Main, app, demo) and nowhere
   * else: controllers, the per-vCenter runtime and the decisions see the {@code VsphereClient} seam
   * only.
   */
  @Test
  void onlyTheWiringChoosesTheSoapClient() {
    check(
        noClasses()
            .that()
            .resideOutsideOfPackages(SOAP, APP, DEMO)
            .and()
            .doNotHaveFullyQualifiedName(ROOT + ".Main")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(SOAP));
  }

  /** Controllers reach vCenter through the seam and the per-vCenter runtime, never the wire. */
  @Test
  void controllersReachVcenterOnlyThroughTheSeam() {
    check(
        noClasses()
            .that()
            .resideInAPackage(CONTROLLER)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(SOAP, REST, CACHE));
  }

  /** The seam and the change-fed cache know vCenter only, nothing of Kubernetes or the operator. */
  @Test
  void theSeamStandsAlone() {
    check(
        noClasses()
            .that()
            .resideInAnyPackage(SEAM, CACHE, SOAP, REST)
            .should()
            .dependOnClassesThat(
                resideInAPackage(PROJECT)
                    .and(not(resideInAnyPackage(SEAM, CACHE, SOAP, REST)))
                    .or(resideInAnyPackage("io.fabric8..", "io.javaoperatorsdk.."))));
  }

  /** Decisions are pure: no vCenter, no API server, no runtime state, no clock of their own. */
  @Test
  void decisionsArePure() {
    check(
        noClasses()
            .that()
            .resideInAPackage(DECISION)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                ENDPOINT,
                CONTROLLER,
                APP,
                DEMO,
                CONFIG,
                OBSERVABILITY,
                SOAP,
                CACHE,
                REST,
                "io.javaoperatorsdk..",
                "io.fabric8.kubernetes.client..",
                "java.net..",
                "java.nio.file.."));
  }

  /** The per-vCenter runtime serves the controllers and doesn't know them. */
  @Test
  void theRuntimeDoesNotKnowTheControllers() {
    check(
        noClasses()
            .that()
            .resideInAPackage(ENDPOINT)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(CONTROLLER, APP));
  }

  @Test
  void controllersAreIndependentOfEachOther() {
    check(slices().matching(ROOT + ".controller.(*)..").should().notDependOnEachOther());
  }

  /** Nothing but Main and the demo depends on the wiring. */
  @Test
  void nothingDependsOnTheWiring() {
    check(
        noClasses()
            .that()
            .resideOutsideOfPackages(APP, DEMO)
            .and()
            .doNotHaveFullyQualifiedName(ROOT + ".Main")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(APP));
  }

  @Test
  void noPackageCycles() {
    check(slices().matching(ROOT + ".(**)").should().beFreeOfCycles());
  }
}
