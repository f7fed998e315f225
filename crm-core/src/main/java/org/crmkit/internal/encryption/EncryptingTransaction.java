package org.crmkit.internal.encryption;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
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

/**
 * A storage transaction seen through the encryption seam (see {@link EncryptingStorage}). It remembers the records
 * with encrypted values that it read or wrote in plaintext and as stored ({@link StoredForm}), up to
 * {@value #REMEMBERED} of them, so that an update keeps the stored ciphertexts of the values it does not change and
 * the change-log entry of a write takes the ciphertexts of the record's row: a read, an update of one field and its
 * entry encrypt that one value, not every encrypted field of the record again. At commit the entries it appended
 * come back in the plaintext it was given rather than decrypted again.
 */
final class EncryptingTransaction implements StorageTransaction {
    static final int REMEMBERED = 10_000;

    private final StorageTransaction tx;
    private final RecordCipher cipher;
    /** The latest form of each record this transaction read or wrote, by id. */
    private final Map<UUID, StoredForm> latest = new HashMap<>();
    /** The form each record's latest update replaced, by id: where the old values of its entry are. */
    private final Map<UUID, StoredForm> replaced = new HashMap<>();
    /** The field changes of the entries appended, as stored (the same list the storage hands back) to plaintext. */
    private final Map<List<FieldChange>, List<FieldChange>> appended = new IdentityHashMap<>();

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
        return tx.find(objectType, id).map(this::read);
    }

    private Record read(Record stored) {
        Record plain = cipher.decrypt(stored);
        remember(latest, plain, stored);
        return plain;
    }

    private void remember(Map<UUID, StoredForm> forms, Record plain, Record stored) {
        if (plain != stored && (forms.size() < REMEMBERED || forms.containsKey(plain.id()))) {
            forms.put(plain.id(), new StoredForm(plain, stored));
        }
    }

    @Override
    public void insert(Record record) {
        Record stored = cipher.encrypt(record);
        remember(latest, record, stored);
        tx.insert(stored);
    }

    @Override
    public void insertAll(List<Record> records) {
        List<Record> out = new ArrayList<>(records.size());
        for (Record r : records) {
            Record stored = cipher.encrypt(r);
            remember(latest, r, stored);
            out.add(stored);
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
        Record stored = cipher.encrypt(record);
        remember(latest, record, stored);
        tx.update(stored, expectedVersion);
    }

    /** The stored form of {@code before} when this transaction read or wrote it as it is; else it is encrypted. */
    @Override
    public void update(Record record, Record before) {
        StoredForm known = latest.get(before.id());
        Record storedBefore = known != null && (known.plain() == before || known.plain().equals(before))
                ? known.stored() : cipher.encrypt(before);
        Record stored = cipher.encryptForUpdate(record, before, storedBefore);
        remember(replaced, before, storedBefore);
        remember(latest, record, stored);
        tx.update(stored, storedBefore);
    }

    @Override
    public List<Record> lockForUpdate(String objectType, Collection<UUID> ids) {
        List<Record> stored = tx.lockForUpdate(objectType, ids);
        List<Record> out = new ArrayList<>(stored.size());
        for (Record r : stored) {
            out.add(read(r));
        }
        return out;
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
        tx.appendChange(encrypted(entry));
    }

    /** The sealing was computed over the plaintext entry, above this seam: it passes unchanged. */
    @Override
    public void appendChange(ChangeLogEntry entry, org.crmkit.storage.spi.ChangeSealing sealing) {
        tx.appendChange(encrypted(entry), sealing);
    }

    private ChangeLogEntry encrypted(ChangeLogEntry entry) {
        Objects.requireNonNull(entry, "entry");
        List<StoredForm> known = new ArrayList<>(2);
        for (Map<UUID, StoredForm> forms : List.of(replaced, latest)) {
            StoredForm form = forms.get(entry.recordId());
            if (form != null && form.plain().type().equals(entry.objectType())) {
                known.add(form);
            }
        }
        ChangeLogEntry stored = cipher.encrypt(entry, known);
        if (stored != entry) {
            appended.put(stored.changes(), entry.changes());
        }
        return stored;
    }

    @Override
    public boolean reportSequencing(org.crmkit.storage.spi.CommitSequencing sequencing) {
        return tx.reportSequencing(sequencing);
    }

    @Override
    public java.util.Optional<org.crmkit.storage.spi.HostTransaction> joinedHost() {
        return tx.joinedHost();
    }

    @Override
    public List<ChangeLogEntry> commit() {
        List<ChangeLogEntry> stored = tx.commit();
        List<ChangeLogEntry> out = new ArrayList<>(stored.size());
        for (ChangeLogEntry e : stored) {
            List<FieldChange> plain = appended.get(e.changes());
            out.add(plain == null ? cipher.decrypt(e) : new ChangeLogEntry(e.sequence(), e.at(), e.principalId(),
                    e.objectType(), e.recordId(), e.operation(), e.version(), plain, e.transactionId()));
        }
        forget();
        return out;
    }

    private void forget() {
        latest.clear();
        replaced.clear();
        appended.clear();
    }

    @Override
    public void rollback() {
        forget();
        tx.rollback();
    }

    @Override
    public void close() {
        tx.close();
    }
}
