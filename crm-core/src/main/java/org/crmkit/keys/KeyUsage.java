package org.crmkit.keys;

import java.util.Map;
import java.util.Objects;

/**
 * Which keys the stored values of encrypted fields (records and change-log entries) use.
 *
 * @param values    per purpose, the number of stored values under each Tink key id
 * @param plaintext values of encrypted fields still stored in plaintext (written before the field was flagged
 *                  {@code encrypted}; {@link EncryptionAdmin#rotate()} encrypts them)
 */
public record KeyUsage(Map<KeyPurpose, Map<Integer, Long>> values, long plaintext) {
    public KeyUsage {
        Objects.requireNonNull(values, "values");
        values = Map.copyOf(values);
    }

    /** How many stored values use a key. */
    public long uses(KeyPurpose purpose, int keyId) {
        Objects.requireNonNull(purpose, "purpose");
        return values.getOrDefault(purpose, Map.of()).getOrDefault(keyId, 0L);
    }
}
