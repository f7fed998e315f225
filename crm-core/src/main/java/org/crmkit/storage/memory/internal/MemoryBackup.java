package org.crmkit.storage.memory.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.storage.spi.ChangeSeal;
import org.crmkit.record.Record;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.BackupSupport;
import org.crmkit.storage.spi.DocumentStore.StoredDocument;
import org.crmkit.storage.spi.ImportKey;
import org.crmkit.storage.spi.ImportedRow;
import org.crmkit.storage.spi.MergeLink;
import org.crmkit.storage.spi.RestoreTarget;
import org.crmkit.storage.spi.StorageSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * Backups and restores of the in-memory storage. A snapshot copies the committed state under the store's read lock
 * ({@link MemoryStore#freeze}): commits apply under the write lock, so the copy is one moment's, and writers wait only
 * while it is made (records are immutable and shared, so the copy costs a reference per record). A restore writes
 * under the write lock, call by call.
 */
final class MemoryBackup implements BackupSupport {
    private final MemoryStore store;
    private final MemoryDocuments documents;

    MemoryBackup(MemoryStore store, MemoryDocuments documents) {
        this.store = store;
        this.documents = documents;
    }

    @Override
    public StorageSnapshot openSnapshot() {
        store.checkOpen();
        return new Snapshot(store.freeze(documents::allVersions));
    }

    @Override
    public RestoreTarget openRestoreTarget() {
        store.checkOpen();
        return new Target();
    }

    private static final class Snapshot implements StorageSnapshot {
        private final MemoryStore.Frozen<List<StoredDocument>> frozen;
        private final Map<String, List<UUID>> ids = new HashMap<>();

        Snapshot(MemoryStore.Frozen<List<StoredDocument>> frozen) {
            this.frozen = frozen;
        }

        @Override
        public long lastSequence() {
            return frozen.lastSequence();
        }

        @Override
        public Optional<SchemaSnapshot> schema() {
            return Optional.ofNullable(frozen.schema());
        }

        @Override
        public List<SchemaChangeEntry> schemaHistory() {
            return frozen.history();
        }

        @Override
        public List<Record> records(String objectType, @Nullable UUID afterId, int limit) {
            List<Record> all = frozen.tables().getOrDefault(objectType, List.of());
            int from = 0;
            if (afterId != null) {
                List<UUID> sorted = ids.computeIfAbsent(objectType, t -> all instanceof RowTable.Frozen rows
                        ? rows.ids()
                        : all.stream().map(Record::id).toList());
                int at = java.util.Collections.binarySearch(sorted, afterId);
                from = at >= 0 ? at + 1 : -at - 1;
            }
            return List.copyOf(all.subList(from, Math.min(all.size(), from + limit)));
        }

        @Override
        public List<ChangeLogEntry> changeLog(long afterSequence, int limit) {
            return after(frozen.log(), ChangeLogEntry::sequence, afterSequence, limit);
        }

        @Override
        public List<ChangeSeal> changeSeals(long afterSequence, int limit) {
            return after(frozen.seals(), ChangeSeal::sequence, afterSequence, limit);
        }

        /** Up to {@code limit} items after a sequence, of a list in rising sequences with gaps. */
        private static <T> List<T> after(List<T> bySequence, java.util.function.ToLongFunction<T> sequence,
                long afterSequence, int limit) {
            int lo = 0;
            int hi = bySequence.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sequence.applyAsLong(bySequence.get(mid)) <= afterSequence) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return List.copyOf(bySequence.subList(lo, (int) Math.min(bySequence.size(), (long) lo + limit)));
        }

        @Override
        public List<StoredDocument> documents() {
            return frozen.documents();
        }

        @Override
        public List<MergeLink> mergeLinks(@Nullable UUID afterId, int limit) {
            return frozen.mergeLinks().entrySet().stream()
                    .filter(e -> afterId == null || e.getKey().compareTo(afterId) > 0)
                    .sorted(Map.Entry.comparingByKey()).limit(limit)
                    .map(e -> new MergeLink(e.getValue().type(), e.getKey(), e.getValue().survivor())).toList();
        }

        private static final Comparator<ImportedRow> ORDER = Comparator
                .comparing((ImportedRow r) -> r.key().principalId()).thenComparing(r -> r.key().objectType())
                .thenComparing(r -> r.key().importId()).thenComparingLong(ImportedRow::row);

        @Override
        public List<ImportedRow> importedRows(@Nullable ImportedRow after, int limit) {
            List<ImportedRow> rows = new ArrayList<>();
            frozen.imports()
                    .forEach((key, byRow) -> byRow.forEach((row, id) -> rows.add(new ImportedRow(key, row, id))));
            return rows.stream().filter(r -> after == null || ORDER.compare(r, after) > 0).sorted(ORDER).limit(limit)
                    .toList();
        }

        @Override
        public void close() {
            // a copy: nothing to release
        }
    }

    private final class Target implements RestoreTarget {
        private void underWriteLock(Runnable work) {
            store.checkOpen();
            store.lock.writeLock().lock();
            try {
                work.run();
            } finally {
                store.lock.writeLock().unlock();
            }
        }

        @Override
        public Contents contents() {
            MemoryStore.Frozen<Map<String, Long>> now = store.freeze(documents::counts);
            Map<String, Long> records = new HashMap<>();
            now.tables().forEach((type, rs) -> {
                if (!rs.isEmpty()) {
                    records.put(type, (long) rs.size());
                }
            });
            return new Contents(records, now.log().size(), now.documents(), now.mergeLinks().size(),
                    now.imports().values().stream().mapToLong(Map::size).sum());
        }

        @Override
        public void checkSchema(SchemaSnapshot schema) {
            // memory holds any schema
        }

        @Override
        public void wipe(Set<String> keepDocumentKinds) {
            underWriteLock(() -> {
                store.wipe();
                documents.wipe(keepDocumentKinds);
            });
        }

        @Override
        public void writeSchema(List<SchemaChangeEntry> history, SchemaSnapshot current) {
            underWriteLock(() -> store.restoreSchema(history, current));
        }

        @Override
        public void writeRecords(List<Record> records) {
            underWriteLock(() -> {
                for (Record r : records) {
                    if (store.table(r.type()).containsKey(r.id())) {
                        throw new CrmException(ErrorCode.CONFLICT, r.type() + " " + r.id() + " is written twice");
                    }
                    store.applyWrite(r.type(), r.id(), r);
                }
            });
        }

        @Override
        public void writeReferences(List<Record> records) {
            underWriteLock(() -> records.forEach(r -> store.applyWrite(r.type(), r.id(), r)));
        }

        @Override
        public void writeChanges(List<ChangeLogEntry> entries) {
            underWriteLock(() -> store.restoreLog(entries));
        }

        @Override
        public void writeSeals(List<ChangeSeal> seals) {
            underWriteLock(() -> store.seals.restore(seals));
        }

        @Override
        public void writeDocuments(List<StoredDocument> versions) {
            underWriteLock(() -> documents.restore(versions));
        }

        @Override
        public void writeMergeLinks(List<MergeLink> links) {
            underWriteLock(() -> links.forEach(l -> store.applyMergeLink(l.recordId(),
                    new MemoryStore.MergeLink(l.objectType(), l.survivorId()))));
        }

        @Override
        public void writeImportedRows(List<ImportedRow> rows) {
            underWriteLock(() -> {
                Map<ImportKey, Map<Long, UUID>> byKey = new HashMap<>();
                rows.forEach(r -> byKey.computeIfAbsent(r.key(), k -> new HashMap<>()).put(r.row(), r.recordId()));
                byKey.forEach(store::applyImported);
            });
        }

        @Override
        public void finish() {
            // sequences follow the log's size, revisions the highest restored: nothing left to do
        }

        @Override
        public void close() {
            // nothing held between calls
        }
    }
}
