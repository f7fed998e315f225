package org.crmkit.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.crmkit.error.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyProvidersTest {
    @TempDir
    Path dir;

    @Test
    void generatedKeysHaveTheKeyTypeOfTheirPurpose() throws Exception {
        KeyProvider keys = KeyProviders.generated();
        for (KeyPurpose purpose : KeyPurpose.values()) {
            KeysetHandle handle = keys.keyset(purpose);
            assertThat(handle.size()).isEqualTo(1);
            assertThat(handle.getPrimary().getKey().getParameters()).isEqualTo(KeyProviders.parameters(purpose));
            assertThat(keys.keyset(purpose)).as("the same handle until the keys change").isSameAs(handle);
        }
    }

    @Test
    void aProviderWithoutAPurposeRefusesItByName() {
        KeyProvider keys = KeyProviders.of(Map.of(KeyPurpose.FIELD_AEAD, KeyProviders.generate(KeyPurpose.FIELD_AEAD)));
        assertThatThrownBy(() -> keys.keyset(KeyPurpose.CHANGE_LOG_MAC)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("CHANGE_LOG_MAC");
    }

    @Test
    void keysetFilesAreReadAgainWhenTheyChange() throws Exception {
        Path file = dir.resolve(KeyProviders.fileName(KeyPurpose.FIELD_AEAD));
        KeysetHandle first = KeyProviders.generate(KeyPurpose.FIELD_AEAD);
        KeyProviders.writeKeysetFile(file, first);
        KeyProvider keys = KeyProviders.keysetFiles(dir);
        byte[] secret = "ada@example.com".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = keys.keyset(KeyPurpose.FIELD_AEAD).getPrimitive(RegistryConfiguration.get(), Aead.class)
                .encrypt(secret, new byte[0]);

        // a new primary key added beside the old one, as tinkey add-key + promote-key would
        KeysetHandle rotated = KeysetHandle.newBuilder(first)
                .addEntry(KeysetHandle.generateEntryFromParameters(KeyProviders.parameters(KeyPurpose.FIELD_AEAD))
                        .withRandomId().makePrimary())
                .build();
        KeyProviders.writeKeysetFile(file, rotated);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        KeysetHandle reread = keys.keyset(KeyPurpose.FIELD_AEAD);
        assertThat(reread.size()).isEqualTo(2);
        assertThat(reread.getPrimary().getId()).isNotEqualTo(first.getPrimary().getId());
        assertThat(reread.getPrimitive(RegistryConfiguration.get(), Aead.class).decrypt(sealed, new byte[0]))
                .as("the old key still decrypts").isEqualTo(secret);
    }

    @Test
    void aMissingOrBrokenKeysetFileIsNamedWithoutItsContent() throws Exception {
        KeyProvider keys = KeyProviders.keysetFiles(dir);
        assertThatThrownBy(() -> keys.keyset(KeyPurpose.CHANGE_LOG_MAC)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("change_log_mac.json");
        Files.writeString(dir.resolve("change_log_mac.json"), "{\"primaryKeyId\": 1, \"secret-looking\": \"AAAA\"");
        assertThatThrownBy(() -> keys.keyset(KeyPurpose.CHANGE_LOG_MAC)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("not a readable Tink JSON keyset").hasMessageNotContaining("AAAA");
    }
}
