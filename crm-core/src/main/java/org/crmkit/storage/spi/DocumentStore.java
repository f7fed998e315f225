package org.crmkit.storage.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Named, versioned JSON documents kept by a storage beside the schema, with their whole history: an optional
 * extension of a storage ({@code storage.extension(DocumentStore.class)}), where the workflow engine keeps its rules
 * and the engine the key that signs query cursors. Each save of a document raises its version (1, 2, ...) and
 * the revision of its kind (shared by every document of the kind, so a node can tell cheaply that something
 * changed), and adds a history entry naming who saved it and when.
 */
public interface DocumentStore {
    /**
     * Saves (or, with {@code body} null, deletes) a document with {@code transaction}, if its stored version is
     * {@code expectedVersion} (0: it must not exist yet; a deleted document's version counts). Otherwise throws
     * {@link org.crmkit.error.CrmException} with {@link org.crmkit.error.ErrorCode#CONFLICT}, in this call or at the
     * commit. Returns the document as saved.
     */
    StoredDocument save(StorageTransaction transaction, String kind, String name, long expectedVersion,
            @Nullable String body, String principalId, Instant at);

    /** The live (not deleted) documents of a kind, by name. */
    List<StoredDocument> list(String kind);

    Optional<StoredDocument> find(String kind, String name);

    /** Every saved version of a document, oldest first; a deletion has a null body. */
    List<StoredDocument> history(String kind, String name);

    /** The revision of a kind: raised by every committed save of one of its documents; 0 before the first. */
    long revision(String kind);

    /**
     * The revisions of several kinds at once (0 for a kind never saved), for a caller that checks them before
     * every operation: a storage reads them in one statement where it can.
     */
    default java.util.Map<String, Long> revisions(java.util.Collection<String> kinds) {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        kinds.forEach(k -> out.put(k, revision(k)));
        return out;
    }

    /** One version of a document. */
    record StoredDocument(String kind, String name, long version, long revision, @Nullable String body,
            String principalId, Instant at) {
        public StoredDocument {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(principalId, "principalId");
            Objects.requireNonNull(at, "at");
        }
    }
}
