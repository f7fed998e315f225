package org.crmkit.storage.memory.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.ImportKey;
import org.jspecify.annotations.Nullable;

/**
 * The committed state of an in-memory storage: schema, one table per object type, unique-value indexes, the
 * import ledger and the change log. Transactions read it directly and buffer their writes; {@link #commit}
 * validates and applies a transaction's buffer atomically under the write lock, so readers never see half a
 * commit.
 */
public final class MemoryStore {
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Record locks of {@link MemoryTransaction#lockForUpdate}, held until a transaction ends. */
    final RecordLocks recordLocks = new RecordLocks();
    /** The compact row format of {@link #tables} and {@link #log}, with its dictionary of names. */
    private final RowCodec rows = new RowCodec(new Names());
    private final RowTable none = new RowTable("", rows);
    private final Map<String, RowTable> tables = new ConcurrentHashMap<>();
    /** type -> field -> value -> id, for unique fields of committed records. */
    private final Map<String, Map<String, Map<Object, UUID>>> uniques = new ConcurrentHashMap<>();
    /** Ordered indexes of the committed records' indexed, unique and reference fields and owners. */
    final FieldIndexes indexes = new FieldIndexes();
    /** The committed change log by sequence; privacy work rewrites and prunes entries, so it is not a list. */
    private final EntryLog log = new EntryLog(new EntryCodec(rows));
    /** The seals of the log's entries (they outlive pruned entries). */
    final MemorySeals seals = new MemorySeals(this);
    /** The last sequence handed out: it never goes back, even when pruning deletes old entries. */
    private long lastSequence;
    private final List<SchemaChangeEntry> history = new ArrayList<>();
    /** (principal, type, import id) -> row number -> record id, the committed import ledger; guarded by {@link #lock}. */
    private final Map<ImportKey, Map<Long, UUID>> imports = new HashMap<>();
    /** record id -> (type, survivor id), the committed merge links; guarded by {@link #lock}. */
    private final Map<UUID, MergeLink> mergeLinks = new HashMap<>();
    private volatile @Nullable SchemaSnapshot schema;
    private volatile boolean closed;

    public MemoryTransaction begin() {
        checkOpen();
        return new MemoryTransaction(this);
    }

    void checkOpen() {
        if (closed) {
            throw new CrmException(ErrorCode.CLOSED, "in-memory storage is closed");
        }
    }

    public void close() {
        closed = true;
    }

    public Optional<SchemaSnapshot> schema() {
        return Optional.ofNullable(schema);
    }

    @Nullable
    SchemaSnapshot currentSchema() {
        return schema;
    }

    public List<SchemaChangeEntry> schemaHistory() {
        lock.readLock().lock();
        try {
            return List.copyOf(history);
        } finally {
            lock.readLock().unlock();
        }
    }

    RowTable table(String type) {
        return tables.getOrDefault(type, none);
    }

    @Nullable
    UUID uniqueOwner(String type, String field, Object value) {
        Map<String, Map<Object, UUID>> byField = uniques.get(type);
        if (byField == null) {
            return null;
        }
        Map<Object, UUID> index = byField.get(field);
        return index == null ? null : index.get(value);
    }

    public List<ChangeLogEntry> readChangeLog(long after, int limit) {
        lock.readLock().lock();
        try {
            return log.after(after, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<ChangeLogEntry> changesOf(UUID id) {
        lock.readLock().lock();
        try {
            return log.of(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    public long lastSequence() {
        lock.readLock().lock();
        try {
            return lastSequence;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The committed rows of an import (row number to record id). */
    Map<Long, UUID> importedRows(ImportKey key) {
        lock.readLock().lock();
        try {
            return Map.copyOf(imports.getOrDefault(key, Map.of()));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The committed rows {@code fromRow} to {@code toRow} of an import, looked up one by one (a batch's worth). */
    Map<Long, UUID> importedRows(ImportKey key, long fromRow, long toRow) {
        lock.readLock().lock();
        try {
            Map<Long, UUID> all = imports.getOrDefault(key, Map.of());
            Map<Long, UUID> out = new HashMap<>();
            if (toRow - fromRow >= all.size()) {
                all.forEach((row, id) -> {
                    if (row >= fromRow && row <= toRow) {
                        out.put(row, id);
                    }
                });
                return out;
            }
            for (long row = fromRow; row <= toRow; row++) {
                UUID id = all.get(row);
                if (id != null) {
                    out.put(row, id);
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The record committed for a row of an import, or null; caller holds the write lock. */
    @Nullable
    UUID importedRow(ImportKey key, long row) {
        return imports.getOrDefault(key, Map.of()).get(row);
    }

    /** A committed merge link: the merged record's type and the record it went into. */
    record MergeLink(String type, UUID survivor) {}

    /** The committed merge link of a record, if any; callers hold {@link #lock} or accept a racy read. */
    @Nullable
    MergeLink mergeLink(UUID id) {
        lock.readLock().lock();
        try {
            return mergeLinks.get(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Applies a merge link (null: removes it); the caller holds the write lock. */
    void applyMergeLink(UUID id, @Nullable MergeLink link) {
        if (link == null) {
            mergeLinks.remove(id);
        } else {
            mergeLinks.put(id, link);
        }
    }

    /** Adds rows to the import ledger; caller holds the write lock. */
    void applyImported(ImportKey key, Map<Long, UUID> rows) {
        imports.computeIfAbsent(key, k -> new HashMap<>()).putAll(rows);
    }

    /** Applies a validated schema change; caller holds the write lock. */
    void applySchema(SchemaChange change, SchemaSnapshot next, SchemaChangeEntry entry) {
        switch (change) {
            case SchemaChange.AddObjectType a ->
                tables.putIfAbsent(a.type().name(), new RowTable(a.type().name(), rows));
            case SchemaChange.DeleteObjectType d -> {
                tables.remove(d.type().name());
                uniques.remove(d.type().name());
            }
            case SchemaChange.AddField a -> {
                Field f = a.field();
                if (f.required() && f.defaultValue() != null) {
                    RowTable table = table(a.objectType());
                    for (Record r : List.copyOf(table.values())) {
                        if (r.get(f.name()) == null) {
                            Map<String, Object> values = new HashMap<>(r.values());
                            values.put(f.name(), f.defaultValue());
                            table.put(r.id(), copy(r, values));
                        }
                    }
                }
            }
            case SchemaChange.DeleteField d -> {
                RowTable table = table(d.objectType());
                for (Record r : List.copyOf(table.values())) {
                    if (r.has(d.field().name())) {
                        Map<String, Object> values = new HashMap<>(r.values());
                        values.remove(d.field().name());
                        table.put(r.id(), copy(r, values));
                    }
                }
            }
            default -> {}
        }
        schema = next;
        history.add(entry);
        if (touchesUniqueValues(change)) {
            rebuildUniques(next);
        }
        if (touchesIndexes(change)) {
            String type = change.objectType();
            indexes.rebuild(type, next.findObjectType(type).orElse(null), table(type).values());
        }
    }

    /** Whether a schema change can alter which field indexes a type has (the others leave them as they are). */
    private static boolean touchesIndexes(SchemaChange change) {
        return switch (change) {
            case SchemaChange.AddObjectType a -> true;
            case SchemaChange.DeleteObjectType d -> true;
            case SchemaChange.AddField a -> FieldIndexes.indexes(a.field());
            case SchemaChange.ChangeField c -> FieldIndexes.indexes(c.before()) || FieldIndexes.indexes(c.after());
            case SchemaChange.DeleteField d -> FieldIndexes.indexes(d.field());
            default -> false;
        };
    }

    /** Whether a schema change can alter which unique indexes exist (the others leave them as they are). */
    private static boolean touchesUniqueValues(SchemaChange change) {
        return switch (change) {
            case SchemaChange.AddObjectType a -> a.type().fields().stream().anyMatch(Field::unique);
            case SchemaChange.DeleteObjectType d -> true;
            case SchemaChange.AddField a -> a.field().unique();
            case SchemaChange.ChangeField c -> c.before().unique() != c.after().unique();
            case SchemaChange.DeleteField d -> d.field().unique();
            default -> false;
        };
    }

    private static Record copy(Record r, Map<String, Object> values) {
        return new Record(r.id(), r.type(), r.version(), r.owner(), r.team(), r.createdAt(), r.createdBy(),
                r.updatedAt(), r.updatedBy(), r.deletedAt(), values);
    }

    private void rebuildUniques(SchemaSnapshot s) {
        uniques.clear();
        for (ObjectType t : s.types()) {
            for (Field f : t.fields()) {
                if (f.unique()) {
                    Map<Object, UUID> index = new ConcurrentHashMap<>();
                    for (Record r : table(t.name()).values()) {
                        Object v = r.get(f.name());
                        if (v != null) {
                            index.put(v, r.id());
                        }
                    }
                    uniques.computeIfAbsent(t.name(), k -> new ConcurrentHashMap<>()).put(f.name(), index);
                }
            }
        }
    }

    /** Writes one record version (or removes it when {@code after} is null); caller holds the write lock. */
    void applyWrite(String type, UUID id, @Nullable Record after) {
        RowTable table = tables.computeIfAbsent(type, k -> new RowTable(k, rows));
        Record before = table.get(id);
        indexes.write(type, before, after);
        Map<String, Map<Object, UUID>> byField = uniques.getOrDefault(type, Map.of());
        for (Map.Entry<String, Map<Object, UUID>> e : byField.entrySet()) {
            Object old = before == null ? null : before.get(e.getKey());
            if (old != null) {
                e.getValue().remove(old, id);
            }
            Object now = after == null ? null : after.get(e.getKey());
            if (now != null) {
                e.getValue().put(now, id);
            }
        }
        if (after == null) {
            table.remove(id);
            mergeLinks.remove(id);
        } else {
            table.put(id, after);
        }
    }

    /**
     * Everything committed, copied under the read lock for a backup ({@link MemoryBackup}): rows and entries are
     * immutable, so the copies share them and decode them when read; each type's records are sorted by id.
     * {@code documents} is read under the same lock.
     */
    <D> Frozen<D> freeze(java.util.function.Supplier<D> documents) {
        lock.readLock().lock();
        try {
            Map<String, List<Record>> byType = new HashMap<>();
            tables.forEach((type, table) -> byType.put(type, table.frozen()));
            return new Frozen<>(schema, List.copyOf(history), log.frozen(), seals.all(), lastSequence,
                    byType,
                    Map.copyOf(mergeLinks),
                    imports.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                            e -> Map.copyOf(e.getValue()))),
                    documents.get());
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * A copy of the committed state ({@link #freeze}); {@code log} in sequence order, with gaps where entries were
     * pruned, so {@code lastSequence} is not its size.
     */
    record Frozen<D>(@Nullable SchemaSnapshot schema, List<SchemaChangeEntry> history, List<ChangeLogEntry> log,
            List<org.crmkit.storage.spi.ChangeSeal> seals, long lastSequence, Map<String, List<Record>> tables,
            Map<UUID, MergeLink> mergeLinks,
            Map<ImportKey, Map<Long, UUID>> imports,
            D documents) {}

    /** Forgets schema and data (a restore's start, or its clean-up); caller holds the write lock. */
    void wipe() {
        tables.clear();
        uniques.clear();
        indexes.clear();
        log.clear();
        seals.clear();
        lastSequence = 0;
        history.clear();
        imports.clear();
        mergeLinks.clear();
        schema = null;
    }

    /** Sets the schema and its history (a restore); caller holds the write lock. */
    void restoreSchema(List<SchemaChangeEntry> entries, SchemaSnapshot current) {
        history.addAll(entries);
        schema = current;
        for (ObjectType t : current.types()) {
            tables.putIfAbsent(t.name(), new RowTable(t.name(), rows));
        }
        rebuildUniques(current);
        indexes.rebuildAll(current, tables);
    }

    /**
     * Appends entries keeping their sequences, which must rise (a restore; the first may be past 1 when the source
     * pruned older entries); caller holds the write lock.
     */
    void restoreLog(List<ChangeLogEntry> entries) {
        for (ChangeLogEntry e : entries) {
            if (e.sequence() <= lastSequence) {
                throw new IllegalStateException("change-log entry " + e.sequence() + " does not follow "
                        + lastSequence);
            }
            lastSequence = e.sequence();
            log.add(e, null);
        }
    }

    /** Appends entries with fresh sequences; caller holds the write lock. */
    List<ChangeLogEntry> appendLog(List<ChangeLogEntry> staged) {
        List<ChangeLogEntry> out = new ArrayList<>(staged.size());
        for (ChangeLogEntry e : staged) {
            ChangeLogEntry withSeq = new ChangeLogEntry(++lastSequence, e.at(), e.principalId(), e.objectType(),
                    e.recordId(), e.operation(), e.version(), e.changes(), e.transactionId());
            RowTable table = tables.get(e.objectType());
            log.add(withSeq, table == null ? null : table.row(e.recordId()));
            out.add(withSeq);
        }
        return out;
    }

    /** The committed entries after {@code after}, in order, for privacy searches; caller holds the read lock. */
    Iterable<ChangeLogEntry> logAfter(long after) {
        return log.after(after);
    }

    /** Replaces the changes of a committed entry, if it is still there; caller holds the write lock. */
    void rewriteEntry(long sequence, List<org.crmkit.event.FieldChange> changes) {
        log.rewrite(sequence, changes);
    }

    /** Deletes a committed entry; caller holds the write lock. */
    void deleteEntry(long sequence) {
        log.delete(sequence);
    }
}
