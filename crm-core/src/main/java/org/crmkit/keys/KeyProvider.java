package org.crmkit.keys;

import com.google.crypto.tink.KeysetHandle;

/**
 * Hands out CRMKit's keys: the current Tink keyset for each {@link KeyPurpose}. The keyset's primary key is used for
 * new ciphertexts and MACs; every key in it can still decrypt or verify, so a key is rotated by adding a new primary
 * and kept until nothing uses the old one (see {@code docs/security.md}).
 *
 * <p>CRMKit asks again whenever it needs keys, so a provider that returns a new keyset (a file edited with
 * {@code tinkey}, a KMS-wrapped keyset fetched again) is picked up at once; a provider should cache its keysets and
 * return the same {@link KeysetHandle} until they change. A cloud KMS plugs in through Tink's own KMS clients:
 * decrypt a wrapped keyset with the KMS's {@code Aead} and return it. Implementations are thread-safe and never put
 * key material in an exception message or a log line.
 */
@FunctionalInterface
public interface KeyProvider {
    /**
     * The current keyset for a purpose.
     *
     * @throws org.crmkit.error.ConfigurationException when this provider has no keyset for the purpose
     */
    KeysetHandle keyset(KeyPurpose purpose);
}
