package org.crmkit.keys;

/** What a keyset is used for; each purpose has a keyset of its own, of one Tink key type. */
public enum KeyPurpose {
    /**
     * Encrypting field values (AEAD, AES-256-GCM): randomised, so the same value encrypts differently each time.
     * Used for fields flagged {@code encrypted} that are neither unique nor indexed.
     */
    FIELD_AEAD,
    /**
     * Encrypting field values deterministically (AES-256-SIV): the same value, type, field and key give the same
     * ciphertext, so equality lookups and unique indexes still work. Used for encrypted fields that are unique or
     * indexed, and for the exact-value search tokens of encrypted fields.
     */
    FIELD_DETERMINISTIC,
    /** Keying the change log's hash chain (HMAC-SHA256), so that an edited entry cannot be re-hashed unnoticed. */
    CHANGE_LOG_MAC
}
