package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.crmkit.RecordSet;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.ConflictException;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.Operation;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult.RowError;
import org.crmkit.record.Record;
import org.crmkit.record.UpsertResult;
import org.crmkit.schema.Field;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upsert by an external id ({@code RecordSet.upsert}, {@code Field.externalId}): on company, keyed by
 * {@code erp_id}. Rows create the records no live record holds the key of and update the others, in order (a key
 * given twice creates then updates), per batch; bad rows are reported and the others written; the key field must be
 * a unique field the caller can see; records outside the caller's scope or soft-deleted are not matched (the row is
 * refused as taken); concurrent
 * upserts of the same keys leave one record per key.
 */
public abstract class UpsertContract extends ConformanceContract {
    @BeforeEach
    void externalIds() {
        crm().schema().addField("company", Field.externalId("erp_id"));
        crm().schema().addField("company", Field.integer("headcount"));
    }

    private List<Record> holding(String erpId) {
        return all(records("company"), Query.where(Filters.where("erp_id").eq(erpId)).limit(Query.MAX_LIMIT));
    }

    private static Map<String, Object> row(String erpId, String name, long employees) {
        return Map.of("erp_id", erpId, "name", name, "headcount", employees);
    }

    @Test
    void anExternalIdIsAUniqueIndexedTextField() {
        Field f = crm().schema().objectType("company").findField("erp_id").orElseThrow();
        assertThat(f.unique()).isTrue();
        assertThat(f.indexed()).isTrue();
    }

    @Test
    void anUpsertRefusesADryRunAndWritesNothing() {
        assertThatThrownBy(() -> records("company").upsert("erp_id", List.of(row("E-1", "Acme", 3)),
                ImportOptions.defaults().dryRun(true))).isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.hasErrorOn("dryRun")).isTrue());
        assertThat(holding("E-1")).isEmpty();
    }

    @Test
    void rowsCreateWhatNoRecordHoldsAndUpdateTheRest() {
        Record acme = records("company").create(Map.of("name", "Acme", "erp_id", "C-1"));
        long seq = crm().changeLog().lastSequence();
        UpsertResult r = records("company").upsert("erp_id", List.of(row("C-1", "Acme Corp", 40),
                row("C-2", "Globex", 12), Map.of("erp_id", "C-1", "name", "Acme Corp")));
        assertThat(r.updatedIds()).containsOnlyKeys(1L).containsValue(acme.id());
        assertThat(r.createdIds()).containsOnlyKeys(2L);
        assertThat(r.unchangedIds()).containsEntry(3L, acme.id());
        assertThat(r.errors()).isEmpty();
        Record updated = records("company").get(acme.id());
        assertThat(updated.get("name")).isEqualTo("Acme Corp");
        assertThat(updated.get("headcount")).isEqualTo(40L);
        assertThat(updated.version()).isEqualTo(acme.version() + 1);
        assertThat(holding("C-2")).singleElement().satisfies(g -> assertThat(g.get("headcount")).isEqualTo(12L));
        List<ChangeLogEntry> log = logAfter(seq);
        assertThat(log).extracting(ChangeLogEntry::operation).containsExactly(Operation.UPDATE, Operation.CREATE);
    }

    @Test
    void aKeyGivenTwiceIsCreatedOnceThenUpdatedInOneBatchOrAcrossBatches() {
        for (int batch : List.of(1000, 1)) {
            String k = "K-" + batch;
            UpsertResult r = records("company").upsert("erp_id", List.of(row(k, "First", 1), row(k, "Second", 2)),
                    ImportOptions.defaults().batchSize(batch));
            assertThat(r.createdIds()).containsOnlyKeys(1L);
            assertThat(r.updatedIds()).containsOnlyKeys(2L);
            assertThat(r.updatedIds().get(2L)).isEqualTo(r.createdIds().get(1L));
            assertThat(holding(k)).singleElement().satisfies(c -> {
                assertThat(c.get("name")).isEqualTo("Second");
                assertThat(c.get("headcount")).isEqualTo(2L);
            });
        }
    }

    @Test
    void badRowsAreReportedAndTheOthersWritten() {
        records("company").create(Map.of("name", "Taken", "erp_id", "T-1"));
        List<Map<String, ?>> rows = new ArrayList<>();
        rows.add(row("A-1", "Fine", 1));
        rows.add(Map.of("name", "No key"));
        rows.add(Map.of("erp_id", "A-2", "name", "Bad number", "headcount", "many"));
        rows.add(Map.of("erp_id", "A-3", "headcount", 3)); // a new record without its required name
        rows.add(row("A-4", "Also fine", 4));
        UpsertResult r = records("company").upsert("erp_id", rows, ImportOptions.defaults().batchSize(10));
        assertThat(r.createdIds()).containsOnlyKeys(1L, 5L);
        assertThat(r.errors()).extracting(RowError::row).containsExactly(2L, 3L, 4L);
        assertThat(r.errors().get(0).errors()).anySatisfy(e -> {
            assertThat(e.field()).isEqualTo("erp_id");
            assertThat(e.code()).isEqualTo(FieldErrorCode.REQUIRED);
        });
        assertThat(r.errors().get(1).errors()).anySatisfy(e -> assertThat(e.field()).isEqualTo("headcount"));
        assertThat(r.errors().get(2).errors()).anySatisfy(e -> assertThat(e.field()).isEqualTo("name"));
        assertThat(holding("A-2")).isEmpty();
        assertThat(holding("A-3")).isEmpty();
        assertThat(holding("T-1")).singleElement().satisfies(c -> assertThat(c.get("name")).isEqualTo("Taken"));
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose: checks that each null argument is named
    void theKeyMustBeAUniqueFieldTheCallerSees() {
        long seq = crm().changeLog().lastSequence();
        RecordSet companies = records("company");
        assertThatThrownBy(() -> companies.upsert("headcount", List.of(row("X", "x", 1))))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(hasError(e, "keyField", FieldErrorCode.WRONG_TYPE)).isTrue());
        assertThatThrownBy(() -> companies.upsert("nope", List.of(row("X", "x", 1))))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(hasError(e, "keyField", FieldErrorCode.UNKNOWN_FIELD)).isTrue());
        assertThatThrownBy(() -> companies.upsert(null, null, null)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(List.of(hasError(e, "keyField", FieldErrorCode.REQUIRED),
                        hasError(e, "rows", FieldErrorCode.REQUIRED), hasError(e, "options", FieldErrorCode.REQUIRED)))
                        .containsOnly(true));
        Role noErp = Role.builder("no_erp").grant("company", RecordScope.ALL, Permission.values())
                .field("company", "erp_id", FieldAccess.HIDDEN).build();
        Throwable hidden = org.assertj.core.api.Assertions.catchThrowable(() -> crm().as(Principal.user("u", noErp))
                .records("company").upsert("erp_id", List.of(row("X", "x", 1))));
        Throwable unknown = org.assertj.core.api.Assertions.catchThrowable(() -> companies.upsert("erp_idx",
                List.of(row("X", "x", 1))));
        assertThat(hidden).isInstanceOf(ValidationException.class)
                .hasMessage(String.valueOf(unknown.getMessage()).replace("erp_idx", "erp_id"));
        Role readOnly = Role.builder("reader").grant("company", RecordScope.ALL, Permission.READ, Permission.UPDATE)
                .build();
        assertThatThrownBy(() -> crm().as(Principal.user("r", readOnly)).records("company").upsert("erp_id",
                List.of(row("X", "x", 1)))).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> system().inTransactionDo(s -> s.records("company").upsert("erp_id",
                List.of(row("X", "x", 1))))).isInstanceOf(IllegalStateException.class);
        assertThat(logAfter(seq)).isEmpty();
    }

    @Test
    void recordsOutsideTheScopeOrDeletedAreNotMatched() {
        Record deleted = records("company").create(Map.of("name", "Gone", "erp_id", "D-1"));
        records("company").delete(deleted.id(), deleted.version());
        // a deleted record keeps its unique values: the row is refused as a create would be, until it is restored
        UpsertResult again = records("company").upsert("erp_id", List.of(row("D-1", "Back", 1)));
        assertThat(again.createdIds()).isEmpty();
        assertThat(again.errors()).singleElement().satisfies(e -> assertThat(e.errors()).anySatisfy(fe -> {
            assertThat(fe.field()).isEqualTo("erp_id");
            assertThat(fe.code()).isEqualTo(FieldErrorCode.NOT_UNIQUE);
        }));
        Record restored = records("company").restore(deleted.id(), deleted.version() + 1);
        assertThat(records("company").upsert("erp_id", List.of(row("D-1", "Back", 1))).updatedIds())
                .containsEntry(1L, restored.id());
        // someone else's record holds the key: a rep who sees only their own cannot match it, and learns only that
        // the key is taken
        Record theirs = records("company").create(Map.of("name", "Secret Corp", "erp_id", "S-1"));
        UpsertResult mine = crm().as(Principal.user("rep", Role.SALES_REP)).records("company").upsert("erp_id",
                List.of(row("S-1", "Mine", 1), row("S-2", "Also mine", 2)));
        assertThat(mine.createdIds()).containsOnlyKeys(2L);
        assertThat(mine.errors()).singleElement().satisfies(e -> {
            assertThat(e.row()).isEqualTo(1L);
            assertThat(e.errors()).anySatisfy(fe -> {
                assertThat(fe.field()).isEqualTo("erp_id");
                assertThat(fe.code()).isEqualTo(FieldErrorCode.NOT_UNIQUE);
            });
            assertThat(e.errors().toString()).doesNotContain("Secret Corp").doesNotContain(theirs.id().toString());
        });
        assertThat(records("company").get(theirs.id()).get("name")).isEqualTo("Secret Corp");
    }

    @Test
    void concurrentUpsertsOfTheSameKeysLeaveOneRecordPerKey() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    List<Map<String, ?>> rows = new ArrayList<>();
                    for (int k = 0; k < 20; k++) {
                        rows.add(row("P-" + k, "by " + thread, thread));
                    }
                    for (int attempt = 0;; attempt++) {
                        try {
                            UpsertResult r = records("company").upsert("erp_id", rows,
                                    ImportOptions.defaults().batchSize(5));
                            assertThat(r.errors()).isEmpty();
                            return null;
                        } catch (ConflictException e) {
                            if (attempt > 20) {
                                throw e; // as documented: run it again; twenty times is not contention
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int k = 0; k < 20; k++) {
            assertThat(holding("P-" + k)).as("P-" + k).hasSize(1);
        }
    }
}
