package org.crmkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The three tiers (API, SPI, internal) stay apart; third-party engines stay behind the internal packages. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchitectureTest {
    private static final String[] API = {"org.crmkit", "org.crmkit.error", "org.crmkit.schema", "org.crmkit.record",
            "org.crmkit.query", "org.crmkit.security", "org.crmkit.event", "org.crmkit.storage.memory",
            "org.crmkit.report",
            "org.crmkit.report.export", "org.crmkit.data.export", "org.crmkit.data.vcard", "org.crmkit.keys",
            "org.crmkit.observe", "org.crmkit.health"};

    private static final String[] SPI = {"org.crmkit.storage.spi..", "org.crmkit.plugin.spi..",
            "org.crmkit.search.spi..", "org.crmkit.search.support..", "org.crmkit.storage.support..",
            "org.crmkit.workflow.spi..", "org.crmkit.health.spi.."};

    private JavaClasses classes;

    @BeforeAll
    void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.crmkit");
    }

    @Test
    void theImportSeesTheWholeModule() {
        assertPresent("org.crmkit.Crm");
        assertPresent("org.crmkit.internal.service.CrmEngine");
        assertPresent("org.crmkit.storage.memory.internal.MemoryStore");
        assertPresent("org.crmkit.storage.spi.Storage");
    }

    private void assertPresent(String name) {
        org.assertj.core.api.Assertions.assertThat(classes.contain(name)).as(name).isTrue();
    }

    private static boolean isInternal(JavaClass c) {
        return c.getPackageName().contains(".internal");
    }

    private static boolean exposesInternal(JavaType type) {
        return type.getAllInvolvedRawTypes().stream().anyMatch(ArchitectureTest::isInternal);
    }

    private static final ArchCondition<JavaClass> NOT_EXPOSE_INTERNAL_TYPES = new ArchCondition<>(
            "not expose internal types in public or protected signatures") {
        @Override
        public void check(JavaClass c, ConditionEvents events) {
            if (exposesInternal(c) || c.getSuperclass().map(ArchitectureTest::exposesInternal).orElse(false)) {
                events.add(SimpleConditionEvent.violated(c, c.getName() + " extends an internal type"));
            }
            for (JavaType i : c.getInterfaces()) {
                if (exposesInternal(i)) {
                    events.add(SimpleConditionEvent.violated(c, c.getName() + " implements " + i.getName()));
                }
            }
            for (JavaCodeUnit m : c.getCodeUnits()) {
                if (!visible(m.getModifiers()) || m.getName().equals("<clinit>")) {
                    continue;
                }
                boolean bad = exposesInternal(m.getReturnType())
                        || m.getParameterTypes().stream().anyMatch(ArchitectureTest::exposesInternal)
                        || m.getThrowsClause().getTypes().stream().anyMatch(ArchitectureTest::isInternal);
                if (bad) {
                    events.add(SimpleConditionEvent.violated(m, m.getFullName() + " exposes an internal type"));
                }
            }
            for (JavaField f : c.getFields()) {
                if (visible(f.getModifiers()) && exposesInternal(f.getType())) {
                    events.add(SimpleConditionEvent.violated(f, f.getFullName() + " exposes an internal type"));
                }
            }
        }
    };

    private static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    @Test
    void apiDoesNotExposeInternalTypes() {
        ArchRule rule = classes().that().resideInAnyPackage(API).and().arePublic()
                .should(NOT_EXPOSE_INTERNAL_TYPES);
        rule.check(classes);
    }

    @Test
    void theExposureCheckFindsExposedInternalTypes() {
        // CrmEngine.start(EngineConfig) is public and takes an internal type: the condition must notice
        org.assertj.core.api.Assertions.assertThat(classes().that().haveFullyQualifiedName(
                "org.crmkit.internal.service.CrmEngine").should(NOT_EXPOSE_INTERNAL_TYPES).evaluate(classes)
                .hasViolation()).isTrue();
    }

    @Test
    void spiDoesNotExposeInternalTypes() {
        classes().that().resideInAnyPackage(SPI).and().arePublic().should(NOT_EXPOSE_INTERNAL_TYPES).check(classes);
    }

    @Test
    void onlyInternalCodeUsesCelAndLibphonenumber() {
        // Jackson also in the storage support package: StorageJson, the one JSON format of durable storages (with only
        // String in its public signatures), and its package-private mix-ins and value serializer
        ArchRule rule = noClasses().that().resideOutsideOfPackages("..internal..", "org.crmkit.storage.support")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cel..", "com.google.i18n..",
                        "com.google.protobuf..", "com.fasterxml.uuid..", "com.fasterxml.jackson..", "ezvcard..",
                        "com.github.mangstadt..", "de.siegmar.fastcsv..");
        rule.check(classes);
    }

    @Test
    void spiDoesNotDependOnInternals() {
        // search.support may: SearchTerms folds e-mail domains with the engine's own EmailAddresses
        noClasses().that().resideInAnyPackage(SPI).and().resideOutsideOfPackage("org.crmkit.search.support..")
                .should().dependOnClassesThat().resideInAPackage("..internal..").check(classes);
    }

    @Test
    void theStorageSpiHoldsRecordsSchemaAndChangeLogOnly() {
        // the workflow's job queue is an extension (Storage.extension), not part of the storage SPI
        noClasses().that().resideInAPackage("org.crmkit.storage.spi..").should().dependOnClassesThat()
                .resideInAnyPackage("org.crmkit.workflow..", "org.crmkit.search..").check(classes);
    }

    @Test
    void theBuilderFindsPartsThroughThePluginMechanismOnly() {
        // handles are not SPI objects: no handle type implements the storage or search SPI or the plug-in SPI
        noClasses().that().resideInAnyPackage(API).and().areNotInterfaces().should().beAssignableTo(
                org.crmkit.storage.spi.Storage.class).orShould().beAssignableTo(
                        org.crmkit.search.spi.SearchBackend.class)
                .orShould().beAssignableTo(
                        org.crmkit.plugin.spi.EnginePlugin.class)
                .check(classes);
    }

    @Test
    void apiPackagesDependOnInternalsOnlyThroughTheBuilderAndTheMemoryStorage() {
        noClasses().that().resideInAnyPackage("org.crmkit.error", "org.crmkit.schema", "org.crmkit.record",
                "org.crmkit.query", "org.crmkit.security", "org.crmkit.event", "org.crmkit.storage.spi")
                .should().dependOnClassesThat().resideInAPackage("..internal..").check(classes);
    }

    @Test
    void engineInternalsDoNotUseTheMemoryStorage() {
        noClasses().that().resideInAPackage("org.crmkit.internal..").should().dependOnClassesThat()
                .resideInAnyPackage("org.crmkit.storage.memory..").check(classes);
    }

    @Test
    void memoryStorageInternalsDoNotUseEngineInternals() {
        noClasses().that().resideInAPackage("org.crmkit.storage.memory.internal..").should().dependOnClassesThat()
                .resideInAPackage("org.crmkit.internal..").check(classes);
    }
}
