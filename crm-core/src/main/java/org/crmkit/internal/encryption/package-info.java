/**
 * Field encryption: the one seam between the engine and the storage SPI ({@link
 * org.crmkit.internal.encryption.EncryptingStorage}) where the values of encrypted fields become Tink ciphertext on
 * their way down and plaintext on their way up, and key rotation ({@link
 * org.crmkit.internal.encryption.KeyRotation}). See {@code docs/security.md}.
 */
@NullMarked
package org.crmkit.internal.encryption;

import org.jspecify.annotations.NullMarked;
