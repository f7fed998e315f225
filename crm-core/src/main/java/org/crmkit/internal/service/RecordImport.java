package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.duplicate.DuplicateCandidate;
import org.crmkit.duplicate.DuplicateException;
import org.crmkit.error.ConflictException;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.internal.value.TextChecks;
import org.crmkit.internal.service.RowBatches.Row;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.record.ImportResult.RowError;
import org.crmkit.record.Record;
import org.crmkit.storage.spi.ImportKey;
import org.jspecify.annotations.Nullable;

/**
 * One run of {@link Records#importRecords}. Reads the rows batch by batch; each batch is one transaction that
 * creates its valid rows through the create pipeline of {@link RecordWrites} (duplicate check included, per row,
 * against the stored records and the batch's earlier rows) and records them in the storage's import
 * ledger. When the storage refuses a batch for a unique value taken, the batch is redone one row per transaction,
 * so the clash costs only its own row; when the commit conflicts on the ledger (a concurrent run of the same
 * import got there first), the ledger is read again and the batch retried once without the rows it now holds.
 * The ledger is keyed by principal, object type and import id ({@link ImportKey}): another principal's or another
 * type's use of the same import id is neither read nor skipped.
 */
final class RecordImport {
    static final int MAX_ID_LENGTH = 100;

    /** What one committed transaction did. */
    private record Outcome(Map<Long, UUID> created, List<RowError> errors,
            Map<Long, List<DuplicateCandidate>> duplicates) {}

    private final CrmEngine engine;
    private final RecordWrites records;
    private final Access access;
    private final ImportKey key;
    private final ImportOptions options;
    private final ReferenceResolver references;
    /** Rows of this import committed by earlier (or concurrent) runs, as last read from the storage. */
    private final Map<Long, UUID> ledger = new HashMap<>();
    private final Map<Long, UUID> created = new HashMap<>();
    private final Map<Long, UUID> skipped = new HashMap<>();
    private final List<RowError> errors = new ArrayList<>();
    private final Map<Long, List<DuplicateCandidate>> duplicates = new HashMap<>();

    RecordImport(CrmEngine engine, RecordWrites records, Access access, String importId, ImportOptions options) {
        this.engine = engine;
        this.records = records;
        this.access = access;
        this.key = new ImportKey(access.principal().id(), records.objectType(), importId);
        this.options = options;
        this.references = new ReferenceResolver(engine, access, records.objectType(), options);
    }

    /** Throws one {@link ValidationException} naming every bad argument. */
    static void checkArguments(String type, @Nullable String importId, @Nullable Iterable<?> rows,
            @Nullable ImportOptions options) {
        List<FieldError> problems = new ArrayList<>();
        if (importId == null || importId.isEmpty()) {
            problems.add(new FieldError("importId", FieldErrorCode.REQUIRED, "importId must not be null or empty"));
        } else if (TextChecks.length(importId) > MAX_ID_LENGTH) {
            problems.add(new FieldError("importId", FieldErrorCode.TOO_LONG, "importId must have at most "
                    + MAX_ID_LENGTH + " characters"));
        } else if (TextChecks.badCharacter(importId, false) != null) {
            problems.add(new FieldError("importId", FieldErrorCode.INVALID_CHARACTER, "importId holds "
                    + TextChecks.badCharacter(importId, false)));
        }
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
    }

    ImportResult run(Iterable<? extends Map<String, ?>> rows) {
        readLedger();
        RowBatches batches = new RowBatches(rows);
        while (batches.hasNext() && errors.size() < options.stopAfterErrors()) {
            write(batches.next(options.batchSize(), this::alreadyImported, errors));
        }
        return new ImportResult(created, skipped, errors, batches.hasNext(), duplicates);
    }

    private void readLedger() {
        ledger.putAll(engine.transaction(tx -> tx.storage.importedRows(key)));
    }

    /** Whether the ledger holds the row; if so it counts as skipped. */
    private boolean alreadyImported(long row) {
        UUID id = ledger.get(row);
        if (id != null) {
            skipped.put(row, id);
        }
        return id != null;
    }

    private List<Row> notImported(List<Row> rows) {
        return rows.stream().filter(r -> !alreadyImported(r.number())).toList();
    }

    /** Writes a batch; when the storage refuses it for a value (a unique value taken), row by row. */
    private void write(List<Row> batch) {
        try {
            Outcome done = commitRetryingOnce(batch);
            created.putAll(done.created());
            errors.addAll(done.errors());
            duplicates.putAll(done.duplicates());
        } catch (ValidationException e) {
            if (batch.size() == 1) {
                errors.add(new RowError(batch.get(0).number(), e.errors()));
                return;
            }
            readLedger(); // a concurrent run may have created some of these rows: their values clash now
            for (Row row : notImported(batch)) {
                write(List.of(row));
            }
        }
    }

    /** Commits; after a conflict on the ledger, commits once more the rows a concurrent run did not take. */
    private Outcome commitRetryingOnce(List<Row> batch) {
        try {
            return commit(batch);
        } catch (ConflictException e) {
            readLedger();
            return commit(notImported(batch));
        }
    }

    /** One transaction: creates the valid rows, logs them, and records them in the ledger. */
    private Outcome commit(List<Row> batch) {
        if (batch.isEmpty()) {
            return new Outcome(Map.of(), List.of(), Map.of());
        }
        return references.transaction(tx -> {
            CompiledSchema cs = engine.schema.compiled();
            ReferenceResolver.Resolved resolved = references.resolve(tx, cs, batch);
            List<Record> valid = new ArrayList<>();
            Map<Long, UUID> ids = new HashMap<>();
            List<RowError> invalid = new ArrayList<>();
            Map<Long, List<DuplicateCandidate>> found = new HashMap<>();
            for (Row row : batch) {
                try {
                    Record r = resolved.write(row, values -> records.newRecord(tx, access, cs, values));
                    List<DuplicateCandidate> d = records.duplicates().check(tx, access, cs, r, null, true, valid);
                    if (!d.isEmpty()) {
                        found.put(row.number(), d);
                    }
                    valid.add(r);
                    ids.put(row.number(), r.id());
                } catch (ValidationException e) {
                    invalid.add(new RowError(row.number(), e.errors()));
                } catch (DuplicateException e) {
                    invalid.add(new RowError(row.number(), List.of(DuplicateGuard.rowError(e))));
                }
            }
            if (!valid.isEmpty()) {
                tx.insertAll(valid);
                valid.forEach(r -> records.logCreated(tx, r));
                tx.storage.recordImported(key, ids);
            }
            return new Outcome(ids, invalid, found);
        });
    }
}
