package org.crmkit.micrometer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module uses the other modules' API and SPI only, never their internals, and no HikariCP type. */
class ArchitectureTest {
    @Test
    void usesNoInternalsOfOtherModules() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.crmkit.micrometer");
        noClasses().that().resideInAPackage("org.crmkit.micrometer..").should().dependOnClassesThat()
                .resideInAnyPackage("org.crmkit.internal..", "org.crmkit..internal..", "com.zaxxer..")
                .check(classes);
    }
}
