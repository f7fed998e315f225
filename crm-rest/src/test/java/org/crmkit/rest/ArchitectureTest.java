package org.crmkit.rest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The API ({@code org.crmkit.rest}) shows no internal type and no third-party type but the two it is about: Javalin's
 * {@code JavalinConfig} (to mount into a host's app) and Nimbus's {@code JWKSet} (keys held in memory). The module uses
 * crm-core's API only: none of its internals, no storage implementation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchitectureTest {
    private static final Set<String> ALLOWED = Set.of("io.javalin.config.JavalinConfig",
            "com.nimbusds.jose.jwk.JWKSet");
    private JavaClasses classes;

    @BeforeAll
    void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.crmkit.rest");
    }

    private static boolean forbidden(JavaClass c) {
        String n = c.getName();
        if (ALLOWED.contains(n)) {
            return false;
        }
        return c.getPackageName().contains(".internal") || n.startsWith("io.javalin.") || n.startsWith("com.nimbusds.")
                || n.startsWith("com.fasterxml.") || n.startsWith("org.eclipse.jetty.") || n.startsWith("kotlin.")
                || n.startsWith("com.github.benmanes.");
    }

    private static final ArchCondition<JavaClass> NOT_EXPOSE = new ArchCondition<>(
            "not expose internal or third-party types in public signatures") {
        @Override
        public void check(JavaClass c, ConditionEvents events) {
            for (JavaCodeUnit m : c.getCodeUnits()) {
                Set<JavaModifier> mods = m.getModifiers();
                boolean visible = mods.contains(JavaModifier.PUBLIC) || mods.contains(JavaModifier.PROTECTED);
                if (visible && !m.getName().equals("<clinit>") && (exposes(m.getReturnType())
                        || m.getParameterTypes().stream().anyMatch(ArchitectureTest::exposes))) {
                    events.add(SimpleConditionEvent.violated(m, m.getFullName() + " exposes a hidden type"));
                }
            }
        }
    };

    private static boolean exposes(JavaType t) {
        return t.getAllInvolvedRawTypes().stream().anyMatch(ArchitectureTest::forbidden);
    }

    @Test
    void apiDoesNotExposeInternalOrThirdPartyTypes() {
        classes().that().resideInAPackage("org.crmkit.rest").and().arePublic().should(NOT_EXPOSE).check(classes);
    }

    @Test
    void theExposureCheckNoticesExposure() {
        assertThat(classes().that().haveFullyQualifiedName("org.crmkit.rest.internal.RestRouter").should(NOT_EXPOSE)
                .evaluate(classes).hasViolation()).isTrue();
    }

    @Test
    void usesCrmCoresApiOnly() {
        noClasses().that().resideInAPackage("org.crmkit.rest..").should().dependOnClassesThat()
                .resideInAnyPackage("org.crmkit.internal..", "org.crmkit.storage..").check(classes);
    }

    @Test
    void theImportSeesTheModule() {
        assertThat(classes.contain("org.crmkit.rest.internal.RecordsResource")).isTrue();
    }
}
