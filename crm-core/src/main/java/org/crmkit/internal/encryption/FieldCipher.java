package org.crmkit.internal.encryption;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.UUID;
import org.crmkit.error.ConfigurationException;
import org.crmkit.error.DecryptionException;
import org.crmkit.keys.KeyProvider;
import org.crmkit.keys.KeyPurpose;
import org.crmkit.storage.support.EncryptedText;
import org.jspecify.annotations.Nullable;

/**
 * Encrypts and decrypts the values of encrypted fields with the key provider's current keysets: AES-256-GCM bound
 * to type, field and record id, or AES-256-SIV bound to type and field only (so equal values give equal
 * ciphertexts, for equality lookups and unique indexes), in the text form of {@link EncryptedText}. The provider is
 * asked for its keyset at every call; the Tink primitive is kept while it hands out the same {@link KeysetHandle}.
 * No message this class makes holds a value or key material.
 */
public final class FieldCipher {
    private static final byte TINK_PREFIX = 0x01;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final KeyProvider keys;
    private volatile @Nullable Cached<Aead> aead;
    private volatile @Nullable Cached<DeterministicAead> deterministic;

    private record Cached<T>(KeysetHandle handle, T primitive) {}

    public FieldCipher(KeyProvider keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** The value as stored: a ciphertext of the kind the field asks for, under the current primary key. */
    public String encrypt(String type, String field, UUID recordId, String plaintext, boolean deterministic) {
        byte[] bytes = plaintext.getBytes(StandardCharsets.UTF_8);
        try {
            if (deterministic) {
                byte[] c = deterministic().encryptDeterministically(bytes, associated(type, field, null));
                return EncryptedText.DETERMINISTIC + ENCODER.encodeToString(c);
            }
            byte[] c = aead().encrypt(bytes, associated(type, field, recordId));
            return EncryptedText.RANDOMISED + ENCODER.encodeToString(c);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(java.util.List.of("keys: cannot encrypt " + type + "." + field
                    + " (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /** A query literal for a value of a deterministically encrypted field: what its stored value would be. */
    public String literal(String type, String field, String plaintext) {
        return encrypt(type, field, new UUID(0, 0), plaintext, true);
    }

    /** An exact-value search token: deterministic, and bound to a purpose of its own so it differs from stored text. */
    public String searchToken(String type, String field, String normalised) {
        try {
            byte[] c = deterministic().encryptDeterministically(normalised.getBytes(StandardCharsets.UTF_8),
                    ("crmkit/v1/search|" + type + "|" + field).getBytes(StandardCharsets.UTF_8));
            return ENCODER.encodeToString(c);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(java.util.List.of("keys: cannot make a search token for " + type + "."
                    + field + " (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /**
     * The plaintext of a stored value: decrypted when it is a ciphertext, as it is when it is a plaintext written
     * before the field was encrypted.
     *
     * @throws DecryptionException when it does not decrypt (another record's or field's ciphertext, altered, or
     *                             a key the keyset no longer has)
     */
    public String decrypt(String type, String field, UUID recordId, String stored) {
        boolean det = stored.startsWith(EncryptedText.DETERMINISTIC);
        if (!det && !stored.startsWith(EncryptedText.RANDOMISED)) {
            return stored;
        }
        byte[] c;
        try {
            c = DECODER.decode(stored.substring(EncryptedText.RANDOMISED.length()));
        } catch (IllegalArgumentException e) {
            throw new DecryptionException(type, field, recordId, "the stored text is not a well-formed ciphertext");
        }
        try {
            byte[] p = det ? deterministic().decryptDeterministically(c, associated(type, field, null))
                    : aead().decrypt(c, associated(type, field, recordId));
            return new String(p, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new DecryptionException(type, field, recordId, "the ciphertext belongs to another record or "
                    + "field, was altered, or its key is not in the key provider's keyset");
        }
    }

    /** Whether a stored value is a ciphertext of the kind asked for under the current primary key. */
    public boolean current(String stored, boolean deterministicField) {
        if (!stored.startsWith(deterministicField ? EncryptedText.DETERMINISTIC : EncryptedText.RANDOMISED)) {
            return false;
        }
        OptionalInt id = keyId(stored);
        return id.isPresent() && id.getAsInt() == primaryKeyId(deterministicField);
    }

    /** The id of the current primary key for one kind of field. */
    public int primaryKeyId(boolean deterministicField) {
        return keys.keyset(purpose(deterministicField)).getPrimary().getId();
    }

    static KeyPurpose purpose(boolean deterministicField) {
        return deterministicField ? KeyPurpose.FIELD_DETERMINISTIC : KeyPurpose.FIELD_AEAD;
    }

    /** The Tink key id a stored ciphertext names in its output prefix; empty for plaintext or a raw-prefix key. */
    public static OptionalInt keyId(String stored) {
        if (!EncryptedText.isCiphertext(stored)) {
            return OptionalInt.empty();
        }
        byte[] c;
        try {
            c = DECODER.decode(stored.substring(EncryptedText.RANDOMISED.length()));
        } catch (IllegalArgumentException e) {
            return OptionalInt.empty();
        }
        if (c.length < 5 || c[0] != TINK_PREFIX) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(java.nio.ByteBuffer.wrap(c, 1, 4).getInt());
    }

    /** The key purpose of a stored ciphertext. */
    public static KeyPurpose purposeOf(String stored) {
        return purpose(stored.startsWith(EncryptedText.DETERMINISTIC));
    }

    private static byte[] associated(String type, String field, @Nullable UUID recordId) {
        String ad = "crmkit/v1|" + type + "|" + field + (recordId == null ? "" : "|" + recordId);
        return ad.getBytes(StandardCharsets.UTF_8);
    }

    private Aead aead() throws GeneralSecurityException {
        KeysetHandle h = keys.keyset(KeyPurpose.FIELD_AEAD);
        Cached<Aead> c = aead;
        if (c == null || c.handle() != h) {
            c = new Cached<>(h, h.getPrimitive(RegistryConfiguration.get(), Aead.class));
            aead = c;
        }
        return c.primitive();
    }

    private DeterministicAead deterministic() throws GeneralSecurityException {
        KeysetHandle h = keys.keyset(KeyPurpose.FIELD_DETERMINISTIC);
        Cached<DeterministicAead> c = deterministic;
        if (c == null || c.handle() != h) {
            c = new Cached<>(h, h.getPrimitive(RegistryConfiguration.get(), DeterministicAead.class));
            deterministic = c;
        }
        return c.primitive();
    }
}
