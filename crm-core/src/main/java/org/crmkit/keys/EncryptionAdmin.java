package org.crmkit.keys;

import com.google.crypto.tink.KeysetHandle;

/**
 * Field encryption, for operators ({@code crm.admin().encryption()}): re-encrypting stored values after a key
 * rotation, the report of which keys stored values still use, and retiring a key nothing uses any more.
 *
 * <pre>{@code
 * // 1. add a new key to the keyset and make it primary (tinkey, or KeysetHandle.newBuilder(old)...):
 * //    new writes use it at once
 * // 2. re-encrypt what is stored, in the background
 * RotationProgress done = crm.admin().encryption().rotate().result().toCompletableFuture().join();
 * // 3. drop the old key from the keyset once nothing uses it
 * KeysetHandle without = crm.admin().encryption().retire(KeyPurpose.FIELD_AEAD, oldKeyId);
 * KeyProviders.writeKeysetFile(dir.resolve(KeyProviders.fileName(KeyPurpose.FIELD_AEAD)), without);
 * }</pre>
 */
public interface EncryptionAdmin {
    /**
     * Starts re-encrypting, in the background and in batches, every stored value of an encrypted field (records and
     * change-log entries) that is not under the current primary key of its purpose, and encrypting the values written
     * before the field was flagged {@code encrypted}. Concurrent writes go on: a record written meanwhile is read
     * again, never overwritten with an older value. Re-encryption is not a change: versions stay and the change log
     * gets no entry.
     *
     * @throws org.crmkit.error.ConfigurationException when no key provider is configured
     */
    RotationJob rotate();

    /** Which keys the stored values of encrypted fields use now (a full scan of records and change log). */
    KeyUsage keyUsage();

    /**
     * The current keyset of a purpose without one key, for the caller to save (with
     * {@link KeyProviders#writeKeysetFile} or {@code tinkey}) in place of the old keyset; refused while a stored
     * value uses the key ({@link #keyUsage()}), or when it is the primary key or not in the keyset.
     *
     * @throws org.crmkit.error.ConfigurationException naming the purpose, the key id and why
     */
    KeysetHandle retire(KeyPurpose purpose, int keyId);
}
