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
    private final Map<String, Map<UUID, Record>> tables = new ConcurrentHashMap<>();
    /** type -> field -> value -> id, for unique fields of committed records. */
    private final Map<String, Map<String, Map<Object, UUID>>> uniques = new ConcurrentHashMap<>();
    private final List<ChangeLogEntry> log = new ArrayList<>();
    private final Map<UUID, List<ChangeLogEntry>> logByRecord = new HashMap<>();
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

    Map<UUID, Record> table(String type) {
        return tables.getOrDefault(type, Map.of());
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
            int from = (int) Math.max(0, Math.min(after, log.size()));
            return List.copyOf(log.subList(from, (int) Math.min(log.size(), (long) from + limit)));
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<ChangeLogEntry> changesOf(UUID id) {
        lock.readLock().lock();
        try {
            return List.copyOf(logByRecord.getOrDefault(id, List.of()));
        } finally {
            lock.readLock().unlock();
        }
    }

    public long lastSequence() {
        lock.readLock().lock();
        try {
            return log.size();
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
            case SchemaChange.AddObjectType a -> tables.putIfAbsent(a.type().name(), new ConcurrentHashMap<>());
            case SchemaChange.DeleteObjectType d -> {
                tables.remove(d.type().name());
                uniques.remove(d.type().name());
            }
            case SchemaChange.AddField a -> {
                Field f = a.field();
                if (f.required() && f.defaultValue() != null) {
                    Map<UUID, Record> table = table(a.objectType());
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
                Map<UUID, Record> table = table(d.objectType());
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
        Map<UUID, Record> table = tables.computeIfAbsent(type, k -> new ConcurrentHashMap<>());
        Record before = table.get(id);
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

    /** Appends entries with fresh sequences; caller holds the write lock. */
    List<ChangeLogEntry> appendLog(List<ChangeLogEntry> staged) {
        List<ChangeLogEntry> out = new ArrayList<>(staged.size());
        for (ChangeLogEntry e : staged) {
            ChangeLogEntry withSeq = new ChangeLogEntry(log.size() + 1, e.at(), e.principalId(), e.objectType(),
                    e.recordId(), e.operation(), e.version(), e.changes(), e.transactionId());
            log.add(withSeq);
            logByRecord.computeIfAbsent(e.recordId(), k -> new ArrayList<>()).add(withSeq);
            out.add(withSeq);
        }
        return out;
    }
}
