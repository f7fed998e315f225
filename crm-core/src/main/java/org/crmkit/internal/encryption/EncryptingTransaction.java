package org.crmkit.internal.encryption;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.ImportKey;
import org.crmkit.storage.spi.ResolvedFilter;
import org.crmkit.storage.spi.StorageQuery;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;

/** A storage transaction seen through the encryption seam (see {@link EncryptingStorage}). */
final class EncryptingTransaction implements StorageTransaction {
    private final StorageTransaction tx;
    private final RecordCipher cipher;

    EncryptingTransaction(StorageTransaction tx, RecordCipher cipher) {
        this.tx = tx;
        this.cipher = cipher;
    }

    @Override
    public StorageTransaction unwrap() {
        return tx.unwrap();
    }

    @Override
    public void applySchemaChange(SchemaChange change, SchemaSnapshot next, SchemaChangeEntry entry) {
        tx.applySchemaChange(change, next, entry);
    }

    @Override
    public long schemaVersion() {
        return tx.schemaVersion();
    }

    @Override
    public Optional<Record> find(String objectType, UUID id) {
        return tx.find(objectType, id).map(cipher::decrypt);
    }

    @Override
    public void insert(Record record) {
        tx.insert(cipher.encrypt(record));
    }

    @Override
    public void insertAll(List<Record> records) {
        List<Record> out = new ArrayList<>(records.size());
        for (Record r : records) {
            out.add(cipher.encrypt(r));
        }
        tx.insertAll(out);
    }

    @Override
    public Map<Long, UUID> importedRows(ImportKey key) {
        return tx.importedRows(key);
    }

    @Override
    public Map<Long, UUID> importedRows(ImportKey key, long fromRow, long toRow) {
        return tx.importedRows(key, fromRow, toRow);
    }

    @Override
    public void recordImported(ImportKey key, Map<Long, UUID> rows) {
        tx.recordImported(key, rows);
    }

    @Override
    public void linkMerged(String objectType, UUID id, @Nullable UUID survivorId) {
        tx.linkMerged(objectType, id, survivorId);
    }

    @Override
    public Optional<UUID> mergedInto(String objectType, UUID id) {
        return tx.mergedInto(objectType, id);
    }

    @Override
    public void update(Record record, long expectedVersion) {
        tx.update(cipher.encrypt(record), expectedVersion);
    }

    @Override
    public void update(Record record, Record before) {
        Record encryptedBefore = cipher.encrypt(before);
        tx.update(cipher.encryptForUpdate(record, before, encryptedBefore), encryptedBefore);
    }

    @Override
    public List<Record> lockForUpdate(String objectType, Collection<UUID> ids) {
        return cipher.decrypt(tx.lockForUpdate(objectType, ids));
    }

    @Override
    public void purge(String objectType, UUID id, long expectedVersion) {
        tx.purge(objectType, id, expectedVersion);
    }

    @Override
    public List<Record> query(String objectType, StorageQuery query) {
        EncryptedQueries.checkSorts(objectType, query.sorts(), query.paths());
        StorageQuery q = new StorageQuery(EncryptedQueries.encrypt(objectType, query.filter(), query.paths(),
                cipher.cipher()), query.sorts(), query.limit(), query.after(), query.deleted(), query.paths());
        return cipher.decrypt(tx.query(objectType, q));
    }

    @Override
    public long count(String objectType, ResolvedFilter filter, Query.Deleted deleted) {
        return tx.count(objectType, encrypted(objectType, filter), deleted);
    }

    @Override
    public List<AggregateRow> aggregate(String objectType, ResolvedFilter filter, List<String> groupBy,
            List<Metric> metrics) {
        EncryptedQueries.checkAggregate(objectType, groupBy, metrics, filter.paths());
        return tx.aggregate(objectType, encrypted(objectType, filter), groupBy, metrics);
    }

    private ResolvedFilter encrypted(String objectType, ResolvedFilter filter) {
        return new ResolvedFilter(EncryptedQueries.encrypt(objectType, filter.filter(), filter.paths(),
                cipher.cipher()), filter.paths());
    }

    @Override
    public void appendChange(ChangeLogEntry entry) {
        tx.appendChange(cipher.encrypt(Objects.requireNonNull(entry, "entry")));
    }

    /** The sealing was computed over the plaintext entry, above this seam: it passes unchanged. */
    @Override
    public void appendChange(ChangeLogEntry entry, org.crmkit.storage.spi.ChangeSealing sealing) {
        tx.appendChange(cipher.encrypt(Objects.requireNonNull(entry, "entry")), sealing);
    }

    @Override
    public List<ChangeLogEntry> commit() {
        return cipher.decryptEntries(tx.commit());
    }

    @Override
    public void rollback() {
        tx.rollback();
    }

    @Override
    public void close() {
        tx.close();
    }
}
