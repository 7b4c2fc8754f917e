package dev.admit.domain;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.Username;

@AnalyzeClasses(packages = "dev.admit.domain", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule the_domain_does_not_depend_on_spring = noClasses()
            .that()
            .resideInAPackage("dev.admit.domain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "org.axonframework.spring..")
            .because("the write model must stay usable without a Spring context");

    @ArchTest
    static final ArchRule messages_use_only_the_value_objects_of_the_user_package = noClasses()
            .that()
            .resideInAPackage("dev.admit.domain.message..")
            .should()
            .dependOnClassesThat(resideInAPackage("dev.admit.domain.user..")
                    .and(not(belongToAnyOf(
                            UserId.class, OrgId.class, OrgScope.class, Username.class, EmailAddress.class))))
            .because("commands and events are the contract; the aggregate's internals must not leak into them");

    @ArchTest
    static final ArchRule the_domain_does_not_use_java_util_logging =
            GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    @ArchTest
    static final ArchRule the_domain_does_not_write_to_standard_streams =
            GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

    @ArchTest
    static final ArchRule the_domain_does_not_call_system_out_explicitly = noClasses()
            .should()
            .accessField(System.class, "out")
            .orShould()
            .accessField(System.class, "err")
            .because("the domain has nothing to print; errors are answers, not log lines");
}
