package org.crmkit.internal.encryption;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.crmkit.keys.KeyProvider;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.Storage;
import org.jspecify.annotations.Nullable;

/**
 * The engine's field encryption: the storage as the engine uses it (behind the encryption seam when there are keys)
 * and the key rotation (null without keys).
 */
public record FieldEncryption(Storage storage, @Nullable KeyRotation rotation) {
    /** The raw storage as it is without keys; behind {@link EncryptingStorage} with them. */
    public static FieldEncryption of(Storage raw, @Nullable KeyProvider keys, Supplier<SchemaSnapshot> schema,
            BooleanSupplier closing) {
        if (keys == null) {
            return new FieldEncryption(raw, null);
        }
        RecordCipher cipher = new RecordCipher(new FieldCipher(keys), schema);
        return new FieldEncryption(new EncryptingStorage(raw, cipher), new KeyRotation(raw, cipher, keys, schema,
                closing));
    }
}
