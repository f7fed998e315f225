package org.crmkit.keys;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.daead.DeterministicAeadConfig;
import com.google.crypto.tink.daead.PredefinedDeterministicAeadParameters;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.crmkit.error.ConfigurationException;

/**
 * The usual {@link KeyProvider}s.
 *
 * <pre>{@code
 * Crm crm = Crm.builder()
 *     .storage(JdbcStorage.h2File(Path.of("data/crm")))
 *     .keys(KeyProviders.keysetFiles(Path.of("/etc/crm/keys")))   // field_aead.json, field_deterministic.json, change_log_mac.json
 *     .build();
 * }</pre>
 */
public final class KeyProviders {
    private KeyProviders() {}

    /** The Tink key type each purpose uses when CRMKit generates a key. */
    public static Parameters parameters(KeyPurpose purpose) {
        Objects.requireNonNull(purpose, "purpose");
        return switch (purpose) {
            case FIELD_AEAD -> PredefinedAeadParameters.AES256_GCM;
            case FIELD_DETERMINISTIC -> PredefinedDeterministicAeadParameters.AES256_SIV;
            case CHANGE_LOG_MAC -> PredefinedMacParameters.HMAC_SHA256_256BITTAG;
        };
    }

    /**
     * Fresh random keys, one keyset per purpose, held only in memory: for tests and demos, since what they encrypt
     * cannot be read once this provider is gone.
     */
    public static KeyProvider generated() {
        Map<KeyPurpose, KeysetHandle> keys = new EnumMap<>(KeyPurpose.class);
        for (KeyPurpose purpose : KeyPurpose.values()) {
            keys.put(purpose, generate(purpose));
        }
        return of(keys);
    }

    /** A new keyset of one freshly generated key for a purpose. */
    public static KeysetHandle generate(KeyPurpose purpose) {
        registerTink();
        try {
            return KeysetHandle.generateNew(parameters(purpose));
        } catch (GeneralSecurityException e) {
            throw problem("keys: cannot generate a " + purpose + " key: " + e.getClass().getName());
        }
    }

    /** These keysets; a purpose left out is refused when asked for. */
    public static KeyProvider of(Map<KeyPurpose, KeysetHandle> keysets) {
        Objects.requireNonNull(keysets, "keysets");
        Map<KeyPurpose, KeysetHandle> copy = Map.copyOf(keysets);
        registerTink();
        return purpose -> {
            KeysetHandle handle = copy.get(Objects.requireNonNull(purpose, "purpose"));
            if (handle == null) {
                throw problem("keys: this key provider has no " + purpose + " keyset");
            }
            return handle;
        };
    }

    /**
     * Cleartext Tink JSON keysets in a directory, one file per purpose named after it in lower case
     * ({@code field_aead.json}, {@code field_deterministic.json}, {@code change_log_mac.json}), as
     * {@code tinkey create-keyset --out-format json} writes them. A file is read again when its modification time
     * changes, so a key added and made primary with {@code tinkey} is used from the next write on. Keep the directory
     * readable only by the application's user, or wrap the keysets with a KMS and write a provider of your own.
     */
    public static KeyProvider keysetFiles(Path directory) {
        Objects.requireNonNull(directory, "directory");
        registerTink();
        return new KeysetFiles(directory);
    }

    /** The file {@link #keysetFiles(Path)} reads a purpose's keyset from. */
    public static String fileName(KeyPurpose purpose) {
        return purpose.name().toLowerCase(java.util.Locale.ROOT) + ".json";
    }

    /** Writes a keyset as cleartext Tink JSON, as {@link #keysetFiles(Path)} reads it (for tools and tests). */
    public static void writeKeysetFile(Path file, KeysetHandle keyset) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(keyset, "keyset");
        try {
            String json = TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (GeneralSecurityException | IOException e) {
            throw problem("keys: cannot write the keyset file " + file + ": "
                    + e.getClass().getName());
        }
    }

    /** Registers Tink's AEAD, deterministic AEAD and MAC key managers (idempotent). */
    static void registerTink() {
        try {
            AeadConfig.register();
            DeterministicAeadConfig.register();
            MacConfig.register();
        } catch (GeneralSecurityException e) {
            throw problem("keys: cannot register Tink's primitives: " + e.getMessage());
        }
    }

    private static ConfigurationException problem(String message) {
        return new ConfigurationException(java.util.List.of(message));
    }

    /** Keysets read from files, each read again when its modification time changes. */
    private static final class KeysetFiles implements KeyProvider {
        private final Path directory;
        private final Map<KeyPurpose, Loaded> loaded = new ConcurrentHashMap<>();

        private record Loaded(FileTime modified, KeysetHandle handle) {}

        KeysetFiles(Path directory) {
            this.directory = directory;
        }

        @Override
        public KeysetHandle keyset(KeyPurpose purpose) {
            Objects.requireNonNull(purpose, "purpose");
            Path file = directory.resolve(fileName(purpose));
            FileTime modified;
            try {
                modified = Files.getLastModifiedTime(file);
            } catch (IOException e) {
                throw problem("keys: no " + purpose + " keyset: cannot read " + file);
            }
            Loaded current = loaded.get(purpose);
            if (current != null && current.modified().equals(modified)) {
                return current.handle();
            }
            try {
                String json = Files.readString(file, StandardCharsets.UTF_8);
                KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
                loaded.put(purpose, new Loaded(modified, handle));
                return handle;
            } catch (IOException | GeneralSecurityException e) {
                // the message of a parse error may quote the file: name the file and the error class only
                throw problem("keys: " + file + " is not a readable Tink JSON keyset ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
    }
}
