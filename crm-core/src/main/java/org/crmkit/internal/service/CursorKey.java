package org.crmkit.internal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import org.crmkit.error.CrmException;
import org.crmkit.error.StorageException;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;

/**
 * The secret that signs keyset cursors ({@link CursorCodec}), taken on first use. A storage that keeps documents
 * (its extension {@code DocumentStore}) keeps it as document {@value #NAME} of kind {@value #KIND}, so cursors
 * survive a restart and work on every node sharing the storage; the first node to need it makes 32 random bytes and
 * saves them with expected version 0, and a node that loses that race reads the winner's. A storage without
 * documents gets a random key per {@code Crm}: its cursors do not outlive it.
 */
final class CursorKey {
    static final String KIND = "crmkit_secret";
    static final String NAME = "cursor_hmac_sha256";

    private final ObjectMapper json = new ObjectMapper();
    private final Storage storage;
    private final Clock clock;
    private volatile byte @Nullable [] key;

    CursorKey(Storage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    byte[] get() {
        byte[] k = key;
        if (k == null) {
            synchronized (this) {
                k = key;
                if (k == null) {
                    k = load();
                    key = k;
                }
            }
        }
        return k;
    }

    private byte[] load() {
        Optional<DocumentStore> documents = storage.extension(DocumentStore.class);
        if (documents.isEmpty()) {
            return random();
        }
        DocumentStore store = documents.get();
        byte[] stored = read(store);
        if (stored != null) {
            return stored;
        }
        byte[] fresh = random();
        String body = json.createObjectNode().put("key", Base64.getEncoder().encodeToString(fresh)).toString();
        try (StorageTransaction tx = storage.begin()) {
            store.save(tx, KIND, NAME, 0, body, Principal.SYSTEM_ID, clock.instant());
            tx.commit();
            return fresh;
        } catch (CrmException e) {
            byte[] winner = read(store);
            if (winner == null) {
                throw e;
            }
            return winner;
        }
    }

    private byte @Nullable [] read(DocumentStore store) {
        DocumentStore.StoredDocument doc = store.find(KIND, NAME).orElse(null);
        if (doc == null || doc.body() == null) {
            return null;
        }
        try {
            JsonNode key = json.readTree(doc.body()).path("key");
            byte[] bytes = Base64.getDecoder().decode(key.asText());
            if (bytes.length < 32) {
                throw new StorageException("the stored cursor key is too short");
            }
            return bytes;
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new StorageException("the stored cursor key cannot be read", e);
        }
    }

    private static byte[] random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
