package org.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.NullPointerTester;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.event.ChangeLog;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.internal.schema.StandardSchema;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.Schema;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.schema.Stage;
import org.crmkit.schema.ValidationRule;
import org.crmkit.search.SearchIndex;
import org.crmkit.search.SearchQuery;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.storage.spi.ResolvedPath;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Every public method and constructor of crm-core's exported packages refuses a null argument at its entry with a
 * {@link NullPointerException} whose message is the parameter's name ({@code Objects.requireNonNull(x, "x")}),
 * unless the parameter is declared {@code @Nullable}. Guava's {@link NullPointerTester} (guava-testlib, the
 * well-kept tool for exactly this) calls each of them with one null argument at a time; it honours jspecify's
 * {@code @Nullable} on parameters, so nullable parameters are listed in the API itself, not here.
 */
class NullArgumentsTest {
    private static final Record RECORD = new Record(UUID.randomUUID(), "contact", 1, "u-1", null, Instant.EPOCH,
            "u-1", Instant.EPOCH, "u-1", null, Map.of());

    /** The public types of crm-core's exported (non-internal) packages. */
    static List<Class<?>> exportedTypes(String rootPackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(rootPackage).stream()
                .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
                .filter(c -> !c.getPackageName().contains(".internal") && !c.getPackageName().contains(".conformance"))
                .filter(c -> !c.isAnonymousClass() && !c.getSimpleName().equals("package-info"))
                .<Class<?>>map(JavaClass::reflect).sorted(java.util.Comparator.comparing(Class::getName)).toList();
    }

    /** Values for the parameters the tester does not set to null (it cannot make records or sealed types). */
    static NullPointerTester tester() {
        return new NullPointerTester()
                .setDefault(org.crmkit.security.Grantee.class, org.crmkit.security.Grantee.user("u-1"))
                .setDefault(Filter.class, Filters.all())
                .setDefault(Query.class, Query.all())
                .setDefault(org.crmkit.event.TimelineQuery.class, org.crmkit.event.TimelineQuery.of())
                .setDefault(org.crmkit.merge.FieldChoices.class, org.crmkit.merge.FieldChoices.defaults())
                .setDefault(Sort.class, Sort.asc("name"))
                .setDefault(Metric.class, Metric.count())
                .setDefault(Aggregation.class, Aggregation.total())
                .setDefault(SearchQuery.class, SearchQuery.of("ada"))
                .setDefault(Principal.class, Principal.user("u-1", Role.SALES_REP))
                .setDefault(Role.class, Role.SALES_REP)
                .setDefault(Field.class, Field.text("nickname"))
                .setDefault(ObjectType.class, ObjectType.custom("thing", "Thing"))
                .setDefault(Record.class, RECORD)
                .setDefault(org.crmkit.event.ChangeLogEntry.class, new org.crmkit.event.ChangeLogEntry(1,
                        Instant.EPOCH, "u-1", "contact", new UUID(0, 1),
                        org.crmkit.event.Operation.CREATE, 1, java.util.List.of(), new UUID(0, 2)))
                .setDefault(Money.class, new Money(BigDecimal.ONE, "EUR"))
                .setDefault(ImportOptions.class, ImportOptions.defaults())
                .setDefault(org.crmkit.record.ReferenceLookup.class, org.crmkit.record.ReferenceLookup.by("erp_id"))
                .setDefault(SchemaSnapshot.class, new SchemaSnapshot(1, Map.of(), Map.of()))
                .setDefault(org.crmkit.schema.LeadMapping.class, org.crmkit.schema.LeadMapping.defaults())
                .setDefault(org.crmkit.lead.Conversion.class, org.crmkit.lead.Conversion.defaults())
                .setDefault(com.google.crypto.tink.KeysetHandle.class, org.crmkit.keys.KeyProviders.generate(
                        org.crmkit.keys.KeyPurpose.CHANGE_LOG_MAC))
                .setDefault(FieldError.class, new FieldError("name", FieldErrorCode.REQUIRED, "is required"))
                .setDefault(ValidationRule.class, ValidationRule.of("rule", "true", "never"))
                .setDefault(org.crmkit.privacy.Subject.class, org.crmkit.privacy.Subject.email("ada@example.com"))
                .setDefault(ResolvedPath.class, ResolvedPath.resolve(StandardSchema.create(), "contact", "email"))
                .setDefault(DataPolicy.class, DataPolicy.REFUSE_IF_DATA)
                .setDefault(org.crmkit.backup.RestorePoint.class, org.crmkit.backup.RestorePoint.latest())
                .setDefault(org.crmkit.backup.BackupManifest.class, new org.crmkit.backup.BackupManifest(1, "dev",
                        java.time.Instant.EPOCH, "memory", 0, 0, List.of()))
                .setDefault(org.crmkit.storage.spi.ImportKey.class, new org.crmkit.storage.spi.ImportKey("u-1",
                        "contact", "import-1"))
                .setDefault(org.crmkit.storage.support.FilterEvaluator.class,
                        new org.crmkit.storage.support.FilterEvaluator(Filters.all(),
                                new org.crmkit.storage.spi.ResolvedPaths(Map.of()),
                                (type, id) -> java.util.Optional.empty()))
                .setDefault(org.crmkit.report.ReportDefinition.class, org.crmkit.report.ReportDefinition
                        .builder("r", "deal").build())
                .setDefault(org.crmkit.report.Grouping.class, org.crmkit.report.Grouping.by("stage"))
                .setDefault(org.crmkit.report.ReportTable.class, new org.crmkit.report.ReportTable("r", "R", List.of(
                        org.crmkit.report.ReportTable.Column.measure("count(*)", "Count")), List.of()))
                .setDefault(org.crmkit.report.DateRange.class, org.crmkit.report.DateRange.year(2026))
                .setDefault(org.crmkit.schema.Currencies.class, org.crmkit.schema.Currencies.corporate("EUR"))
                .setDefault(org.crmkit.schema.ExchangeRate.class, org.crmkit.schema.ExchangeRate.of("USD",
                        "2026-01-01", "1.1"))
                .setDefault(org.crmkit.schema.Rollup.class, new org.crmkit.schema.Rollup("deal", "company",
                        Metric.count(), Filters.all()))
                .setDefault(org.crmkit.duplicate.DuplicateRules.class, org.crmkit.duplicate.DuplicateRules.builder()
                        .field("email", org.crmkit.duplicate.MatchMethod.EMAIL, 1).build())
                .setDefault(SchemaChange.class, new SchemaChange.AddObjectType(ObjectType.custom("thing", "Thing")));
    }

    /**
     * Calls each public method of {@code api} (static ones when {@code instance} is null, with the constructors) with
     * one null argument at a time and returns what did not throw a NullPointerException, one line each.
     */
    static List<String> unchecked(NullPointerTester tester, Class<?> api, @Nullable Object instance,
            Method... skipped) {
        List<String> failures = new ArrayList<>();
        for (Method m : api.getMethods()) {
            boolean wanted = Modifier.isStatic(m.getModifiers()) == (instance == null)
                    && (instance != null || m.getDeclaringClass() == api)
                    && m.getDeclaringClass() != Object.class && !m.getName().equals("equals")
                    && !List.of(skipped).contains(m);
            if (wanted) {
                record(failures, () -> tester.testMethod(instance, m));
            }
        }
        if (instance == null) {
            for (Constructor<?> c : api.getConstructors()) {
                record(failures, () -> tester.testConstructor(c));
            }
        }
        return failures;
    }

    private static void record(List<String> failures, Runnable test) {
        try {
            test.run();
        } catch (AssertionError | RuntimeException e) {
            failures.add(String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    @Test
    void staticMethodsAndConstructorsOfEveryExportedType() {
        List<String> failures = new ArrayList<>();
        for (Class<?> type : exportedTypes("org.crmkit")) {
            // Exceptions are made by the engine with the context it has; a null there must not hide the real error
            if (!Throwable.class.isAssignableFrom(type)) {
                failures.addAll(unchecked(tester(), type, null));
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void engineObjects() throws Exception {
        List<String> failures = new ArrayList<>(unchecked(tester(), CrmBuilder.class, Crm.builder()));
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            CrmSession session = crm.as(Principal.user("u-1", Role.SALES_MANAGER));
            failures.addAll(unchecked(tester(), Crm.class, crm));
            failures.addAll(unchecked(tester(), Schema.class, crm.schema()));
            failures.addAll(unchecked(tester(), ChangeLog.class, crm.changeLog()));
            failures.addAll(unchecked(tester(), SearchIndex.class, crm.admin().searchIndex()));
            failures.addAll(unchecked(tester(), org.crmkit.rollup.RollupAdmin.class, crm.admin().rollups()));
            failures.addAll(unchecked(tester(), org.crmkit.report.Reports.class, session.reports()));
            failures.addAll(unchecked(tester(), org.crmkit.report.StandardReports.class,
                    session.reports().standard()));
            failures.addAll(unchecked(tester(), CrmSession.class, session));
            failures.addAll(unchecked(tester(), org.crmkit.data.export.RecordExport.class, session.export()));
            failures.addAll(unchecked(tester(), org.crmkit.privacy.Privacy.class, session.privacy()));
            failures.addAll(unchecked(tester(), org.crmkit.data.csv.CsvImport.class, session.csvImport("contact")));
            try (org.crmkit.data.vcard.VCardContacts cards = org.crmkit.data.vcard.VCards.read(
                    new java.io.StringReader(""))) {
                failures.addAll(unchecked(tester(), org.crmkit.data.vcard.VCardContacts.class, cards));
            }
            // importRecords and upsert document a ValidationException naming each null argument: left out here
            failures.addAll(unchecked(tester(), RecordSet.class, session.records("contact"),
                    RecordSet.class.getMethod("importRecords", String.class, Iterable.class),
                    RecordSet.class.getMethod("importRecords", String.class, Iterable.class, ImportOptions.class),
                    RecordSet.class.getMethod("upsert", String.class, Iterable.class),
                    RecordSet.class.getMethod("upsert", String.class, Iterable.class, ImportOptions.class)));
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void values() {
        List<String> failures = new ArrayList<>();
        for (Object value : List.of(Filters.where("name"), Query.all(), Sort.asc("name"), Aggregation.total(),
                SearchQuery.of("ada"), Field.text("nickname"), ObjectType.custom("thing", "Thing"),
                new Pipeline("sales", "Sales", List.of(Stage.open("open", "Open", 10))),
                Principal.user("u-1", Role.SALES_REP), Role.SALES_REP, Role.builder("r"), RECORD,
                new Money(BigDecimal.ONE, "EUR"), new SchemaSnapshot(1, Map.of(), Map.of()),
                ImportOptions.defaults(), org.crmkit.record.ReferenceLookup.by("erp_id"),
                org.crmkit.event.TimelineQuery.of(),
                org.crmkit.merge.FieldChoices.defaults())) {
            failures.addAll(unchecked(tester(), value.getClass(), value));
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void headlineCasesNameTheParameter() {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            assertThatThrownBy(() -> crm.as(null)).isExactlyInstanceOf(NullPointerException.class)
                    .hasMessage("principal");
            CrmSession session = crm.as(Principal.user("u-1", Role.SALES_REP));
            assertThatThrownBy(() -> session.search((SearchQuery) null))
                    .isExactlyInstanceOf(NullPointerException.class).hasMessage("query");
            assertThatThrownBy(() -> session.search((String) null))
                    .isExactlyInstanceOf(NullPointerException.class).hasMessage("text");
            assertThatThrownBy(() -> session.records(null))
                    .isExactlyInstanceOf(NullPointerException.class).hasMessage("objectType");
            assertThatThrownBy(() -> session.records("contact").query((Filter) null))
                    .isExactlyInstanceOf(NullPointerException.class).hasMessage("filter");
        }
        assertThatThrownBy(() -> Filters.where(null)).isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("path");
        assertThatThrownBy(() -> Query.where(null)).isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("filter");
    }
}
