package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.crmkit.duplicate.DuplicateException;
import org.crmkit.error.ConflictException;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.event.FieldChange;
import org.crmkit.internal.schema.NameRules;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.internal.service.RowBatches.Row;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult.RowError;
import org.crmkit.record.Record;
import org.crmkit.record.UpsertResult;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.storage.spi.StorageQuery;
import org.jspecify.annotations.Nullable;

/**
 * One run of {@link Records#upsert}. Reads the rows batch by batch; each batch is one transaction that reads the
 * live records in the principal's scope holding the batch's keys (one query per 500 keys), then applies the rows in
 * order through the create and update pipelines of {@link RecordWrites}: a row whose key no record holds creates
 * one, which a later row with the same key then updates. A row the pipelines refuse is reported and the others
 * written. When the storage refuses a batch at write time (a key or other unique value taken by a record this run
 * could not see, or a concurrent writer), the batch is redone one row per transaction, and a row that loses a race
 * is tried once more; a {@link ConflictException} escapes only when a row loses the race for one record twice.
 */
final class RecordUpsert {
    /** Keys read by one query. */
    private static final int KEYS_PER_QUERY = 500;

    /** What one committed transaction did. */
    private record Outcome(Map<Long, UUID> created, Map<Long, UUID> updated, Map<Long, UUID> unchanged,
            List<RowError> errors) {}

    private final CrmEngine engine;
    private final RecordWrites records;
    private final Access access;
    private final Field key;
    private final ImportOptions options;
    private final ReferenceResolver references;
    private final Map<Long, UUID> created = new HashMap<>();
    private final Map<Long, UUID> updated = new HashMap<>();
    private final Map<Long, UUID> unchanged = new HashMap<>();
    private final List<RowError> errors = new ArrayList<>();

    RecordUpsert(CrmEngine engine, RecordWrites records, Access access, Field key, ImportOptions options) {
        this.engine = engine;
        this.records = records;
        this.access = access;
        this.key = key;
        this.options = options;
        this.references = new ReferenceResolver(engine, access, records.objectType(), options);
    }

    /**
     * The key field, checked: a unique field of {@code t} the principal may read; otherwise, and for bad rows or
     * options, one {@link ValidationException} naming every problem.
     */
    static Field checkArguments(ObjectType t, Access access, @Nullable String keyField, @Nullable Iterable<?> rows,
            @Nullable ImportOptions options) {
        List<FieldError> problems = new ArrayList<>();
        Field f = null;
        if (keyField == null) {
            problems.add(new FieldError("keyField", FieldErrorCode.REQUIRED, "keyField must not be null"));
        } else {
            f = t.findField(keyField).filter(x -> access.canSee(x.name())).orElse(null);
            if (f == null) {
                problems.add(new FieldError("keyField", FieldErrorCode.UNKNOWN_FIELD, t.name() + " has no field '"
                        + NameRules.shown(keyField) + "'"));
            } else if (!f.unique()) {
                problems.add(new FieldError("keyField", FieldErrorCode.WRONG_TYPE, t.name() + "." + f.name()
                        + " is not unique: an upsert key must be (an external id, Field.externalId)"));
            }
        }
        if (rows == null) {
            problems.add(new FieldError("rows", FieldErrorCode.REQUIRED, "rows must not be null"));
        }
        if (options == null) {
            problems.add(new FieldError("options", FieldErrorCode.REQUIRED, "options must not be null"));
        } else {
            RecordImport.checkOptions(options, problems);
            if (options.dryRun()) {
                problems.add(new FieldError("dryRun", FieldErrorCode.UNSUPPORTED_OPERATION,
                        "an upsert has no dry run: it would write"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(t.name(), problems);
        }
        return Objects.requireNonNull(f);
    }

    UpsertResult run(Iterable<? extends Map<String, ?>> rows) {
        RowBatches batches = new RowBatches(rows);
        while (batches.hasNext() && errors.size() < options.stopAfterErrors()) {
            write(batches.next(options.batchSize(), number -> false, errors), true);
        }
        return new UpsertResult(created, updated, unchanged, errors, batches.hasNext());
    }

    /** Writes a batch; when the storage refuses it, row by row, each row tried twice if it loses a race. */
    private void write(List<Row> batch, boolean retry) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            Outcome done = references.transaction(tx -> commit(tx, batch));
            created.putAll(done.created());
            updated.putAll(done.updated());
            unchanged.putAll(done.unchanged());
            errors.addAll(done.errors());
        } catch (ValidationException | ConflictException e) {
            if (batch.size() > 1) {
                batch.forEach(row -> write(List.of(row), true));
            } else if (retry) {
                write(batch, false); // a concurrent writer took the key or changed its record: read it again
            } else if (e instanceof ValidationException v) {
                errors.add(new RowError(batch.get(0).number(), v.errors()));
            } else {
                throw e; // lost the race for the same record twice
            }
        }
    }

    /** One transaction: the rows applied in order. */
    private Outcome commit(Tx tx, List<Row> batch) {
        CompiledSchema cs = engine.schema.compiled();
        ReferenceResolver.Resolved resolved = references.resolve(tx, cs, batch);
        List<RowError> invalid = new ArrayList<>();
        Map<Long, Object> keys = new HashMap<>();
        for (Row row : batch) {
            List<FieldError> problems = new ArrayList<>();
            Object raw = row.values().get(key.name());
            Object k = raw == null ? null : engine.converter.convert(key, raw, problems);
            if (k == null && problems.isEmpty()) {
                problems.add(new FieldError(key.name(), FieldErrorCode.REQUIRED, "the row has no " + key.name()
                        + ", the key of the upsert"));
            }
            if (problems.isEmpty()) {
                keys.put(row.number(), Objects.requireNonNull(k));
            } else {
                invalid.add(new RowError(row.number(), problems));
            }
        }
        Map<Object, Record> byKey = holders(tx, cs, new LinkedHashSet<>(keys.values()));
        Map<Long, UUID> made = new HashMap<>();
        Map<Long, UUID> changed = new HashMap<>();
        Map<Long, UUID> same = new HashMap<>();
        List<Record> createdHere = new ArrayList<>();
        for (Row row : batch) {
            Object k = keys.get(row.number());
            if (k == null) {
                continue;
            }
            Record before = byKey.get(k);
            try {
                if (before == null) {
                    Record r = resolved.write(row, values -> records.newRecord(tx, access, cs, values));
                    records.duplicates().check(tx, access, cs, r, null, false, createdHere);
                    tx.insert(r);
                    records.logCreated(tx, r);
                    createdHere.add(r);
                    byKey.put(k, r);
                    made.put(row.number(), r.id());
                    continue;
                }
                if (!access.inWriteScope(before)) {
                    // a record the caller may read but not write (shared for reading): the row is refused, as an
                    // update of it would be, and the record is not named beyond the key the caller gave
                    invalid.add(new RowError(row.number(), List.of(new FieldError(key.name(),
                            FieldErrorCode.READ_ONLY, "the record holding this " + key.name()
                                    + " is shared with you for reading only"))));
                    continue;
                }
                Record after = resolved.write(row, values -> records.changedRecord(tx, access, cs, before, values));
                List<FieldChange> diff = ChangeDiff.between(before, after);
                if (diff.isEmpty()) {
                    same.put(row.number(), before.id());
                    continue;
                }
                records.duplicates().check(tx, access, cs, after, before, false, List.of());
                tx.update(after, before);
                records.logUpdated(tx, after, diff);
                byKey.put(k, after);
                changed.put(row.number(), after.id());
            } catch (ValidationException e) {
                if (before == null && takenKey(e)) {
                    throw e; // created meanwhile by a concurrent upsert, or held where this run cannot match it
                }
                invalid.add(new RowError(row.number(), e.errors()));
            } catch (DuplicateException e) {
                invalid.add(new RowError(row.number(), List.of(DuplicateGuard.rowError(e))));
            }
        }
        return new Outcome(made, changed, same, invalid);
    }

    /** Whether a create was refused because another record holds its key: worth reading the key again. */
    private boolean takenKey(ValidationException e) {
        return e.errors().stream().anyMatch(x -> x.field().equals(key.name())
                && x.code() == FieldErrorCode.NOT_UNIQUE);
    }

    /** The live records in the principal's scope holding these keys, by key. */
    private Map<Object, Record> holders(Tx tx, CompiledSchema cs, LinkedHashSet<Object> keys) {
        Map<Object, Record> out = new HashMap<>();
        List<Object> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += KEYS_PER_QUERY) {
            List<Object> part = all.subList(from, Math.min(all.size(), from + KEYS_PER_QUERY));
            QueryPlanner planner = new QueryPlanner(cs, records.objectType(), access.principal(), engine.converter,
                    engine.accessModels);
            Filter filter = planner.withScope(planner.filter(Filters.where(key.name()).in(List.copyOf(part))));
            List<Sort> byId = List.of(Sort.asc("id"));
            planner.resolveAdded("id");
            planner.finish();
            StorageQuery q = new StorageQuery(filter, byId, part.size() + 1, null, Query.Deleted.EXCLUDE,
                    planner.paths());
            for (Record r : tx.storage.query(records.objectType(), q)) {
                Object held = r.get(key.name());
                if (held != null) {
                    out.put(held, r);
                }
            }
        }
        return out;
    }
}
