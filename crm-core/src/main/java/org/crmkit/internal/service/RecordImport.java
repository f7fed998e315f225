package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.crmkit.duplicate.DuplicateCandidate;
import org.crmkit.duplicate.DuplicateException;
import org.crmkit.error.ConflictException;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.internal.service.RowBatches.Row;
import org.crmkit.internal.value.ReadRow;
import org.crmkit.internal.value.TextChecks;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportProgress;
import org.crmkit.record.ImportResult;
import org.crmkit.record.ImportResult.RowError;
import org.crmkit.record.Record;
import org.crmkit.storage.spi.ImportKey;
import org.jspecify.annotations.Nullable;

/**
 * One run of {@link Records#importRecords}. Reads the rows batch by batch; each batch is one transaction that reads
 * which of its rows the storage's import ledger already holds (those are skipped), creates the other valid rows
 * through the create pipeline of {@link RecordWrites} (duplicate check included, per row, against the stored records
 * and the batch's earlier rows) and records them in the ledger. When the storage refuses a batch for a unique value
 * taken, the batch is redone one row per transaction, so the clash costs only its own row; when the commit conflicts
 * on the ledger (a concurrent run of the same import got there first), the batch is retried once, reading the ledger
 * again. The ledger is keyed by principal, object type and import id ({@link ImportKey}): another principal's or
 * another type's use of the same import id is neither read nor skipped. The ledger is read per batch, for the batch's
 * rows only, so a resumed import of millions of rows holds no more of it than one batch.
 *
 * <p>A dry run ({@link ImportOptions#dryRun()}) does the same checks in a transaction that writes nothing, and checks
 * unique values itself ({@link UniqueProbe}), as the storage would have refused them. After each batch the
 * {@link ImportOptions#progress()} listener hears the totals and the batch's errors. {@link #count} keeps only
 * totals, for callers that hear of every error through the listener and must not hold one entry per row.
 */
final class RecordImport {
    static final int MAX_ID_LENGTH = 100;

    /** What an import did, in totals only. */
    record Counts(long rows, long created, long skipped, long failed, boolean stopped) {}

    /** What one batch did (filled by its transactions). */
    private static final class Batch {
        final Map<Long, UUID> created = new HashMap<>();
        final Map<Long, UUID> skipped = new HashMap<>();
        final List<RowError> errors = new ArrayList<>();
        final Map<Long, List<DuplicateCandidate>> duplicates = new HashMap<>();

        void add(Batch done) {
            created.putAll(done.created);
            skipped.putAll(done.skipped);
            errors.addAll(done.errors);
            duplicates.putAll(done.duplicates);
        }
    }

    private final CrmEngine engine;
    private final RecordWrites records;
    private final Access access;
    private final ImportKey key;
    private final ImportOptions options;
    private final @Nullable UniqueProbe uniques;
    private final ReferenceResolver references;
    private boolean keep = true;
    private final Map<Long, UUID> created = new HashMap<>();
    private final Map<Long, UUID> skipped = new HashMap<>();
    private final List<RowError> errors = new ArrayList<>();
    private final Map<Long, List<DuplicateCandidate>> duplicates = new HashMap<>();
    private long createdCount;
    private long skippedCount;
    private long failedCount;

    RecordImport(CrmEngine engine, RecordWrites records, Access access, String importId, ImportOptions options) {
        this.engine = engine;
        this.records = records;
        this.access = access;
        this.key = new ImportKey(access.principal().id(), records.objectType(), importId);
        this.options = options;
        this.uniques = options.dryRun() ? new UniqueProbe(records.objectType()) : null;
        this.references = new ReferenceResolver(engine, access, records.objectType(), options);
    }

    /** Throws one {@link ValidationException} naming every bad argument. */
    static void checkArguments(String type, @Nullable String importId, @Nullable Iterable<?> rows,
            @Nullable ImportOptions options) {
        List<FieldError> problems = new ArrayList<>();
        checkImportId(importId, problems);
        if (rows == null) {
            problems.add(new FieldError("rows", FieldErrorCode.REQUIRED, "rows must not be null"));
        }
        if (options == null) {
            problems.add(new FieldError("options", FieldErrorCode.REQUIRED, "options must not be null"));
        } else {
            checkOptions(options, problems);
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(type, problems);
        }
    }

    /** Adds a problem when the import id is missing, too long or holds a control character. */
    static void checkImportId(@Nullable String importId, List<FieldError> problems) {
        if (importId == null || importId.isEmpty()) {
            problems.add(new FieldError("importId", FieldErrorCode.REQUIRED, "importId must not be null or empty"));
        } else if (TextChecks.length(importId) > MAX_ID_LENGTH) {
            problems.add(new FieldError("importId", FieldErrorCode.TOO_LONG, "importId must have at most "
                    + MAX_ID_LENGTH + " characters"));
        } else if (TextChecks.badCharacter(importId, false) != null) {
            problems.add(new FieldError("importId", FieldErrorCode.INVALID_CHARACTER, "importId holds "
                    + TextChecks.badCharacter(importId, false)));
        }
    }

    /** Adds a problem for each option out of range. */
    static void checkOptions(ImportOptions options, List<FieldError> problems) {
        if (options.batchSize() < 1 || options.batchSize() > ImportOptions.MAX_BATCH_SIZE) {
            problems.add(new FieldError("batchSize", FieldErrorCode.OUT_OF_RANGE, "batch size must be 1 to "
                    + ImportOptions.MAX_BATCH_SIZE + ", not " + options.batchSize()));
        }
        if (options.stopAfterErrors() < 1) {
            problems.add(new FieldError("stopAfterErrors", FieldErrorCode.OUT_OF_RANGE,
                    "stopAfterErrors must be at least 1, not " + options.stopAfterErrors()));
        }
        options.references().forEach((field, lookup) -> {
            if (options.dryRun() && lookup.createsMissing()) {
                problems.add(new FieldError("references." + field, FieldErrorCode.WRONG_TYPE, "a dry run "
                        + "creates nothing, so it cannot check rows whose " + field + " would be created "
                        + "(createMissing): dry-run without createMissing to see which keys are missing"));
            }
        });
    }

    /** Runs the import and returns what it did with every row. */
    ImportResult run(Iterable<? extends Map<String, ?>> rows) {
        Counts counts = importAll(rows);
        return new ImportResult(created, skipped, errors, counts.stopped(), duplicates);
    }

    /** Runs the import keeping totals only: each row's errors reach the progress listener and are forgotten. */
    Counts count(Iterable<? extends Map<String, ?>> rows) {
        keep = false;
        return importAll(rows);
    }

    private Counts importAll(Iterable<? extends Map<String, ?>> rows) {
        RowBatches batches = new RowBatches(rows);
        try (ValuesAhead ahead = new ValuesAhead(engine.converter, engine.schema.compiled().snapshot
                .findObjectType(records.objectType()).map(t -> t.fields()).orElse(List.of()))) {
            while (batches.hasNext() && failedCount < options.stopAfterErrors()) {
                Batch done = new Batch();
                List<Row> batch = batches.next(options.batchSize(), number -> false, done.errors);
                ahead.prepare(batch.stream().map(Row::values).toList());
                write(batch, done);
                ahead.forget();
                tally(done, batches.read());
            }
        }
        return new Counts(batches.read(), createdCount, skippedCount, failedCount, batches.hasNext());
    }

    private void tally(Batch done, long rowsRead) {
        createdCount += done.created.size();
        skippedCount += done.skipped.size();
        failedCount += done.errors.size();
        if (keep) {
            created.putAll(done.created);
            skipped.putAll(done.skipped);
            errors.addAll(done.errors);
            duplicates.putAll(done.duplicates);
        }
        List<RowError> batchErrors = done.errors.stream().sorted(Comparator.comparingLong(RowError::row)).toList();
        options.progress().accept(new ImportProgress(rowsRead, createdCount, skippedCount, failedCount,
                batchErrors));
    }

    /** Writes a batch; when the storage refuses it for a value (a unique value taken), row by row. */
    private void write(List<Row> batch, Batch into) {
        try {
            into.add(commitRetryingOnce(batch));
        } catch (ValidationException e) {
            if (batch.size() == 1) {
                into.errors.add(new RowError(batch.get(0).number(), e.errors()));
                return;
            }
            for (Row row : batch) {
                write(List.of(row), into); // each reads the ledger again: a concurrent run may have made some
            }
        }
    }

    /** Commits; after a conflict on the ledger, commits once more, reading the ledger again. */
    private Batch commitRetryingOnce(List<Row> batch) {
        try {
            return commit(batch);
        } catch (ConflictException e) {
            return commit(batch);
        }
    }

    /** One transaction: skips the rows the ledger holds, creates the valid rows, logs them, records them. */
    private Batch commit(List<Row> batch) {
        Batch out = new Batch();
        if (batch.isEmpty()) {
            return out;
        }
        return references.transaction(tx -> {
            CompiledSchema cs = engine.schema.compiled();
            ReferenceResolver.Resolved resolved = references.resolve(tx, cs, batch);
            long first = batch.get(0).number();
            long last = batch.get(batch.size() - 1).number();
            Map<Long, UUID> done = tx.storage.importedRows(key, first, last);
            List<Record> valid = new ArrayList<>();
            Map<Long, Record> byRow = new HashMap<>();
            for (Row row : batch) {
                UUID earlier = done.get(row.number());
                if (earlier != null) {
                    out.skipped.put(row.number(), earlier);
                    continue;
                }
                try {
                    Record r = resolved.write(row, values -> newRecord(tx, cs, values));
                    List<DuplicateCandidate> d = records.duplicates().check(tx, access, cs, r, null, true, valid);
                    if (!d.isEmpty()) {
                        out.duplicates.put(row.number(), d);
                    }
                    valid.add(r);
                    byRow.put(row.number(), r);
                } catch (ValidationException e) {
                    out.errors.add(new RowError(row.number(), e.errors()));
                } catch (DuplicateException e) {
                    out.errors.add(new RowError(row.number(), List.of(DuplicateGuard.rowError(e))));
                }
            }
            if (uniques != null) {
                Map<Long, List<FieldError>> taken = uniques.check(tx, cs, byRow);
                taken.forEach((row, problems) -> {
                    byRow.remove(row);
                    out.duplicates.remove(row);
                    out.errors.add(new RowError(row, problems));
                });
            }
            byRow.forEach((row, r) -> out.created.put(row, r.id()));
            if (uniques == null && !valid.isEmpty()) {
                tx.insertAll(valid);
                valid.forEach(r -> records.logCreated(tx, r));
                tx.storage.recordImported(key, out.created);
            }
            return out;
        });
    }

    /**
     * The record a row creates, or every problem of the row: for a row read from text ({@link ReadRow}) the
     * problems its reading found, then the others the create finds (but none about a field whose cell was bad).
     */
    private Record newRecord(Tx tx, CompiledSchema cs, Map<String, ?> values) {
        List<FieldError> read = values instanceof ReadRow r ? r.readErrors() : List.of();
        if (read.isEmpty()) {
            return records.newRecord(tx, access, cs, values);
        }
        List<FieldError> all = new ArrayList<>(read);
        Set<String> bad = new HashSet<>();
        read.forEach(e -> bad.add(e.field()));
        try {
            records.newRecord(tx, access, cs, values);
        } catch (ValidationException e) {
            e.errors().stream().filter(x -> !bad.contains(x.field())).forEach(all::add);
        }
        throw new ValidationException(records.objectType(), all);
    }
}
