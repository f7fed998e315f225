package org.crmkit.workflow;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The workflow API ({@code org.crmkit.workflow}) shows no internal type, and no CEL, Jackson, cron-utils or HTTP client
 * type; the module uses no other module's internals but crm-core's CEL layer ({@code org.crmkit.internal.cel}: one
 * environment, type table, value conversion and budget for every CEL expression, so that record rules, formulas and
 * workflow conditions cannot drift apart).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchitectureTest {
    private JavaClasses classes;

    @BeforeAll
    void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.crmkit.workflow");
    }

    private static boolean forbidden(JavaClass c) {
        String n = c.getName();
        return c.getPackageName().contains(".internal") || n.startsWith("dev.cel.") || n.startsWith("com.google.")
                || n.startsWith("com.fasterxml.") || n.startsWith("com.cronutils.") || n.startsWith("java.net.http.")
                || n.startsWith("org.jooq.") || n.startsWith("com.zaxxer.");
    }

    private static boolean exposes(JavaType t) {
        return t.getAllInvolvedRawTypes().stream().anyMatch(ArchitectureTest::forbidden);
    }

    private static boolean visible(Set<JavaModifier> m) {
        return m.contains(JavaModifier.PUBLIC) || m.contains(JavaModifier.PROTECTED);
    }

    private static final ArchCondition<JavaClass> NOT_EXPOSE = new ArchCondition<>(
            "not expose internal or third-party types in public signatures") {
        @Override
        public void check(JavaClass c, ConditionEvents events) {
            Predicate<JavaType> bad = ArchitectureTest::exposes;
            if (c.getSuperclass().map(bad::test).orElse(false) || c.getInterfaces().stream().anyMatch(bad)) {
                events.add(SimpleConditionEvent.violated(c, c.getName() + " extends or implements a hidden type"));
            }
            for (JavaCodeUnit m : c.getCodeUnits()) {
                if (visible(m.getModifiers()) && !m.getName().equals("<clinit>") && (bad.test(m.getReturnType())
                        || m.getParameterTypes().stream().anyMatch(bad))) {
                    events.add(SimpleConditionEvent.violated(m, m.getFullName() + " exposes a hidden type"));
                }
            }
            for (JavaField f : c.getFields()) {
                if (visible(f.getModifiers()) && bad.test(f.getType())) {
                    events.add(SimpleConditionEvent.violated(f, f.getFullName() + " exposes a hidden type"));
                }
            }
        }
    };

    @Test
    void theImportSeesTheModule() {
        org.assertj.core.api.Assertions.assertThat(classes.contain("org.crmkit.workflow.internal.WorkflowEngine"))
                .isTrue();
    }

    @Test
    void apiDoesNotExposeInternalOrThirdPartyTypes() {
        classes().that().resideInAPackage("org.crmkit.workflow").and().arePublic().should(NOT_EXPOSE).check(classes);
    }

    @Test
    void theExposureCheckNoticesExposure() {
        org.assertj.core.api.Assertions.assertThat(classes().that().haveFullyQualifiedName(
                "org.crmkit.workflow.internal.WorkflowConfig").should(NOT_EXPOSE).evaluate(classes).hasViolation())
                .isTrue();
    }

    @Test
    void noOtherModulesInternals() {
        noClasses().that().resideInAPackage("org.crmkit.workflow..").should().dependOnClassesThat(
                DescribedPredicate.and(JavaClass.Predicates.resideInAnyPackage("org.crmkit.internal..",
                        "org.crmkit.storage.memory..", "org.crmkit.storage.jdbc.."),
                        DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("org.crmkit.internal.cel"))))
                .check(classes);
    }

    @Test
    void apiUsesNoThirdPartyLibraries() {
        noClasses().that().resideInAPackage("org.crmkit.workflow").should().dependOnClassesThat()
                .resideInAnyPackage("dev.cel..", "com.fasterxml..", "com.cronutils..", "java.net.http..")
                .check(classes);
    }
}
