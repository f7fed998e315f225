package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.query.Filters;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.record.ImportResult.RowError;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ValidationRule;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.StorageFeature;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bulk import ({@code RecordSet.importRecords}): batches of one transaction each, invalid and clashing rows
 * reported by row number without losing the rest of their batch, the import ledger that makes re-runs skip what
 * was created, access control and listeners.
 *
 * <p>Past 450 lines and kept whole on purpose: its tests share one fixture (the widget type with its email field and
 * rule, set up before each) and each storage adds the import suite by one subclass; split, every storage would need
 * a second wiring class for the same fixture.
 */
public abstract class ImportContract extends ConformanceContract {

    /** Widget plus {@code email} (email) and the record rule "qty is positive" reported on {@code qty}. */
    @BeforeEach
    void widget() {
        assumeSupported(StorageFeature.IMPORT_LEDGER);
        defineWidget();
        crm().schema().addField(WIDGET, Field.email("email"));
        crm().schema().addRule(WIDGET, ValidationRule.of("qty_positive", "qty == null || qty > 0",
                "qty must be positive").on("qty"));
    }

    /** Widget rows {@code from..to}: name {@code w<i>}, qty i and, when {@code codes}, unique code {@code C-<i>}. */
    private static List<Map<String, @Nullable Object>> rows(int from, int to, boolean codes) {
        List<Map<String, @Nullable Object>> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(codes ? values("name", "w" + i, "qty", i, "code", "C-" + i) : values("name", "w" + i, "qty", i));
        }
        return out;
    }

    private static List<Long> rowNumbers(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    private long widgets() {
        return records(WIDGET).count(Filters.all());
    }

    @Test
    void importsEveryRowInBatchesOfOneTransactionEach() {
        long start = crm().changeLog().lastSequence();
        ImportResult result = records(WIDGET).importRecords("big", rows(1, 2_500, true));

        assertThat(result.created()).isEqualTo(2_500);
        assertThat(result.skipped()).isZero();
        assertThat(result.failed()).isZero();
        assertThat(result.stopped()).isFalse();
        assertThat(result.createdIds().keySet()).containsExactlyElementsOf(rowNumbers(1, 2_500));
        assertThat(widgets()).isEqualTo(2_500);
        Record first = records(WIDGET).get(java.util.Objects.requireNonNull(result.createdIds().get(1L)));
        assertThat(first.getString("name")).isEqualTo("w1");
        assertThat(first.getString("code")).isEqualTo("C-1");
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.owner()).isEqualTo(Principal.SYSTEM_ID);
        assertThat(
                records(WIDGET).get(java.util.Objects.requireNonNull(result.createdIds().get(2_500L))).getLong("qty"))
                .isEqualTo(2_500L);

        List<ChangeLogEntry> log = logAfter(start);
        assertThat(log).hasSize(2_500).allSatisfy(e -> {
            assertThat(e.operation()).isEqualTo(Operation.CREATE);
            assertThat(e.objectType()).isEqualTo(WIDGET);
            assertThat(e.version()).isEqualTo(1);
        });
        assertThat(log).extracting(ChangeLogEntry::recordId)
                .containsExactlyElementsOf(result.createdIds().values());
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i).sequence()).isEqualTo(start + 1 + i);
            assertThat(log.get(i).change("name")).contains(new FieldChange("name", null, "w" + (i + 1)));
        }
        // three commits: rows 1-1000, 1001-2000, 2001-2500
        assertThat(log.stream().map(ChangeLogEntry::transactionId).distinct().toList()).hasSize(3);
        assertThat(log.get(999).transactionId()).isEqualTo(log.get(0).transactionId());
        assertThat(log.get(1_000).transactionId()).isNotEqualTo(log.get(999).transactionId());
        assertThat(log.get(1_999).transactionId()).isEqualTo(log.get(1_000).transactionId());
        assertThat(log.get(2_000).transactionId()).isNotEqualTo(log.get(1_999).transactionId());
        // an imported record is the record create would have made, change-log entry included
        Record created = records(WIDGET).create(values("name", "w0", "qty", 1, "code", "C-0"));
        ChangeLogEntry createdEntry = records(WIDGET).timeline(created.id()).get(0);
        assertThat(log.get(0).changes()).extracting(FieldChange::field)
                .containsExactlyElementsOf(createdEntry.changes().stream().map(FieldChange::field).toList());
    }

    @Test
    void aDryRunChecksRowsAsARunWouldAndWritesNothing() {
        records(WIDGET).create(values("name", "stored", "code", "C-2"));
        long start = crm().changeLog().lastSequence();
        List<Map<String, @Nullable Object>> rows = new ArrayList<>(rows(1, 5, true));
        rows.set(3, values("name", "w4", "qty", -4)); // the record rule
        rows.add(values("name", "w6", "code", "C-1")); // the code of row 1, in a later batch
        rows.add(values("name", "w7", "code", "C-7"));
        rows.add(values("name", "w8", "code", "C-7")); // the code of row 7, in the same batch
        ImportOptions twos = ImportOptions.defaults().batchSize(2);
        ImportResult dry = records(WIDGET).importRecords("dry", rows, twos.dryRun(true));
        assertThat(dry.createdIds().keySet()).containsExactly(1L, 3L, 5L, 7L);
        assertThat(dry.errors()).extracting(RowError::row).containsExactly(2L, 4L, 6L, 8L);
        assertThat(dry.errors()).allSatisfy(e -> assertThat(e.errors()).singleElement()
                .satisfies(x -> assertThat(x.code()).isIn(FieldErrorCode.NOT_UNIQUE, FieldErrorCode.RULE_VIOLATED)));
        assertThat(logAfter(start)).isEmpty();
        assertThat(widgets()).isEqualTo(1);
        // the run finds the same rows bad, and nothing of the dry run in the ledger
        ImportResult real = records(WIDGET).importRecords("dry", rows, twos);
        assertThat(real.skipped()).isZero();
        assertThat(real.createdIds().keySet()).isEqualTo(dry.createdIds().keySet());
        assertThat(real.errors()).extracting(RowError::row).containsExactly(2L, 4L, 6L, 8L);
        assertThat(real.errors()).extracting(e -> e.errors().get(0).code())
                .containsExactlyElementsOf(dry.errors().stream().map(e -> e.errors().get(0).code()).toList());
        assertThat(records(WIDGET).importRecords("dry", rows, twos.dryRun(true)).skipped()).isEqualTo(4);
    }

    @Test
    void progressIsToldAfterEachBatchWithItsErrors() {
        List<Map<String, @Nullable Object>> rows = new ArrayList<>(rows(1, 5, false));
        rows.set(2, values("name", "w3", "qty", -3));
        List<org.crmkit.record.ImportProgress> told = new ArrayList<>();
        ImportResult r = records(WIDGET).importRecords("progress", rows, ImportOptions.defaults().batchSize(2)
                .onProgress(told::add));
        assertThat(r.created()).isEqualTo(4);
        assertThat(told).extracting(p -> p.rows(), p -> p.created(), p -> p.failed(), p -> p.errors().size())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 2L, 0L, 0),
                        org.assertj.core.groups.Tuple.tuple(4L, 3L, 1L, 1),
                        org.assertj.core.groups.Tuple.tuple(5L, 4L, 1L, 0));
        assertThat(told.get(1).errors().get(0).row()).isEqualTo(3L);
        // a listener that throws ends the import after the batch it was told of
        List<Map<String, @Nullable Object>> more = rows(6, 10, false);
        assertThatThrownBy(() -> records(WIDGET).importRecords("stop", more, ImportOptions.defaults().batchSize(2)
                .onProgress(p -> {
                    throw new IllegalStateException("enough");
                }))).hasMessage("enough");
        assertThat(widgets()).isEqualTo(6);
    }

    @Test
    void invalidRowsAreReportedByRowNumberAndNotWritten() {
        List<Map<String, @Nullable Object>> rows = new ArrayList<>(List.of(
                values("name", "ok 1"),
                values("qty", 3), // 2: name is required
                values("name", "bad mail", "email", "not-an-email"),
                values("name", "rule", "qty", -4), // 4: the record rule
                values("name", "ok 5", "email", "a@example.com"),
                values("name", "unknown", "colour", "red"), // 6: no such field
                values("name", "ok 7", "qty", 7)));
        rows.add(null); // 8: a null row
        rows.add(values("name", "ok 9"));
        long start = crm().changeLog().lastSequence();

        ImportResult result = records(WIDGET).importRecords("invalid", rows, ImportOptions.defaults().batchSize(3));

        assertThat(result.createdIds().keySet()).containsExactly(1L, 5L, 7L, 9L);
        assertThat(result.errors()).extracting(RowError::row).containsExactly(2L, 3L, 4L, 6L, 8L);
        assertThat(result.failed()).isEqualTo(5);
        assertThat(codes(result, 2)).containsExactly(FieldErrorCode.REQUIRED);
        assertThat(codes(result, 3)).containsExactly(FieldErrorCode.INVALID_EMAIL);
        assertThat(codes(result, 4)).containsExactly(FieldErrorCode.RULE_VIOLATED);
        assertThat(codes(result, 6)).containsExactly(FieldErrorCode.UNKNOWN_FIELD);
        assertThat(codes(result, 8)).containsExactly(FieldErrorCode.REQUIRED);
        // exactly the errors create reports for the same values
        for (int row : List.of(2, 3, 4, 6)) {
            ValidationException e = catchThrowableOfType(ValidationException.class,
                    () -> records(WIDGET).create(rows.get(row - 1)));
            assertThat(error(result, row).errors()).isEqualTo(e.errors());
        }
        assertThat(widgets()).isEqualTo(4);
        assertThat(records(WIDGET).query(Filters.all()).items()).extracting(r -> r.getString("name"))
                .containsExactlyInAnyOrder("ok 1", "ok 5", "ok 7", "ok 9");
        assertThat(logAfter(start)).extracting(ChangeLogEntry::recordId)
                .containsExactlyElementsOf(result.createdIds().values());
    }

    private static RowError error(ImportResult result, long row) {
        return result.errors().stream().filter(e -> e.row() == row).findFirst().orElseThrow();
    }

    private static List<FieldErrorCode> codes(ImportResult result, long row) {
        return error(result, row).errors().stream().map(FieldError::code).toList();
    }

    @Test
    void aUniqueValueClashCostsOnlyItsRow() {
        Record existing = records(WIDGET).create(values("name", "existing", "code", "C-5"));
        List<Map<String, @Nullable Object>> rows = rows(1, 15, true);
        rows.set(7, values("name", "w8", "code", "C-3")); // row 8 repeats row 3's code in the same batch
        long start = crm().changeLog().lastSequence();

        ImportResult result = records(WIDGET).importRecords("clash", rows, ImportOptions.defaults().batchSize(10));

        assertThat(result.errors()).extracting(RowError::row).containsExactly(5L, 8L);
        assertThat(result.errors()).allSatisfy(e -> assertThat(e.errors()).extracting(FieldError::field,
                FieldError::code).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("code",
                                FieldErrorCode.NOT_UNIQUE)));
        assertThat(result.createdIds().keySet()).containsExactly(1L, 2L, 3L, 4L, 6L, 7L, 9L, 10L, 11L, 12L, 13L,
                14L, 15L);
        assertThat(widgets()).isEqualTo(14);
        assertThat(records(WIDGET).get(existing.id())).isEqualTo(existing);
        assertThat(records(WIDGET).get(java.util.Objects.requireNonNull(result.createdIds().get(3L))).getString("name"))
                .isEqualTo("w3");
        List<ChangeLogEntry> log = logAfter(start);
        assertThat(log).extracting(ChangeLogEntry::recordId).containsExactlyElementsOf(result.createdIds().values());
        // the batch after the clash is one transaction again
        assertThat(log.subList(8, 13)).extracting(ChangeLogEntry::transactionId).containsOnly(log.get(8)
                .transactionId());

        ImportResult again = records(WIDGET).importRecords("clash", rows, ImportOptions.defaults().batchSize(10));
        assertThat(again.created()).isZero();
        assertThat(again.skippedIds()).isEqualTo(result.createdIds());
        assertThat(again.errors()).extracting(RowError::row).containsExactly(5L, 8L);
        assertThat(widgets()).isEqualTo(14);
    }

    @Test
    void runningAnImportAgainCreatesNothingAndReturnsTheSameIds() {
        ImportResult first = records(WIDGET).importRecords("again", rows(1, 20, true),
                ImportOptions.defaults().batchSize(7));
        long sequence = crm().changeLog().lastSequence();

        ImportResult second = records(WIDGET).importRecords("again", rows(1, 20, true),
                ImportOptions.defaults().batchSize(7));

        assertThat(second.created()).isZero();
        assertThat(second.failed()).isZero();
        assertThat(second.skipped()).isEqualTo(20);
        assertThat(second.skippedIds()).isEqualTo(first.createdIds());
        assertThat(widgets()).isEqualTo(20);
        assertThat(crm().changeLog().lastSequence()).isEqualTo(sequence);
        // rows are matched by number: what a created row holds now is not looked at again
        ImportResult third = records(WIDGET).importRecords("again", Collections.nCopies(20, values("qty", -1)),
                ImportOptions.defaults().batchSize(7));
        assertThat(third.skippedIds()).isEqualTo(first.createdIds());
        assertThat(third.failed()).isZero();
    }

    @Test
    void aRunAfterAPartialRunCreatesOnlyTheRowsNotCreatedYet() {
        List<Map<String, @Nullable Object>> partial = rows(1, 30, true);
        partial.set(4, values("qty", 5)); // row 5 fails the first time
        ImportResult first = records(WIDGET).importRecords("partial", partial, ImportOptions.defaults().batchSize(8));
        assertThat(first.created()).isEqualTo(29);
        long start = crm().changeLog().lastSequence();

        ImportResult rest = records(WIDGET).importRecords("partial", rows(1, 50, true),
                ImportOptions.defaults().batchSize(8));

        assertThat(rest.createdIds().keySet()).containsExactlyElementsOf(
                LongStream.concat(LongStream.of(5), LongStream.rangeClosed(31, 50)).boxed().toList());
        assertThat(rest.skippedIds()).isEqualTo(first.createdIds());
        assertThat(rest.failed()).isZero();
        assertThat(widgets()).isEqualTo(50);
        assertThat(records(WIDGET).count(Filters.where("code").eq("C-31"))).isEqualTo(1);
        assertThat(logAfter(start)).hasSize(21);
    }

    @Test
    void anotherImportIdCreatesTheRowsAgain() {
        ImportResult a = records(WIDGET).importRecords("file-a", rows(1, 10, false));
        ImportResult b = records(WIDGET).importRecords("file-b", rows(1, 10, false));
        assertThat(b.created()).isEqualTo(10);
        assertThat(b.skipped()).isZero();
        assertThat(b.createdIds().values()).doesNotContainAnyElementsOf(a.createdIds().values());
        assertThat(widgets()).isEqualTo(20);
    }

    /** A second type for the ledger-key tests: {@code gadget} with a required {@code title}. */
    private void defineGadget() {
        crm().schema().addObjectType(org.crmkit.schema.ObjectType.custom("gadget", "Gadget",
                Field.text("title").required(true)));
    }

    private static List<Map<String, @Nullable Object>> gadgets(int from, int to) {
        List<Map<String, @Nullable Object>> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(values("title", "g" + i));
        }
        return out;
    }

    @Test
    void twoUsersImportingTheSameIdIntoDifferentTypesBothImportEveryRow() {
        defineGadget();
        CrmSession ann = crm().as(Principal.user("ann", Role.SALES_REP));
        CrmSession bob = crm().as(Principal.user("bob", Role.SALES_REP));

        ImportResult annsRun = ann.records(WIDGET).importRecords("crm-2024-06.csv", rows(1, 5, false));
        ImportResult bobsRun = bob.records("gadget").importRecords("crm-2024-06.csv", gadgets(1, 7));

        assertThat(annsRun.created()).isEqualTo(5);
        assertThat(bobsRun.created()).isEqualTo(7);
        assertThat(bobsRun.skipped()).isZero();
        assertThat(bobsRun.createdIds().values()).doesNotContainAnyElementsOf(annsRun.createdIds().values());
        assertThat(bob.records("gadget").count(Filters.all())).isEqualTo(7);
        for (UUID id : bobsRun.createdIds().values()) {
            assertThat(bob.records("gadget").get(id).getString("title")).startsWith("g");
        }
        // each run again resumes its own ledger only
        assertThat(bob.records("gadget").importRecords("crm-2024-06.csv", gadgets(1, 7)).skippedIds())
                .isEqualTo(bobsRun.createdIds());
        assertThat(ann.records(WIDGET).importRecords("crm-2024-06.csv", rows(1, 5, false)).skippedIds())
                .isEqualTo(annsRun.createdIds());
    }

    @Test
    void twoUsersImportingTheSameIdIntoTheSameTypeNeitherSeesTheOthersLedger() {
        CrmSession ann = crm().as(Principal.user("ann", Role.SALES_REP));
        CrmSession bob = crm().as(Principal.user("bob", Role.SALES_REP));

        ImportResult annsRun = ann.records(WIDGET).importRecords("leads.csv", rows(1, 4, false));
        ImportResult bobsRun = bob.records(WIDGET).importRecords("leads.csv", rows(1, 6, false));

        assertThat(annsRun.created()).isEqualTo(4);
        assertThat(bobsRun.created()).isEqualTo(6);
        assertThat(bobsRun.skippedIds()).isEmpty();
        assertThat(bob.records(WIDGET).count(Filters.all())).isEqualTo(6);
        assertThat(ann.records(WIDGET).count(Filters.all())).isEqualTo(4);
        assertThat(widgets()).isEqualTo(10);
    }

    @Test
    void oneUserReusingAnImportIdForAnotherTypeImportsBoth() {
        defineGadget();
        CrmSession ann = crm().as(Principal.user("ann", Role.SALES_REP));

        ImportResult widgetsRun = ann.records(WIDGET).importRecords("monthly", rows(1, 3, false));
        ImportResult gadgetsRun = ann.records("gadget").importRecords("monthly", gadgets(1, 5));

        assertThat(widgetsRun.created()).isEqualTo(3);
        assertThat(gadgetsRun.created()).isEqualTo(5);
        assertThat(gadgetsRun.skipped()).isZero();
        assertThat(ann.records("gadget").count(Filters.all())).isEqualTo(5);
        // the same user, type and id resumes: nothing created twice
        ImportResult resumed = ann.records("gadget").importRecords("monthly", gadgets(1, 6));
        assertThat(resumed.skippedIds()).isEqualTo(gadgetsRun.createdIds());
        assertThat(resumed.createdIds().keySet()).containsExactly(6L);
        assertThat(ann.records("gadget").count(Filters.all())).isEqualTo(6);
        assertThat(ann.records(WIDGET).count(Filters.all())).isEqualTo(3);
    }

    @Test
    void importStopsAfterTheGivenNumberOfFailedRows() {
        List<Map<String, @Nullable Object>> rows = rows(1, 10, false);
        for (int row : List.of(2, 3, 4)) {
            rows.set(row - 1, values("qty", row));
        }
        ImportResult result = records(WIDGET).importRecords("stop", rows,
                ImportOptions.defaults().batchSize(2).stopAfterErrors(2));
        assertThat(result.stopped()).isTrue();
        assertThat(result.createdIds().keySet()).containsExactly(1L);
        assertThat(result.errors()).extracting(RowError::row).containsExactly(2L, 3L, 4L);
        assertThat(widgets()).isEqualTo(1);

        ImportResult all = records(WIDGET).importRecords("stop", rows, ImportOptions.defaults().stopAfterErrors(3));
        assertThat(all.stopped()).isFalse();
        assertThat(all.created()).isEqualTo(6);
    }

    @Test
    void aReadOnlyPrincipalCannotImport() {
        long sequence = crm().changeLog().lastSequence();
        RecordSet reader = crm().as(Principal.user("rita", Role.READ_ONLY)).records(WIDGET);
        assertThatThrownBy(() -> reader.importRecords("denied", rows(1, 5, true)))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(widgets()).isZero();
        assertThat(crm().changeLog().lastSequence()).isEqualTo(sequence);
        assertThat(records(WIDGET).importRecords("denied", rows(1, 5, true)).created()).isEqualTo(5);
    }

    @Test
    void aSalesRepImportsRecordsHeOwnsAndCannotGiveAway() {
        CrmSession ann = crm().as(Principal.user("ann", Role.SALES_REP));
        List<Map<String, @Nullable Object>> rows = rows(1, 3, true);
        rows.set(1, values("name", "for bob", "owner", "bob"));

        ImportResult result = ann.records(WIDGET).importRecords("ann", rows);

        assertThat(result.createdIds().keySet()).containsExactly(1L, 3L);
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.row()).isEqualTo(2);
            assertThat(e.errors()).extracting(FieldError::field, FieldError::code).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("owner", FieldErrorCode.READ_ONLY));
        });
        for (UUID id : result.createdIds().values()) {
            Record r = ann.records(WIDGET).get(id);
            assertThat(r.owner()).isEqualTo("ann");
            assertThat(r.createdBy()).isEqualTo("ann");
        }
        assertThat(crm().as(Principal.user("bob", Role.SALES_REP)).records(WIDGET).count(Filters.all())).isZero();
    }

    @Test
    @SuppressWarnings("try") // the subscription is held open for its side effect only
    void listenersHearOfEachBatchAfterItCommits() throws Exception {
        List<List<ChangeLogEntry>> heard = new CopyOnWriteArrayList<>();
        List<Long> visible = new CopyOnWriteArrayList<>();
        try (AutoCloseable s = crm().changeLog().subscribe(changes -> {
            heard.add(changes);
            visible.add(widgets());
        })) {
            ImportResult result = records(WIDGET).importRecords("heard", rows(1, 10, true),
                    ImportOptions.defaults().batchSize(4));
            assertThat(heard).extracting(List::size).containsExactly(4, 4, 2);
            assertThat(visible).containsExactly(4L, 8L, 10L);
            assertThat(heard.stream().flatMap(List::stream).map(ChangeLogEntry::recordId).toList())
                    .containsExactlyElementsOf(result.createdIds().values());
        }
    }

    @Test
    void aConcurrentRunOfTheSameImportCommittingFirstCausesNoDuplicates() throws Exception {
        raceWithASecondRun(false);
    }

    @Test
    void aConcurrentRunOfTheSameImportTakingUniqueValuesFirstCausesNoDuplicates() throws Exception {
        raceWithASecondRun(true);
    }

    /**
     * Runs an import in batches of 2; after its first commit a second run of the same import (from the listener)
     * creates rows 3-6. The first run must then skip those rows, whether its commit conflicts on the import
     * ledger or its inserts on the unique codes the second run took.
     */
    @SuppressWarnings("try") // the subscription is held open for its side effect only
    private void raceWithASecondRun(boolean codes) throws Exception {
        List<Map<String, @Nullable Object>> rows = rows(1, 6, codes);
        AtomicBoolean started = new AtomicBoolean();
        AtomicReference<@Nullable ImportResult> second = new AtomicReference<>();
        try (AutoCloseable s = crm().changeLog().subscribe(changes -> {
            if (started.compareAndSet(false, true)) {
                second.set(records(WIDGET).importRecords("race", rows));
            }
        })) {
            ImportResult first = records(WIDGET).importRecords("race", rows, ImportOptions.defaults().batchSize(2));
            ImportResult other = second.get();
            assertThat(other).isNotNull();
            assertThat(other.createdIds().keySet()).containsExactly(3L, 4L, 5L, 6L);
            assertThat(first.createdIds().keySet()).containsExactly(1L, 2L);
            assertThat(first.failed()).isZero();
            Map<Long, UUID> all = new HashMap<>(first.createdIds());
            all.putAll(first.skippedIds());
            Map<Long, UUID> allOther = new HashMap<>(other.createdIds());
            allOther.putAll(other.skippedIds());
            assertThat(all).isEqualTo(allOther).hasSize(6);
            assertThat(widgets()).isEqualTo(6);
        }
    }
}
