package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.duplicate.DuplicateMode;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.Operation;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.record.ImportResult.RowError;
import org.crmkit.record.Record;
import org.crmkit.record.ReferenceLookup;
import org.crmkit.record.UpsertResult;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.StorageFeature;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Imports and upserts that name referenced records by a key ({@code ImportOptions.resolve}, {@code ReferenceLookup}):
 * contacts naming their company by its ERP number ({@code erp_number}, an external id) or its VAT id (a unique
 * field), optionally creating the missing company from the row's dotted columns ({@code company.name}); one company
 * per key however many rows name it; unknown keys, bad options, hidden fields, parents outside the caller's scope
 * and missing permissions; resumed imports. Races between imports are in {@link ImportReferenceRacesContract}.
 *
 * <p>Past 450 lines and kept whole on purpose: its tests share one fixture (the companies' and contacts' keys, set
 * up before each, and the resolving options) and each storage adds it by one subclass; the races, which need their
 * own threads and waits, are already the seam it was split along.
 */
public abstract class ImportReferencesContract extends ConformanceContract {
    private static final ImportOptions BY_ERP = ImportOptions.defaults().resolve("company",
            ReferenceLookup.by("erp_number"));
    private static final ImportOptions CREATING = ImportOptions.defaults().resolve("company",
            ReferenceLookup.by("erp_number").createMissing());

    @BeforeEach
    void keys() {
        crm().schema().addField("company", Field.externalId("erp_number"));
        crm().schema().addField("company", Field.text("vat_id").unique(true));
        crm().schema().addField("contact", Field.externalId("crm_id"));
    }

    private Record company(String erp, String name) {
        return records("company").create(Map.of("erp_number", erp, "name", name));
    }

    private List<Record> companies(String erp) {
        return all(records("company"), Query.where(Filters.where("erp_number").eq(erp)).limit(Query.MAX_LIMIT));
    }

    private Record only(String erp) {
        List<Record> found = companies(erp);
        assertThat(found).as("companies with erp_number " + erp).hasSize(1);
        return found.get(0);
    }

    private static Map<String, @Nullable Object> contact(String lastName, @Nullable Object company,
            @Nullable Object... more) {
        Map<String, @Nullable Object> row = values(more);
        row.put("last_name", lastName);
        row.put("company", company);
        return row;
    }

    /** The company of the contact (by the id an import result gives, which must be there). */
    private @Nullable Object companyOf(@Nullable UUID contactId) {
        assertThat(contactId).as("a written row's record id").isNotNull();
        return records("contact").get(java.util.Objects.requireNonNull(contactId)).get("company");
    }

    private static FieldError errorOn(RowError e, String field) {
        return e.errors().stream().filter(x -> x.field().equals(field)).findFirst()
                .orElseThrow(() -> new AssertionError("no error on " + field + ": " + e.errors()));
    }

    @Test
    void aReferenceIsResolvedByAnExternalIdOrAUniqueField() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        Record acme = company("C-1", "Acme");
        Record globex = records("company").create(Map.of("name", "Globex", "erp_number", "C-2", "vat_id", "DE-2"));

        ImportResult byErp = records("contact").importRecords("by-erp", List.of(contact("Ada", "C-1"),
                contact("Bob", "C-2"), contact("Cy", "C-1"), contact("Dee", null), contact("Eve", "")), BY_ERP);
        ImportResult byVat = records("contact").importRecords("by-vat", List.of(contact("Fay", "DE-2")),
                ImportOptions.defaults().resolve("company", ReferenceLookup.by("vat_id")));

        assertThat(byErp.errors()).isEmpty();
        assertThat(byErp.created()).isEqualTo(5);
        assertThat(companyOf(byErp.createdIds().get(1L))).isEqualTo(acme.id());
        assertThat(companyOf(byErp.createdIds().get(2L))).isEqualTo(globex.id());
        assertThat(companyOf(byErp.createdIds().get(3L))).isEqualTo(acme.id());
        assertThat(companyOf(byErp.createdIds().get(4L))).isNull();
        assertThat(companyOf(byErp.createdIds().get(5L))).isNull(); // a blank key names no company
        assertThat(companyOf(byVat.createdIds().get(1L))).isEqualTo(globex.id());
        assertThat(records("company").count(Filters.all())).isEqualTo(2);
        // without a lookup, or by id, rows give ids as before
        ImportResult byId = records("contact").importRecords("by-id", List.of(contact("Gus", acme.id()),
                contact("Hal", globex.id().toString())),
                ImportOptions.defaults().resolve("company",
                        ReferenceLookup.byId()));
        assertThat(byId.errors()).isEmpty();
        assertThat(companyOf(byId.createdIds().get(2L))).isEqualTo(globex.id());
    }

    @Test
    void createMissingMakesOneParentPerKeyFromTheFirstRowsDottedValues() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        Record acme = company("C-1", "Acme");
        long seq = crm().changeLog().lastSequence();
        List<Map<String, @Nullable Object>> rows = List.of(
                contact("Ada", "N-1", "company.name", "Newco", "company.employees", 12),
                contact("Bob", "N-1", "company.name", "Other name"),
                contact("Cy", "N-2", "company.name", "Second"),
                contact("Dee", "C-1", "company.name", "Not used: Acme exists"),
                contact("Eve", "N-1"),
                contact("Fay", "N-1"),
                contact("Gus", "N-2"));

        ImportResult r = records("contact").importRecords("create", rows, CREATING.batchSize(4));

        assertThat(r.errors()).isEmpty();
        assertThat(r.created()).isEqualTo(7);
        Record newco = only("N-1");
        Record second = only("N-2");
        assertThat(newco.get("name")).isEqualTo("Newco");
        assertThat(newco.get("employees")).isEqualTo(12L);
        assertThat(second.get("name")).isEqualTo("Second");
        assertThat(records("company").get(acme.id()).get("name")).isEqualTo("Acme");
        assertThat(records("company").count(Filters.all())).isEqualTo(3);
        List<UUID> linked = r.createdIds().values().stream().map(id -> (UUID) companyOf(id)).toList();
        assertThat(linked).containsExactly(newco.id(), newco.id(), second.id(), acme.id(), newco.id(), newco.id(),
                second.id());
        // the parents are created through the create path, in the transaction of the batch that first names them
        List<ChangeLogEntry> log = logAfter(seq);
        assertThat(log).filteredOn(e -> e.objectType().equals("company"))
                .extracting(ChangeLogEntry::operation, ChangeLogEntry::recordId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Operation.CREATE, newco.id()),
                        org.assertj.core.groups.Tuple.tuple(Operation.CREATE, second.id()));
        UUID firstBatch = log.stream().filter(e -> e.recordId().equals(r.createdIds().get(1L))).findFirst()
                .orElseThrow().transactionId();
        assertThat(log).filteredOn(e -> e.objectType().equals("company")).extracting(ChangeLogEntry::transactionId)
                .containsOnly(firstBatch);
    }

    @Test
    void anUnknownKeyIsARowErrorWithTheRowsOtherErrors() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        company("C-1", "Acme");
        long seq = crm().changeLog().lastSequence();
        ImportResult r = records("contact").importRecords("unknown", List.of(contact("Ada", "C-1"),
                contact("Bob", "C-404"), contact("Cy", "C-405", "email", "not an email"), contact("Dee", "C-1",
                        "company.name", "Acme")),
                BY_ERP);

        assertThat(r.createdIds()).containsOnlyKeys(1L, 4L);
        assertThat(r.errors()).extracting(RowError::row).containsExactly(2L, 3L);
        FieldError unknown = errorOn(r.errors().get(0), "company");
        assertThat(unknown.code()).isEqualTo(FieldErrorCode.INVALID_REFERENCE);
        assertThat(unknown.message()).contains("company").contains("erp_number").contains("C-404");
        assertThat(r.errors().get(1).errors()).extracting(FieldError::field).containsExactlyInAnyOrder("company",
                "email");
        assertThat(companies("C-404")).isEmpty();
        assertThat(logAfter(seq)).extracting(ChangeLogEntry::objectType).containsOnly("contact");
    }

    @Test
    void aParentThatCannotBeCreatedFailsTheRowsNamingIt() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        company("C-1", "Acme");
        ImportResult r = records("contact").importRecords("bad-parent", List.of(
                contact("Ada", "N-1"), // a company needs a name
                contact("Bob", "N-1", "company.name", "Too late: the first row decides"),
                contact("Cy", "N-2", "company.name", "Fine", "company.employees", "many"),
                contact("Dee", "N-3", "company.name", "Fine", "company.nope", "x"),
                contact("Eve", null, "company.name", "No key"),
                contact("Fay", "N-4", "company.name", "Made")), CREATING);

        assertThat(r.createdIds()).containsOnlyKeys(6L);
        assertThat(r.errors()).extracting(RowError::row).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(errorOn(r.errors().get(0), "company.name").code()).isEqualTo(FieldErrorCode.REQUIRED);
        assertThat(errorOn(r.errors().get(1), "company.name").code()).isEqualTo(FieldErrorCode.REQUIRED);
        assertThat(errorOn(r.errors().get(2), "company.employees").code()).isEqualTo(FieldErrorCode.WRONG_TYPE);
        assertThat(errorOn(r.errors().get(3), "company.nope").code()).isEqualTo(FieldErrorCode.UNKNOWN_FIELD);
        assertThat(errorOn(r.errors().get(4), "company").code()).isEqualTo(FieldErrorCode.REQUIRED);
        assertThat(companies("N-1")).isEmpty();
        assertThat(companies("N-2")).isEmpty();
        assertThat(companies("N-3")).isEmpty();
        assertThat(only("N-4").get("name")).isEqualTo("Made");
    }

    @Test
    void aCreatedParentPassesTheDuplicateRulesAndTheUniqueChecks() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        records("company").create(Map.of("name", "Acme", "erp_number", "C-1", "vat_id", "DE-1"));
        crm().schema().setDuplicateRules("company", crm().schema().duplicateRules("company").orElseThrow()
                .mode(DuplicateMode.BLOCK));
        ImportResult r = records("contact").importRecords("rules", List.of(
                contact("Ada", "N-1", "company.name", "ACME"),
                contact("Bob", "N-2", "company.name", "Initech", "company.vat_id", "DE-1"),
                contact("Cy", "N-3", "company.name", "Globex")), CREATING.batchSize(3));

        assertThat(r.createdIds()).containsOnlyKeys(3L);
        assertThat(errorOn(r.errors().get(0), "company").code()).isEqualTo(FieldErrorCode.DUPLICATE);
        assertThat(errorOn(r.errors().get(1), "company.vat_id").code()).isEqualTo(FieldErrorCode.NOT_UNIQUE);
        assertThat(companies("N-1")).isEmpty();
        assertThat(companies("N-2")).isEmpty();
        assertThat(only("N-3").get("name")).isEqualTo("Globex");
    }

    /** A type with two references, one resolved by a key and one by id: {@code ticket}. */
    private void defineTicket() {
        crm().schema().addObjectType(ObjectType.custom("ticket", "Ticket", Field.text("subject").required(true),
                Field.reference("company", "company"), Field.reference("contact", "contact")));
    }

    @Test
    void dottedColumnsOfAReferenceWithoutALookupAreRowErrors() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        defineTicket();
        company("C-1", "Acme");
        Record ada = records("contact").create(Map.of("last_name", "Lovelace"));
        ImportResult r = records("ticket").importRecords("dotted", List.of(
                values("subject", "ok", "company", "C-1", "contact", ada.id()),
                values("subject", "bad", "company", "C-1", "contact", ada.id(), "contact.last_name", "Byron")),
                BY_ERP);
        ImportResult none = records("ticket").importRecords("dotted-none", List.of(
                values("subject", "bad", "contact", ada.id(), "contact.last_name", "Byron")));

        assertThat(r.createdIds()).containsOnlyKeys(1L);
        FieldError dotted = errorOn(r.errors().get(0), "contact.last_name");
        assertThat(dotted.code()).isEqualTo(FieldErrorCode.UNKNOWN_FIELD);
        assertThat(dotted.message()).contains("contact");
        assertThat(none.createdIds()).isEmpty();
        assertThat(errorOn(none.errors().get(0), "contact.last_name").code()).isEqualTo(FieldErrorCode.UNKNOWN_FIELD);
    }

    @Test
    void badOptionsAreRefusedWhenTheImportStarts() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        company("C-1", "Acme");
        long seq = crm().changeLog().lastSequence();
        List<Map<String, @Nullable Object>> rows = List.of(contact("Ada", "C-1"));
        Map<ImportOptions, FieldErrorCode> bad = Map.of(
                ImportOptions.defaults().resolve("company", ReferenceLookup.by("name")), FieldErrorCode.WRONG_TYPE,
                ImportOptions.defaults().resolve("company", ReferenceLookup.by("nope")), FieldErrorCode.UNKNOWN_FIELD,
                ImportOptions.defaults().resolve("company", ReferenceLookup.byId().createMissing()),
                FieldErrorCode.WRONG_TYPE,
                ImportOptions.defaults().resolve("last_name", ReferenceLookup.by("erp_number")),
                FieldErrorCode.WRONG_TYPE);
        bad.forEach((options, code) -> {
            String field = "references." + options.references().keySet().iterator().next();
            for (boolean upsert : List.of(false, true)) {
                ValidationException e = catchThrowableOfType(ValidationException.class, () -> {
                    if (upsert) {
                        records("contact").upsert("crm_id", rows, options);
                    } else {
                        records("contact").importRecords("bad-options", rows, options);
                    }
                });
                assertThat(e).as(options + (upsert ? " upsert" : " import")).isNotNull();
                assertThat(hasError(e, field, code)).as(e.getMessage()).isTrue();
            }
        });
        ValidationException unknownReference = catchThrowableOfType(ValidationException.class,
                () -> records("contact").importRecords("bad-options", rows, ImportOptions.defaults()
                        .resolve("nope", ReferenceLookup.by("erp_number"))));
        assertThat(hasError(unknownReference, "references.nope", FieldErrorCode.UNKNOWN_FIELD)).isTrue();
        // a dry run creates nothing, so it cannot check rows whose parent it would create
        ValidationException dryCreate = catchThrowableOfType(ValidationException.class,
                () -> records("contact").importRecords("bad-options", List.of(contact("Bo", "C-9")),
                        ImportOptions.defaults().dryRun(true)
                                .resolve("company", ReferenceLookup.by("erp_number").createMissing())));
        assertThat(hasError(dryCreate, "references.company", FieldErrorCode.WRONG_TYPE)).as(dryCreate.getMessage())
                .isTrue();
        assertThat(records("contact").importRecords("dry", List.of(contact("Bo", "C-9")),
                ImportOptions.defaults().dryRun(true).resolve("company", ReferenceLookup.by("erp_number")))
                .errors()).as("a dry run with a lookup reports the missing key").hasSize(1);
        assertThat(logAfter(seq)).isEmpty();
        // nothing of the import ran: the id is unused, so a later run with good options imports the row
        assertThat(records("contact").importRecords("bad-options", rows, BY_ERP).created()).isEqualTo(1);
    }

    @Test
    void aHiddenLookupFieldOrAnUnreadableTypeIsRefusedAsAMissingFieldIs() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        company("C-1", "Acme");
        long seq = crm().changeLog().lastSequence();
        Role hiddenErp = Role.builder("hidden_erp").grant("contact", RecordScope.ALL, Permission.values())
                .grant("company", RecordScope.ALL, Permission.values())
                .field("company", "erp_number", FieldAccess.HIDDEN).build();
        Role noCompanies = Role.builder("no_companies").grant("contact", RecordScope.ALL, Permission.values())
                .build();
        Role hiddenReference = Role.builder("hidden_reference").grant("contact", RecordScope.ALL, Permission.values())
                .grant("company", RecordScope.ALL, Permission.values())
                .field("contact", "company", FieldAccess.HIDDEN).build();
        List<Map<String, @Nullable Object>> rows = List.of(contact("Ada", "C-1"));
        String missingField = String.valueOf(catchThrowableOfType(ValidationException.class, () -> records("contact")
                .importRecords("x", rows, ImportOptions.defaults().resolve("company", ReferenceLookup.by(
                        "erp_numbex"))))
                .getMessage()).replace("erp_numbex", "erp_number");
        String missingReference = String.valueOf(catchThrowableOfType(ValidationException.class,
                () -> records("contact")
                        .importRecords("x", rows, ImportOptions.defaults().resolve("compant", ReferenceLookup.by(
                                "erp_number"))))
                .getMessage()).replace("compant", "company");
        for (Role role : List.of(hiddenErp, noCompanies)) {
            RecordSet contacts = crm().as(Principal.user("u-" + role.name(), role)).records("contact");
            assertThatThrownBy(() -> contacts.importRecords("x", rows, BY_ERP)).as(role.name())
                    .isInstanceOf(ValidationException.class).hasMessage(missingField);
            assertThatThrownBy(() -> contacts.upsert("crm_id", rows, CREATING)).as(role.name())
                    .isInstanceOf(ValidationException.class).hasMessage(missingField);
        }
        RecordSet contacts = crm().as(Principal.user("u-hidden-ref", hiddenReference)).records("contact");
        assertThatThrownBy(() -> contacts.importRecords("x", rows, BY_ERP)).isInstanceOf(ValidationException.class)
                .hasMessage(missingReference);
        assertThat(logAfter(seq)).isEmpty();
    }

    @Test
    void aParentOutsideTheScopeOrDeletedIsNotFoundNotLinkedAndNotRevealed() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        Record secret = company("S-1", "Secret Corp"); // owned by the system: outside a rep's own scope
        CrmSession rep = crm().as(Principal.user("rep", Role.SALES_REP));
        Record gone = rep.records("company").create(Map.of("name", "Gone Corp", "erp_number", "D-1"));
        rep.records("company").delete(gone.id(), gone.version());
        Record mine = rep.records("company").create(Map.of("name", "Mine", "erp_number", "M-1"));
        String missing = errorOn(rep.records("contact").importRecords("scope-missing", List.of(contact("Ada",
                "X-1")), BY_ERP).errors().get(0), "company").message();
        for (ImportOptions options : List.of(BY_ERP, CREATING)) {
            String id = options.equals(BY_ERP) ? "scope" : "scope-creating";
            ImportResult r = rep.records("contact").importRecords(id, List.of(
                    contact("Ada", "S-1", "company.name", "Mine now"),
                    contact("Bob", "D-1", "company.name", "Back"),
                    contact("Cy", "M-1")), options);
            assertThat(r.createdIds()).as(id).containsOnlyKeys(3L);
            assertThat(companyOf(r.createdIds().get(3L))).isEqualTo(mine.id());
            assertThat(r.errors()).extracting(RowError::row).containsExactly(1L, 2L);
            FieldError outOfScope = errorOn(r.errors().get(0), "company");
            FieldError deleted = errorOn(r.errors().get(1), "company");
            assertThat(List.of(outOfScope, deleted)).extracting(FieldError::code)
                    .containsOnly(FieldErrorCode.INVALID_REFERENCE);
            assertThat(outOfScope.message()).isEqualTo(missing.replace("X-1", "S-1"));
            assertThat(deleted.message()).isEqualTo(missing.replace("X-1", "D-1"));
            assertThat(r.errors().toString()).doesNotContain("Secret Corp").doesNotContain(secret.id().toString())
                    .doesNotContain("Gone Corp").doesNotContain(gone.id().toString());
        }
        assertThat(only("S-1").id()).isEqualTo(secret.id());
        assertThat(records("company").get(secret.id()).get("name")).isEqualTo("Secret Corp");
        assertThat(all(records("company"), Query.where(Filters.where("erp_number").eq("D-1"))
                .deleted(Query.Deleted.INCLUDE))).singleElement().satisfies(c -> {
                    assertThat(c.id()).isEqualTo(gone.id());
                    assertThat(c.isDeleted()).isTrue();
                });
        assertThat(records("contact").count(Filters.where("company").in(List.of(secret.id(), gone.id())))).isZero();
        // with createMissing, a key nobody holds is created for the rep, who owns it
        ImportResult made = rep.records("contact").importRecords("scope-new", List.of(contact("Eve", "X-1",
                "company.name", "Rep's own")), CREATING);
        assertThat(made.errors()).isEmpty();
        assertThat(only("X-1").owner()).isEqualTo("rep");
    }

    @Test
    void aCreatedParentsRollupsCountItsNewChildren() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        assumeSupported(StorageFeature.AGGREGATES);
        assumeSupported(StorageFeature.ROW_LOCKS);
        crm().schema().addField("company", Field.rollup("contact_count", "contact", "company",
                org.crmkit.query.Metric.count(), null));
        crm().admin().rollups().jobs().forEach(job -> job.result().toCompletableFuture().join());
        ImportResult r = records("contact").importRecords("rollup", List.of(contact("Ada", "N-1", "company.name",
                "Newco"), contact("Bob", "N-1"), contact("Cy", "N-1")), CREATING.batchSize(2));
        assertThat(r.errors()).isEmpty();
        assertThat(only("N-1").get("contact_count")).isEqualTo(3L);
    }

    @Test
    void creatingAParentNeedsTheCreatePermissionOnItsType() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        Record acme = company("C-1", "Acme");
        Role readsCompanies = Role.builder("reads_companies").grant("contact", RecordScope.ALL, Permission.values())
                .grant("company", RecordScope.ALL, Permission.READ).build();
        ImportResult r = crm().as(Principal.user("u", readsCompanies)).records("contact").importRecords("perm",
                List.of(contact("Ada", "C-1"), contact("Bob", "N-1", "company.name", "Newco")), CREATING);
        assertThat(r.createdIds()).containsOnlyKeys(1L);
        assertThat(companyOf(r.createdIds().get(1L))).isEqualTo(acme.id());
        FieldError refused = errorOn(r.errors().get(0), "company");
        assertThat(refused.code()).isEqualTo(FieldErrorCode.INVALID_REFERENCE);
        assertThat(refused.message()).contains("CREATE");
        assertThat(companies("N-1")).isEmpty();
    }

    @Test
    void anUpsertResolvesReferencesByKeyForCreatesAndUpdates() {
        Record acme = company("C-1", "Acme");
        long seq = crm().changeLog().lastSequence();
        UpsertResult r = records("contact").upsert("crm_id", List.of(
                contact("Lovelace", "N-1", "crm_id", "P-1", "company.name", "Newco"),
                contact("Byron", "N-1", "crm_id", "P-2"),
                contact("Lovelace", "C-1", "crm_id", "P-1"),
                contact("Babbage", "N-2", "crm_id", "P-3")), CREATING.batchSize(2));

        assertThat(r.createdIds()).containsOnlyKeys(1L, 2L);
        assertThat(r.updatedIds()).containsOnlyKeys(3L);
        assertThat(r.errors()).extracting(RowError::row).containsExactly(4L);
        assertThat(errorOn(r.errors().get(0), "company.name").code()).isEqualTo(FieldErrorCode.REQUIRED);
        Record newco = only("N-1");
        assertThat(newco.get("name")).isEqualTo("Newco");
        assertThat(companyOf(r.createdIds().get(2L))).isEqualTo(newco.id());
        assertThat(r.updatedIds().get(3L)).isEqualTo(r.createdIds().get(1L));
        assertThat(companyOf(r.updatedIds().get(3L))).isEqualTo(acme.id());
        assertThat(companies("N-2")).isEmpty();
        assertThat(logAfter(seq)).filteredOn(e -> e.objectType().equals("company")).singleElement()
                .satisfies(e -> assertThat(e.recordId()).isEqualTo(newco.id()));
    }

    @Test
    void anUpsertReportsUnknownKeysAsRowErrors() {
        company("C-1", "Acme");
        UpsertResult r = records("contact").upsert("crm_id", List.of(contact("Lovelace", "C-1", "crm_id", "P-1"),
                contact("Byron", "C-404", "crm_id", "P-2"), contact("Lovelace", "C-405", "crm_id", "P-1")), BY_ERP);
        assertThat(r.createdIds()).containsOnlyKeys(1L);
        assertThat(r.errors()).extracting(RowError::row).containsExactly(2L, 3L);
        assertThat(r.errors()).allSatisfy(e -> assertThat(errorOn(e, "company").code())
                .isEqualTo(FieldErrorCode.INVALID_REFERENCE));
        assertThat(companyOf(r.createdIds().get(1L))).isEqualTo(only("C-1").id()); // row 3 changed nothing
    }

    @Test
    void aResumedImportFindsTheParentsItsEarlierRunCreated() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        List<Map<String, @Nullable Object>> rows = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            rows.add(contact("c" + i, "N-" + (i % 2), "company.name", "Newco " + (i % 2)));
        }
        AtomicBoolean failing = new AtomicBoolean(true);
        Iterable<Map<String, @Nullable Object>> failsAfterFour = () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < rows.size();
            }

            @Override
            public Map<String, @Nullable Object> next() {
                if (next == 4 && failing.get()) {
                    throw new IllegalStateException("the file went away");
                }
                return rows.get(next++);
            }
        };
        assertThatThrownBy(() -> records("contact").importRecords("resumed", failsAfterFour, CREATING.batchSize(4)))
                .hasMessageContaining("went away");
        assertThat(records("contact").count(Filters.all())).isEqualTo(4);
        UUID first = only("N-1").id();
        failing.set(false);

        ImportResult again = records("contact").importRecords("resumed", failsAfterFour, CREATING.batchSize(4));

        assertThat(again.skippedIds()).containsOnlyKeys(1L, 2L, 3L, 4L);
        assertThat(again.createdIds()).containsOnlyKeys(5L, 6L, 7L, 8L, 9L);
        assertThat(again.errors()).isEmpty();
        assertThat(only("N-1").id()).isEqualTo(first);
        assertThat(records("contact").count(Filters.where("company").eq(first))).isEqualTo(5);
        assertThat(records("contact").count(Filters.where("company").eq(only("N-0").id()))).isEqualTo(4);
    }

    @Test
    @SuppressWarnings("try") // the subscription is held open for its side effect only
    void eachBatchLooksItsKeysUpAgain() throws Exception {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        Record acme = company("C-1", "Acme");
        AtomicBoolean once = new AtomicBoolean();
        ImportResult r;
        try (AutoCloseable s = crm().changeLog().subscribe(changes -> {
            if (once.compareAndSet(false, true)) { // after the first batch: C-2 appears, Acme goes
                company("C-2", "Globex");
                records("company").delete(acme.id(), records("company").get(acme.id()).version());
            }
        })) {
            r = records("contact").importRecords("stale", List.of(contact("Ada", "C-1"), contact("Bob", "C-2"),
                    contact("Cy", "C-1")), BY_ERP.batchSize(1));
        }
        assertThat(r.createdIds()).containsOnlyKeys(1L, 2L);
        assertThat(companyOf(r.createdIds().get(1L))).isEqualTo(acme.id());
        assertThat(companyOf(r.createdIds().get(2L))).isEqualTo(only("C-2").id());
        assertThat(errorOn(r.errors().get(0), "company").message()).contains("C-1");
    }
}
