package org.crmkit.internal.encryption;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.PrivacyStore;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageCapabilities;
import org.crmkit.storage.spi.StorageTransaction;

/**
 * The encryption seam: the storage as the engine sees it when a key provider is configured. Records and change-log
 * entries pass through {@link RecordCipher} on their way down (encrypted) and up (decrypted), query literals of
 * encrypted fields are encrypted ({@link EncryptedQueries}), so everything above sees plaintext and the storage
 * below (its rows, change log, backups, which are made from it) holds only ciphertext. Extensions pass through,
 * except the {@link PrivacyStore}, whose change-log rewrites are encrypted too.
 */
public final class EncryptingStorage implements Storage {
    private final Storage storage;
    private final RecordCipher cipher;

    public EncryptingStorage(Storage storage, RecordCipher cipher) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    /** The storage below the seam, which holds ciphertext (for key rotation). */
    public Storage raw() {
        return storage;
    }

    public RecordCipher cipher() {
        return cipher;
    }

    /** The exact-value search token of a value of an encrypted field (see {@code SearchContext.exactToken}). */
    public Optional<String> exactToken(SchemaSnapshot schema, String objectType, String field, String value) {
        org.crmkit.schema.FieldType type = schema.findObjectType(objectType).flatMap(t -> t.findField(field))
                .map(org.crmkit.schema.Field::type).orElse(org.crmkit.schema.FieldType.TEXT);
        String form = org.crmkit.search.support.SearchFields.exactForm(type, value);
        return form.isEmpty() ? Optional.empty()
                : Optional.of(cipher.cipher().searchToken(objectType, field, form));
    }

    @Override
    public StorageCapabilities capabilities() {
        return storage.capabilities();
    }

    @Override
    public String name() {
        return storage.name();
    }

    @Override
    public List<ChangeLogEntry> changesOf(String objectType, UUID recordId) {
        return cipher.decryptEntries(storage.changesOf(objectType, recordId));
    }

    @Override
    public List<ChangeLogEntry> changesOf(Map<UUID, String> records) {
        return cipher.decryptEntries(storage.changesOf(records));
    }

    @Override
    public Optional<SchemaSnapshot> loadSchema() {
        return storage.loadSchema();
    }

    @Override
    public List<SchemaChangeEntry> schemaHistory() {
        return storage.schemaHistory();
    }

    @Override
    public StorageTransaction begin() {
        return new EncryptingTransaction(storage.begin(), cipher);
    }

    @Override
    public StorageTransaction begin(long committedSchemaVersion) {
        return new EncryptingTransaction(storage.begin(committedSchemaVersion), cipher);
    }

    @Override
    public org.crmkit.storage.spi.CommittedVersions committedVersions(java.util.Collection<String> documentKinds) {
        return storage.committedVersions(documentKinds);
    }

    @Override
    public List<ChangeLogEntry> readChangeLog(long afterSequence, int limit) {
        return cipher.decryptEntries(storage.readChangeLog(afterSequence, limit));
    }

    @Override
    public long lastSequence() {
        return storage.lastSequence();
    }

    @Override
    public UUID identity() {
        return storage.identity();
    }

    @Override
    public <T> Optional<T> extension(Class<T> type) {
        Objects.requireNonNull(type, "type");
        Optional<T> found = storage.extension(type);
        if (type == PrivacyStore.class && found.isPresent()) {
            return Optional.of(type.cast(new EncryptingPrivacy((PrivacyStore) found.get(), storage, cipher)));
        }
        return found;
    }

    @Override
    public void close() {
        storage.close();
    }
}
