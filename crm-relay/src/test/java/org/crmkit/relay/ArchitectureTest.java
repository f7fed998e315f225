package org.crmkit.relay;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The relay uses crm-core's API and SPI only (never its {@code internal} packages), and its API and SPI show no
 * internal or Jackson type.
 */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.crmkit.relay");

    @Test
    void usesNoInternalsOfCrmCore() {
        assertThat(classes.contain("org.crmkit.relay.internal.RelayEngine")).isTrue();
        noClasses().should().dependOnClassesThat().resideInAPackage("org.crmkit.internal..").check(classes);
    }

    @Test
    void theApiShowsNoInternalOrThirdPartyType() {
        methods().that().arePublic().and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                .should().haveRawReturnType(com.tngtech.archunit.base.DescribedPredicate.describe("a visible type",
                        t -> !t.getPackageName().contains(".internal") && !t.getName().startsWith("com.fasterxml")))
                .check(classes);
        methods().that().arePublic().and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
                .should(com.tngtech.archunit.lang.conditions.ArchConditions.not(
                        com.tngtech.archunit.lang.conditions.ArchConditions.haveRawParameterTypes(
                                com.tngtech.archunit.base.DescribedPredicate.describe("an internal type",
                                        (java.util.List<com.tngtech.archunit.core.domain.JavaClass> ps) -> ps
                                                .stream().anyMatch(p -> p.getPackageName().contains(".internal")
                                                        || p.getName().startsWith("com.fasterxml"))))))
                .check(classes);
    }
}
