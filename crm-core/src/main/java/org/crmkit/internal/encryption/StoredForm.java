package org.crmkit.internal.encryption;

import org.crmkit.record.Record;
import org.crmkit.storage.support.EncryptedText;
import org.jspecify.annotations.Nullable;

/**
 * A record with encrypted fields in plaintext and as the storage holds (or will hold) it, kept by an
 * {@link EncryptingTransaction} for the records it read or wrote, so that what it writes next can take ciphertexts
 * the storage already has instead of encrypting the same values again.
 */
record StoredForm(Record plain, Record stored) {

    /**
     * The stored randomised ciphertext of {@code field} when its plaintext is {@code value}, else null. Such a
     * ciphertext is bound to the record's type, field and id, as a change-log value of the same record is, so it can
     * stand for {@code value} in that record's change-log entries.
     */
    @Nullable
    String randomisedCiphertext(String field, Object value) {
        return value.equals(plain.values().get(field)) && stored.values().get(field) instanceof String s
                && s.startsWith(EncryptedText.RANDOMISED) ? s : null;
    }
}
