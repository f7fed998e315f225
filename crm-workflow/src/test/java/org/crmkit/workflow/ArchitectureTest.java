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
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaConstructorReference;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.crmkit.workflow.internal.WorkflowEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The workflow API ({@code org.crmkit.workflow}) shows no internal type, and no CEL, Jackson, cron-utils or HTTP client
 * type; the module uses no other module's internals but crm-core's CEL layer ({@code org.crmkit.internal.cel}: one
 * environment, type table, value conversion and budget for every CEL expression, so that record rules, formulas and
 * workflow conditions cannot drift apart).
 *
 * <p>Inside, calls flow one way: {@link WorkflowEngine} wires the parts and no other internal class depends on it, and
 * no class is handed (as a constructor or method parameter) or keeps (in a field) a class that creates it, so that no
 * part can call back into its creator. A nested class of its creator (an inner class, an anonymous one) is part of it
 * and exempt. What the rule cannot see is a callback hidden behind a functional interface (a {@code Supplier} bound to
 * the creator); the wiring hands out method references of collaborators only, never of itself.
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

    private static final DescribedPredicate<JavaClass> THE_ENGINE = JavaClass.Predicates.equivalentTo(
            WorkflowEngine.class);

    /** The classes whose code constructs {@code c} (by a constructor call or a constructor reference). */
    private static Set<JavaClass> creators(JavaClass c) {
        Set<JavaClass> out = new LinkedHashSet<>();
        for (JavaConstructorCall call : c.getConstructorCallsToSelf()) {
            out.add(call.getOriginOwner());
        }
        for (JavaConstructorReference ref : c.getConstructorReferencesToSelf()) {
            out.add(ref.getOriginOwner());
        }
        out.remove(c);
        return out;
    }

    private static boolean nestedIn(JavaClass c, JavaClass outer) {
        for (JavaClass e = c.getEnclosingClass().orElse(null); e != null; e = e.getEnclosingClass().orElse(null)) {
            if (e.equals(outer)) {
                return true;
            }
        }
        return false;
    }

    private static final ArchCondition<JavaClass> NOT_GIVEN_ITS_CREATOR = new ArchCondition<>(
            "not be given or keep a class that creates it") {
        @Override
        public void check(JavaClass c, ConditionEvents events) {
            for (JavaClass creator : creators(c)) {
                if (nestedIn(c, creator)) {
                    continue;
                }
                for (JavaCodeUnit m : c.getCodeUnits()) {
                    if (m.getRawParameterTypes().contains(creator)) {
                        events.add(SimpleConditionEvent.violated(m, m.getFullName() + " is given "
                                + creator.getSimpleName() + ", which creates " + c.getSimpleName()));
                    }
                }
                for (JavaField f : c.getFields()) {
                    if (f.getRawType().equals(creator)) {
                        events.add(SimpleConditionEvent.violated(f, f.getFullName() + " keeps "
                                + creator.getSimpleName() + ", which creates " + c.getSimpleName()));
                    }
                }
            }
        }
    };

    /** A creator that hands itself to what it creates: what {@link #NOT_GIVEN_ITS_CREATOR} must refuse. */
    static final class Creator {
        final Created created = new Created(this);
    }

    /** Is given its creator. */
    static final class Created {
        private final Creator creator;

        Created(Creator creator) {
            this.creator = creator;
        }

        Creator creator() {
            return creator;
        }
    }

    @Test
    void onlyTheWiringDependsOnTheEngine() {
        noClasses().that().resideInAPackage("org.crmkit.workflow.internal..").and(DescribedPredicate.not(THE_ENGINE))
                .should().dependOnClassesThat(THE_ENGINE).check(classes);
    }

    @Test
    void theEngineRuleNoticesADependency() {
        org.assertj.core.api.Assertions.assertThat(noClasses().that().haveFullyQualifiedName(
                "org.crmkit.workflow.Workflow").should().dependOnClassesThat(THE_ENGINE).evaluate(classes)
                .hasViolation()).isTrue();
    }

    @Test
    void noClassIsGivenItsCreator() {
        classes().that().resideInAPackage("org.crmkit.workflow..").should(NOT_GIVEN_ITS_CREATOR).check(classes);
    }

    @Test
    void theCreatorRuleNoticesACallback() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(Creator.class, Created.class);
        org.assertj.core.api.Assertions.assertThat(classes().should(NOT_GIVEN_ITS_CREATOR).evaluate(fixtures)
                .hasViolation()).isTrue();
        org.assertj.core.api.Assertions.assertThat(classes().that().haveSimpleName("Creator")
                .should(NOT_GIVEN_ITS_CREATOR).evaluate(fixtures).hasViolation()).isFalse();
    }

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
