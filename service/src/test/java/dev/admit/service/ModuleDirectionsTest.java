package dev.admit.service;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The modules depend one way: domain ◀ store ◀ projection / mail ◀ core ◀ api ◀ starter ◀ service, and the heavy parts
 * stay where they belong, so a host that leaves out the API server or the embedded database does not carry them.
 */
@AnalyzeClasses(packages = "dev.admit", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleDirectionsTest {

    @ArchTest
    static final ArchRule modules_depend_one_way = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("domain")
            .definedBy("dev.admit.domain..")
            .layer("store")
            .definedBy("dev.admit.store..")
            .layer("projection")
            .definedBy("dev.admit.projection..")
            .layer("mail")
            .definedBy("dev.admit.mail..")
            .layer("core")
            .definedBy("dev.admit.core..")
            .layer("api")
            .definedBy("dev.admit.api..", "dev.admit.wire..")
            .layer("starter")
            .definedBy("dev.admit.spring..")
            .layer("embedded")
            .definedBy("dev.admit.embedded..")
            .layer("service")
            .definedBy("dev.admit.service..")
            .layer("test kit")
            .definedBy("dev.admit.test..")
            .whereLayer("service")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("test kit")
            .mayNotBeAccessedByAnyLayer()
            // the service's command line connects to the cluster a serving node of the same data directory runs
            .whereLayer("embedded")
            .mayOnlyBeAccessedByLayers("service")
            .whereLayer("starter")
            .mayOnlyBeAccessedByLayers("service")
            .whereLayer("api")
            .mayOnlyBeAccessedByLayers("starter", "service")
            .whereLayer("mail")
            .mayOnlyBeAccessedByLayers("starter", "service")
            .whereLayer("core")
            .mayOnlyBeAccessedByLayers("api", "starter", "service")
            .whereLayer("projection")
            .mayOnlyBeAccessedByLayers("core", "api", "starter", "service")
            .whereLayer("store")
            .mayOnlyBeAccessedByLayers("projection", "mail", "core", "api", "starter", "service", "test kit")
            .whereLayer("domain")
            .mayOnlyBeAccessedByLayers("store", "projection", "mail", "core", "api", "starter", "service", "test kit");

    @ArchTest
    static final ArchRule only_the_api_speaks_grpc_and_http = noClasses()
            .that()
            .resideOutsideOfPackages("dev.admit.api..", "dev.admit.wire..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("com.linecorp.armeria..", "io.grpc..", "com.google.protobuf..", "io.netty..");

    @ArchTest
    static final ArchRule only_the_embedded_database_and_the_test_kit_run_postgresql = noClasses()
            .that()
            .resideOutsideOfPackages("dev.admit.embedded..", "dev.admit.test..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.zonky..");

    @ArchTest
    static final ArchRule the_model_and_its_stores_need_no_spring_boot = noClasses()
            .that()
            .resideInAnyPackage(
                    "dev.admit.domain..",
                    "dev.admit.store..",
                    "dev.admit.projection..",
                    "dev.admit.mail..",
                    "dev.admit.api..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework.boot..");

    @ArchTest
    static final ArchRule axons_replacements_stay_in_their_own_package = noClasses()
            .that()
            .resideOutsideOfPackage("dev.admit.store.axon..")
            .should()
            .beAssignableTo(org.axonframework.eventsourcing.eventstore.EmbeddedEventStore.class)
            .orShould()
            .beAssignableTo(org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine.class);
}
