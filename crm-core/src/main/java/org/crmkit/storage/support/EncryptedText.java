package org.crmkit.storage.support;

import java.util.Objects;

/**
 * How the value of a field flagged {@code encrypted} looks in a storage: a short prefix ({@link #RANDOMISED} for
 * AES-256-GCM, {@link #DETERMINISTIC} for AES-256-SIV) and the Tink ciphertext in unpadded URL-safe base64, plain
 * ASCII. A storage only needs it to size columns ({@link #maxLength}); the engine encrypts and decrypts above the
 * storage SPI, so a storage never sees a key or a plaintext of such a field.
 */
public final class EncryptedText {
    /** The prefix of a randomised (AES-256-GCM) ciphertext. */
    public static final String RANDOMISED = "crmk:ea:";
    /** The prefix of a deterministic (AES-256-SIV) ciphertext. */
    public static final String DETERMINISTIC = "crmk:ed:";

    /** Tink's output prefix (5 bytes) plus the GCM nonce (12) and tag (16), the larger overhead of the two kinds. */
    private static final int OVERHEAD_BYTES = 5 + 12 + 16;

    private EncryptedText() {}

    /** Whether a stored text is a ciphertext of either kind (rather than a plaintext written before encryption). */
    public static boolean isCiphertext(String stored) {
        Objects.requireNonNull(stored, "stored");
        return stored.startsWith(RANDOMISED) || stored.startsWith(DETERMINISTIC);
    }

    /**
     * The most characters the ciphertext of a value of at most {@code plaintextChars} UTF-16 code units takes (UTF-8
     * takes at most 3 bytes per code unit; base64 4 characters per 3 bytes): the width of an encrypted field's column.
     */
    public static int maxLength(int plaintextChars) {
        if (plaintextChars < 0) {
            throw new IllegalArgumentException("plaintextChars must not be negative: " + plaintextChars);
        }
        long bytes = 3L * plaintextChars + OVERHEAD_BYTES;
        long chars = RANDOMISED.length() + (bytes + 2) / 3 * 4;
        return (int) Math.min(Integer.MAX_VALUE, chars);
    }
}
