package org.crmkit.storage.memory.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.error.ConflictException;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.NotFoundException;
import org.crmkit.error.SchemaException;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Filter;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.ImportKey;
import org.crmkit.storage.spi.ResolvedFilter;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.ResolvedPaths;
import org.crmkit.storage.spi.StorageQuery;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.storage.spi.ValueOrder;
import org.crmkit.storage.support.FilterEvaluator;
import org.crmkit.storage.support.ReferenceAggregation;
import org.jspecify.annotations.Nullable;

/**
 * A transaction on a {@link MemoryStore}: reads see committed state overlaid with this transaction's own
 * buffered writes; {@link #commit()} re-checks every import-ledger row, every written record's version and every
 * unique value against what committed meanwhile (first committer wins, later ones get {@link ConflictException},
 * or {@link ValidationException} for a unique value) and applies all or nothing. Record locks
 * ({@link #lockForUpdate}) are {@link RecordLocks}', released when the transaction ends. One class of about 500
 * lines because it is one SPI object whose reads, buffered writes and commit share the same overlay; the parts that
 * are not (aggregation and filter evaluation, in {@code storage.support}; field indexes, reference checks, locks) have
 * their own classes.
 */
final class MemoryTransaction implements StorageTransaction {
    /** A buffered write: the record after it (null: purged) and the committed version it replaced (0: new). */
    private record Write(String type, @Nullable Record after, long baseVersion) {}

    private record SchemaStep(SchemaChange change, SchemaSnapshot next, SchemaChangeEntry entry) {}

    private final MemoryStore store;
    private final Map<UUID, Write> writes = new LinkedHashMap<>();
    private final List<SchemaStep> schemaSteps = new ArrayList<>();
    private final List<ChangeLogEntry> staged = new ArrayList<>();
    /** The sealing of each staged entry, null for an entry staged without one. */
    private final List<org.crmkit.storage.spi.@Nullable ChangeSealing> sealings = new ArrayList<>();
    /** (principal, type, import id) -> row number -> record id, buffered import-ledger rows. */
    private final Map<ImportKey, Map<Long, UUID>> imported = new LinkedHashMap<>();
    private final List<CommitPart> parts = new ArrayList<>();
    /** record id -> its new merge link (empty: removed), buffered. */
    private final Map<UUID, Optional<MemoryStore.MergeLink>> mergeLinks = new LinkedHashMap<>();
    private boolean done;

    /**
     * Work of another part of the store (job queue, documents) that commits with this transaction: every part's
     * {@link #check()} runs under the store's write lock after the transaction's own checks (a throw fails the commit
     * with nothing applied), then every {@link #apply()}, in the order the parts were added.
     */
    interface CommitPart {
        void check();

        void apply();
    }

    MemoryTransaction(MemoryStore store) {
        this.store = store;
    }

    private void checkActive() {
        store.checkOpen();
        if (done) {
            throw new CrmException(ErrorCode.CLOSED, "transaction already ended");
        }
    }

    private SchemaSnapshot schema() {
        if (!schemaSteps.isEmpty()) {
            return schemaSteps.get(schemaSteps.size() - 1).next();
        }
        SchemaSnapshot s = store.currentSchema();
        return s != null ? s : new SchemaSnapshot(0, Map.of(), Map.of());
    }

    @Override
    public void applySchemaChange(SchemaChange change, SchemaSnapshot next, SchemaChangeEntry entry) {
        checkActive();
        if (next.version() != schema().version() + 1) {
            throw concurrent(change);
        }
        schemaSteps.add(new SchemaStep(change, next, entry));
    }

    private static SchemaException concurrent(SchemaChange change) {
        return new SchemaException(SchemaException.Problem.CONCURRENT_CHANGE, change.objectType(), null,
                "another schema change was applied first; reload and retry");
    }

    // ---- reads --------------------------------------------------------------------------------------------

    @Override
    public Optional<Record> find(String type, UUID id) {
        checkActive();
        Write w = writes.get(id);
        if (w != null) {
            return Optional.ofNullable(w.after()).filter(r -> r.type().equals(type));
        }
        return Optional.ofNullable(store.table(type).get(id));
    }

    /**
     * The records of a type as this transaction sees it that can match {@code filter}: those an index of the store
     * names ({@link FieldIndexes#candidates}), else all; the caller holds the read lock and evaluates the filter.
     */
    private List<Record> scan(String type, Filter filter, ResolvedPaths paths) {
        List<Record> out = new ArrayList<>();
        RowTable table = store.table(type);
        java.util.Collection<UUID> ids = store.indexes.candidates(type, filter, paths);
        if (ids == null) {
            for (Record r : table.values()) {
                if (!writes.containsKey(r.id())) {
                    out.add(r);
                }
            }
        } else {
            for (UUID id : ids) {
                Record r = table.get(id);
                if (r != null && !writes.containsKey(id)) {
                    out.add(r);
                }
            }
        }
        for (Write w : writes.values()) {
            if (w.type().equals(type) && w.after() != null) {
                out.add(w.after());
            }
        }
        return out;
    }

    private List<Record> matching(String type, Filter filter, ResolvedPaths paths, Query.Deleted deleted,
            FilterEvaluator eval) {
        store.lock.readLock().lock();
        try {
            List<Record> out = new ArrayList<>();
            for (Record r : scan(type, filter, paths)) {
                boolean keep = switch (deleted) {
                    case EXCLUDE -> !r.isDeleted();
                    case ONLY -> r.isDeleted();
                    case INCLUDE -> true;
                };
                if (keep && eval.matches(r, filter)) {
                    out.add(r);
                }
            }
            return out;
        } finally {
            store.lock.readLock().unlock();
        }
    }

    private FilterEvaluator evaluator(Filter filter, ResolvedPaths paths) {
        return new FilterEvaluator(filter, paths, this::find);
    }

    @Override
    public List<Record> query(String type, StorageQuery query) {
        checkActive();
        FilterEvaluator eval = evaluator(query.filter(), query.paths());
        List<ResolvedPath> paths = query.sorts().stream().map(s -> eval.path(s.path())).toList();
        List<Boolean> descending = query.sorts().stream().map(Sort::descending).toList();
        List<Record> rows = matching(type, query.filter(), query.paths(), query.deleted(), eval);
        Comparator<Record> order = (a, b) -> ValueOrder.compareKeys(ReferenceAggregation.key(a, paths),
                ReferenceAggregation.key(b, paths), descending);
        rows.sort(order);
        List<Record> out = new ArrayList<>();
        for (Record r : rows) {
            if (query.after() != null
                    && ValueOrder.compareKeys(ReferenceAggregation.key(r, paths), query.after(), descending) <= 0) {
                continue;
            }
            out.add(r);
            if (out.size() == query.limit()) {
                break;
            }
        }
        return out;
    }

    @Override
    public long count(String type, ResolvedFilter filter, Query.Deleted deleted) {
        checkActive();
        if (schema().findObjectType(type).isEmpty()) {
            return 0;
        }
        return matching(type, filter.filter(), filter.paths(), deleted, evaluator(filter.filter(), filter.paths()))
                .size();
    }

    @Override
    public List<AggregateRow> aggregate(String type, ResolvedFilter filter, List<String> groupBy,
            List<Metric> metrics) {
        checkActive();
        FilterEvaluator eval = evaluator(filter.filter(), filter.paths());
        List<ResolvedPath> groupPaths = groupBy.stream().map(eval::path).toList();
        return ReferenceAggregation.aggregate(
                matching(type, filter.filter(), filter.paths(), Query.Deleted.EXCLUDE, eval), groupPaths,
                metrics, eval);
    }

    // ---- writes -------------------------------------------------------------------------------------------

    @Override
    public void insert(Record record) {
        checkActive();
        if (find(record.type(), record.id()).isPresent() || store.table(record.type()).containsKey(record.id())) {
            throw new ConflictException(record.type(), record.id(), 0, find(record.type(), record.id())
                    .map(Record::version).orElse(-1L));
        }
        checkUnique(record);
        Write previous = writes.get(record.id());
        writes.put(record.id(), new Write(record.type(), record, previous == null ? 0 : previous.baseVersion()));
    }

    @Override
    public Map<Long, UUID> importedRows(ImportKey key) {
        checkActive();
        Map<Long, UUID> rows = new HashMap<>(store.importedRows(key));
        rows.putAll(imported.getOrDefault(key, Map.of()));
        return rows;
    }

    @Override
    public Map<Long, UUID> importedRows(ImportKey key, long fromRow, long toRow) {
        checkActive();
        Map<Long, UUID> rows = store.importedRows(key, fromRow, toRow);
        imported.getOrDefault(key, Map.of()).forEach((row, id) -> {
            if (row >= fromRow && row <= toRow) {
                rows.put(row, id);
            }
        });
        return rows;
    }

    @Override
    public void recordImported(ImportKey key, Map<Long, UUID> rows) {
        checkActive();
        imported.computeIfAbsent(key, k -> new HashMap<>()).putAll(rows);
    }

    @Override
    public void linkMerged(String objectType, UUID id, @Nullable UUID survivorId) {
        checkActive();
        mergeLinks.put(id, Optional.ofNullable(survivorId).map(s -> new MemoryStore.MergeLink(objectType, s)));
    }

    @Override
    public Optional<UUID> mergedInto(String objectType, UUID id) {
        checkActive();
        Write w = writes.get(id);
        if (w != null && w.after() == null) {
            return Optional.empty();
        }
        Optional<MemoryStore.MergeLink> link = mergeLinks.containsKey(id) ? mergeLinks.get(id)
                : Optional.ofNullable(store.mergeLink(id));
        return link.filter(l -> l.type().equals(objectType)).map(MemoryStore.MergeLink::survivor);
    }

    /** Another transaction recorded the row first: the record {@code first} exists for it already. */
    private ConflictException importConflict(UUID first, UUID mine) {
        Write w = writes.get(mine);
        String type = w == null ? "record" : w.type();
        Record existing = store.table(type).get(first);
        return new ConflictException(type, first, 0, existing == null ? -1 : existing.version());
    }

    @Override
    public void update(Record record, long expectedVersion) {
        checkActive();
        Record current = find(record.type(), record.id())
                .orElseThrow(() -> new NotFoundException(record.type(), record.id()));
        if (current.version() != expectedVersion) {
            throw new ConflictException(record.type(), record.id(), expectedVersion, current.version());
        }
        checkUnique(record);
        writes.put(record.id(), new Write(record.type(), record, baseVersion(record.id(), current)));
    }

    @Override
    public List<Record> lockForUpdate(String type, java.util.Collection<UUID> ids) {
        checkActive();
        store.recordLocks.lock(this, ids);
        List<Record> out = new ArrayList<>();
        for (UUID id : ids) {
            find(type, id).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public void purge(String type, UUID id, long expectedVersion) {
        checkActive();
        Record current = find(type, id).orElseThrow(() -> new NotFoundException(type, id));
        if (current.version() != expectedVersion) {
            throw new ConflictException(type, id, expectedVersion, current.version());
        }
        writes.put(id, new Write(type, null, baseVersion(id, current)));
    }

    private long baseVersion(UUID id, Record current) {
        Write w = writes.get(id);
        return w != null ? w.baseVersion() : current.version();
    }

    /** Throws NOT_UNIQUE when a unique value of the record is held by another record. */
    private void checkUnique(Record record) {
        ObjectType type = schema().findObjectType(record.type()).orElse(null);
        if (type == null) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        for (Field f : type.fields()) {
            Object v = f.unique() ? record.get(f.name()) : null;
            if (v != null && heldByOther(record.type(), f.name(), v, record.id())) {
                errors.add(new FieldError(f.name(), FieldErrorCode.NOT_UNIQUE, "another " + record.type()
                        + " already has " + f.name() + " '" + v + "'"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(record.type(), errors);
        }
    }

    private boolean heldByOther(String type, String field, Object value, UUID self) {
        for (Map.Entry<UUID, Write> e : writes.entrySet()) {
            Record r = e.getValue().after();
            if (!e.getKey().equals(self) && r != null && r.type().equals(type) && value.equals(r.get(field))) {
                return true;
            }
        }
        UUID owner = store.uniqueOwner(type, field, value);
        return owner != null && !owner.equals(self) && !writes.containsKey(owner);
    }

    /** Adds work that commits or rolls back with this transaction. */
    void addCommitPart(CommitPart part) {
        checkActive();
        parts.add(part);
    }

    /** The parts added so far that are of {@code type}, for parts that depend on earlier ones. */
    <P extends CommitPart> List<P> parts(Class<P> type) {
        return parts.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void appendChange(ChangeLogEntry entry) {
        checkActive();
        staged.add(entry);
        sealings.add(null);
    }

    @Override
    public void appendChange(ChangeLogEntry entry, org.crmkit.storage.spi.ChangeSealing sealing) {
        checkActive();
        staged.add(entry);
        sealings.add(java.util.Objects.requireNonNull(sealing, "sealing"));
    }

    @Override
    public List<ChangeLogEntry> commit() {
        checkActive();
        ReferenceChecks references = new ReferenceChecks(store, id -> {
            Write w = writes.get(id);
            return w == null ? null : new ReferenceChecks.Written(w.after(), w.baseVersion());
        });
        store.lock.writeLock().lock();
        try {
            SchemaSnapshot committedSchema = store.currentSchema();
            long base = committedSchema == null ? 0 : committedSchema.version();
            if (!schemaSteps.isEmpty() && schemaSteps.get(0).next().version() != base + 1) {
                throw concurrent(schemaSteps.get(0).change());
            }
            for (Map.Entry<ImportKey, Map<Long, UUID>> e : imported.entrySet()) {
                for (Map.Entry<Long, UUID> row : e.getValue().entrySet()) {
                    UUID first = store.importedRow(e.getKey(), row.getKey());
                    if (first != null) {
                        throw importConflict(first, row.getValue());
                    }
                }
            }
            SchemaSnapshot target = schemaSteps.isEmpty() ? committedSchema
                    : schemaSteps.get(schemaSteps.size() - 1).next();
            for (Map.Entry<UUID, Write> e : writes.entrySet()) {
                Write w = e.getValue();
                checkFieldsExist(target, w);
                Record committed = store.table(w.type()).get(e.getKey());
                long committedVersion = committed == null ? 0 : committed.version();
                if (committedVersion != w.baseVersion()) {
                    throw new ConflictException(w.type(), e.getKey(), w.baseVersion(),
                            committed == null ? -1 : committed.version());
                }
                if (w.after() != null) {
                    checkUnique(w.after());
                    if (target != null) {
                        references.checkNew(target, w.after(), committed);
                    }
                }
            }
            if (target != null) {
                references.checkNoNewReferrers(target, mergeLinks);
            }
            for (CommitPart part : parts) {
                part.check();
            }
            for (SchemaStep step : schemaSteps) {
                store.applySchema(step.change(), step.next(), step.entry());
            }
            mergeLinks.forEach((id, link) -> store.applyMergeLink(id, link.orElse(null)));
            for (Map.Entry<UUID, Write> e : writes.entrySet()) {
                store.applyWrite(e.getValue().type(), e.getKey(), e.getValue().after());
            }
            imported.forEach(store::applyImported);
            for (CommitPart part : parts) {
                part.apply();
            }
            List<ChangeLogEntry> committed = store.appendLog(staged);
            store.seals.seal(committed, sealings);
            done = true;
            return committed;
        } finally {
            store.lock.writeLock().unlock();
            store.recordLocks.releaseAll(this);
        }
    }

    /**
     * Refuses a write whose type or fields a schema change committed meanwhile removed: the service converted its
     * values under the schema it started with, and committing them would store values of a deleted field.
     */
    private static void checkFieldsExist(@Nullable SchemaSnapshot schema, Write w) {
        var type = schema == null ? null : schema.findObjectType(w.type()).orElse(null);
        if (type == null) {
            throw changedMeanwhile(w.type());
        }
        if (w.after() != null) {
            for (String field : w.after().values().keySet()) {
                if (type.findField(field).isEmpty()) {
                    throw changedMeanwhile(w.type());
                }
            }
        }
    }

    /** Names the type only: the field may be one the caller may not see. */
    private static SchemaException changedMeanwhile(String type) {
        return new SchemaException(SchemaException.Problem.CONCURRENT_CHANGE, type, null,
                "the schema changed while this transaction ran; retry it");
    }

    @Override
    public long schemaVersion() {
        checkActive();
        return schema().version();
    }

    @Override
    public void rollback() {
        done = true;
        store.recordLocks.releaseAll(this);
        writes.clear();
        staged.clear();
        sealings.clear();
        schemaSteps.clear();
        imported.clear();
        parts.clear();
        mergeLinks.clear();
    }

    @Override
    public void close() {
        if (!done) {
            rollback();
        }
    }

}
